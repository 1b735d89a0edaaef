// Offline relevance check: ranks a judged set with the engine and two simple baselines.
// Usage: npm run eval -- [path/to/judged-set.json]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  MatchingEngine, parseGazetteer, parseTaxonomy, type ExpertForMatching, type Place, type RequestForMatching, type WorkMode,
} from '../src/domain/matching';
import { mean, ndcgAt, precisionAt, type Judgments } from '../src/domain/matching/evaluation/ranking-metrics';
import { inverseDocumentFrequency, termFrequencyPart } from '../src/domain/matching/scoring/bm25';
import { foldKey } from '../src/domain/matching/text/fold';
import { analyseText, contentTokens } from '../src/domain/matching/text/text-analysis';

interface JudgedExpert {
  key: string; name: string; headline?: string; bio?: string; skills?: string[]; languages?: string[];
  location: Place; modes?: WorkMode[]; capacity?: number; status?: ExpertForMatching['status'];
  activeConsultations?: number; pendingInvitations?: number;
}
interface JudgedRequest {
  key: string; organization?: { country?: string }; title: string; description: string; topic?: string;
  skills?: string[]; languages?: string[]; location: Place; mode: RequestForMatching['mode'];
}
interface JudgedSet {
  experts: JudgedExpert[];
  requests: JudgedRequest[];
  judgments: Record<string, Judgments>;
}

const DEPTH = 5;
const PRECISION_DEPTH = 3;
const projectRoot = path.resolve(__dirname, '..');
const readJson = (file: string): unknown => JSON.parse(readFileSync(file, 'utf8'));

function loadJudgedSet(file: string): JudgedSet {
  const data = readJson(file) as Partial<JudgedSet>;
  if (!Array.isArray(data.experts) || !Array.isArray(data.requests) || typeof data.judgments !== 'object' || data.judgments === null) {
    throw new Error(`${file} is not a judged set: expected experts[], requests[] and judgments{}`);
  }
  return data as JudgedSet;
}

const toExpert = (expert: JudgedExpert): ExpertForMatching => ({
  id: expert.key, name: expert.name, headline: expert.headline, bio: expert.bio, skills: expert.skills ?? [],
  languages: expert.languages ?? [], location: expert.location, modes: expert.modes ?? ['online'], capacity: expert.capacity ?? 3,
  activeConsultations: expert.activeConsultations ?? 0, pendingInvitations: expert.pendingInvitations ?? 0, status: expert.status ?? 'active',
});

const toRequest = (request: JudgedRequest): RequestForMatching => ({
  id: request.key, title: request.title, description: request.description, topic: request.topic, skills: request.skills ?? [],
  languages: request.languages ?? [], location: request.location, mode: request.mode,
  organizationCountry: request.organization?.country ?? request.location.country,
});

const byScoreThenId = (a: { id: string; score: number }, b: { id: string; score: number }) =>
  b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Baseline A: Jaccard overlap of normalised tags only. */
function rankByTagOverlap(request: RequestForMatching, experts: readonly ExpertForMatching[]): string[] {
  const wanted = new Set(request.skills.map(foldKey));
  return experts
    .map((expert) => {
      const offered = new Set(expert.skills.map(foldKey));
      const shared = [...wanted].filter((tag) => offered.has(tag)).length;
      const union = new Set([...wanted, ...offered]).size;
      return { id: expert.id, score: union === 0 ? 0 : shared / union };
    })
    .sort(byScoreThenId)
    .map((entry) => entry.id);
}

function termCounts(text: string, languages: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const token of contentTokens(analyseText(text, languages))) counts.set(token.stem, (counts.get(token.stem) ?? 0) + 1);
  return counts;
}

/** Baseline B: plain BM25 of the request text against all profile text, no taxonomy, no constraints. */
function textRanker(experts: readonly ExpertForMatching[]): (request: RequestForMatching) => string[] {
  const documents = experts.map((expert) => {
    const terms = termCounts([expert.headline, expert.bio, ...expert.skills].join('\n'), expert.languages);
    return { id: expert.id, terms, length: [...terms.values()].reduce((sum, count) => sum + count, 0) };
  });
  const averageLength = mean(documents.map((document) => document.length));
  const frequency = new Map<string, number>();
  for (const document of documents) for (const term of document.terms.keys()) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  return (request) => {
    const query = termCounts([request.title, request.description, ...request.skills].join('\n'), request.languages);
    return documents
      .map((document) => {
        let score = 0;
        for (const [term, count] of query) {
          const tf = document.terms.get(term) ?? 0;
          if (tf > 0) score += count * inverseDocumentFrequency(documents.length, frequency.get(term) ?? 0) * termFrequencyPart(tf, document.length, averageLength);
        }
        return { id: document.id, score };
      })
      .sort(byScoreThenId)
      .map((entry) => entry.id);
  };
}

interface MethodFigures { ndcg5: number; precision3: number; infeasibleTop1: number }

function main(): void {
  const file = process.argv[2] ? path.resolve(process.argv[2]) : path.join(projectRoot, '..', 'shared', 'eval', 'dev-set.json');
  const judged = loadJudgedSet(file);
  const engine = new MatchingEngine({
    taxonomy: parseTaxonomy(readJson(path.join(projectRoot, 'seed', 'taxonomy', 'skills.json'))),
    gazetteer: parseGazetteer(readJson(path.join(projectRoot, 'seed', 'geo', 'places.json'))),
  });
  const experts = judged.experts.map(toExpert);
  experts.forEach((expert) => engine.upsertExpert(expert));
  const rankByText = textRanker(experts);
  const methods: Record<string, (request: RequestForMatching) => string[]> = {
    engine: (request) => engine.rank(request, { limit: DEPTH }).map((candidate) => candidate.expertId),
    'tag-jaccard': (request) => rankByTagOverlap(request, experts),
    'text-bm25': rankByText,
  };
  const perMethod = new Map<string, { ndcg: number[]; precision: number[]; infeasible: number[] }>();
  const perRequest: string[] = [];
  let disagreements = 0;
  for (const judgedRequest of judged.requests) {
    const request = toRequest(judgedRequest);
    const judgments = judged.judgments[request.id] ?? {};
    for (const [name, rankFor] of Object.entries(methods)) {
      const ranked = rankFor(request);
      const top = ranked[0];
      const figures = perMethod.get(name) ?? { ndcg: [], precision: [], infeasible: [] };
      figures.ndcg.push(ndcgAt(ranked, judgments, DEPTH));
      figures.precision.push(precisionAt(ranked, judgments, PRECISION_DEPTH));
      figures.infeasible.push(top !== undefined && engine.explain(request, top)?.feasible === false ? 1 : 0);
      perMethod.set(name, figures);
      if (name === 'engine') {
        const shown = ranked.slice(0, DEPTH).map((id) => `${id}:${judgments[id] ?? 0}`).join(' ');
        perRequest.push(`${request.id.padEnd(10)} nDCG@5 ${ndcgAt(ranked, judgments, DEPTH).toFixed(3)}  ${shown}`);
      }
    }
    const indexed = engine.rank(request, { limit: 10 }).map((candidate) => candidate.expertId).join();
    if (indexed !== engine.rankExhaustive(request, { limit: 10 }).map((candidate) => candidate.expertId).join()) disagreements += 1;
  }

  const summary: Record<string, MethodFigures> = {};
  for (const [name, figures] of perMethod) {
    summary[name] = { ndcg5: mean(figures.ndcg), precision3: mean(figures.precision), infeasibleTop1: mean(figures.infeasible) };
  }
  console.log(`Judged set: ${file} (${experts.length} experts, ${judged.requests.length} requests)\n`);
  console.log('Engine per request (top 5 as id:grade):');
  perRequest.forEach((line) => console.log(`  ${line}`));
  console.log(`\n${'method'.padEnd(14)}${'nDCG@5'.padStart(8)}${'P@3'.padStart(8)}${'infeasible@1'.padStart(14)}`);
  for (const [name, figures] of Object.entries(summary)) {
    const percent = `${(figures.infeasibleTop1 * 100).toFixed(1)}%`;
    console.log(`${name.padEnd(14)}${figures.ndcg5.toFixed(3).padStart(8)}${figures.precision3.toFixed(3).padStart(8)}${percent.padStart(14)}`);
  }
  console.log(`rank vs rankExhaustive top-10 disagreements: ${disagreements}`);
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  const json = Object.fromEntries(Object.entries(summary).map(([name, figures]) => [name, {
    ndcg5: round(figures.ndcg5), precision3: round(figures.precision3), infeasibleTop1: round(figures.infeasibleTop1),
  }]));
  console.log(JSON.stringify({ file, experts: experts.length, requests: judged.requests.length, ...json, rankDisagreements: disagreements }));
}

main();
