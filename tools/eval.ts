// Offline relevance check: ranks each judged set with the engine and three baselines, overall and per category.
// Usage: npm run eval -- [path/to/judged-set.json ...]   (default: every *.json in ../shared/eval/)
// A request's category is its `category` field, else the one its set's notes (<set>.notes.md) give in lines
// such as "- **d2r001** (paraphrase-only, EN, onsite)".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  skills?: string[]; languages?: string[]; location: Place; mode: RequestForMatching['mode']; category?: string;
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
interface RequestFigures { category: string; ndcg: number; precision: number; infeasible: number }

const ALL = 'all';

function categoriesFromNotes(file: string): Map<string, string> {
  const notes = file.replace(/\.json$/, '.notes.md');
  const categories = new Map<string, string>();
  if (!existsSync(notes)) return categories;
  for (const [, key, category] of readFileSync(notes, 'utf8').matchAll(/^- \*\*([\w-]+)\*\* \(([^,)]+)/gm)) {
    if (key !== undefined && category !== undefined) categories.set(key, category.trim());
  }
  return categories;
}

function summarise(figures: readonly RequestFigures[]): MethodFigures {
  return {
    ndcg5: mean(figures.map((figure) => figure.ndcg)),
    precision3: mean(figures.map((figure) => figure.precision)),
    infeasibleTop1: mean(figures.map((figure) => figure.infeasible)),
  };
}

function evaluateSet(file: string, taxonomy: unknown, gazetteer: unknown): unknown {
  const judged = loadJudgedSet(file);
  const categoryOf = categoriesFromNotes(file);
  const options = { taxonomy: parseTaxonomy(taxonomy), gazetteer: parseGazetteer(gazetteer) };
  const engine = new MatchingEngine(options);
  const lexicalEngine = new MatchingEngine({ ...options, inferNeeds: false });
  const experts = judged.experts.map(toExpert);
  experts.forEach((expert) => {
    engine.upsertExpert(expert);
    lexicalEngine.upsertExpert(expert);
  });
  const rankByText = textRanker(experts);
  const methods: Record<string, (request: RequestForMatching) => string[]> = {
    engine: (request) => engine.rank(request, { limit: DEPTH }).map((candidate) => candidate.expertId),
    'engine-no-needs': (request) => lexicalEngine.rank(request, { limit: DEPTH }).map((candidate) => candidate.expertId),
    'tag-jaccard': (request) => rankByTagOverlap(request, experts),
    'text-bm25': rankByText,
  };
  const perMethod = new Map<string, RequestFigures[]>();
  const perRequest: string[] = [];
  let disagreements = 0;
  for (const judgedRequest of judged.requests) {
    const request = toRequest(judgedRequest);
    const category = judgedRequest.category ?? categoryOf.get(request.id) ?? ALL;
    const judgments = judged.judgments[request.id] ?? {};
    for (const [name, rankFor] of Object.entries(methods)) {
      const ranked = rankFor(request);
      const top = ranked[0];
      const ndcg = ndcgAt(ranked, judgments, DEPTH);
      const infeasible = top !== undefined && engine.explain(request, top)?.feasible === false ? 1 : 0;
      perMethod.set(name, [...(perMethod.get(name) ?? []), { category, ndcg, precision: precisionAt(ranked, judgments, PRECISION_DEPTH), infeasible }]);
      if (name === 'engine') {
        const shown = ranked.slice(0, DEPTH).map((id) => `${id}:${judgments[id] ?? 0}`).join(' ');
        perRequest.push(`${request.id.padEnd(10)} ${category.padEnd(16)} nDCG@5 ${ndcg.toFixed(3)}  ${shown}`);
      }
    }
    const indexed = engine.rank(request, { limit: 10 }).map((candidate) => candidate.expertId).join();
    if (indexed !== engine.rankExhaustive(request, { limit: 10 }).map((candidate) => candidate.expertId).join()) disagreements += 1;
  }

  const categories = [ALL, ...new Set([...perMethod.values()].flat().map((figure) => figure.category).filter((category) => category !== ALL))];
  const round = (value: number) => Math.round(value * 10_000) / 10_000;
  const summary: Record<string, Record<string, MethodFigures>> = {};
  console.log(`Judged set: ${file} (${experts.length} experts, ${judged.requests.length} requests)\n`);
  console.log('Engine per request (top 5 as id:grade):');
  perRequest.forEach((line) => console.log(`  ${line}`));
  for (const category of categories) {
    const count = (perMethod.get('engine') ?? []).filter((figure) => category === ALL || figure.category === category).length;
    console.log(`\n${category} (${count} requests)\n${'method'.padEnd(17)}${'nDCG@5'.padStart(8)}${'P@3'.padStart(8)}${'infeasible@1'.padStart(14)}`);
    summary[category] = {};
    for (const [name, figures] of perMethod) {
      const chosen = summarise(figures.filter((figure) => category === ALL || figure.category === category));
      summary[category][name] = { ndcg5: round(chosen.ndcg5), precision3: round(chosen.precision3), infeasibleTop1: round(chosen.infeasibleTop1) };
      const percent = `${(chosen.infeasibleTop1 * 100).toFixed(1)}%`;
      console.log(`${name.padEnd(17)}${chosen.ndcg5.toFixed(3).padStart(8)}${chosen.precision3.toFixed(3).padStart(8)}${percent.padStart(14)}`);
    }
  }
  console.log(`\nrank vs rankExhaustive top-10 disagreements: ${disagreements}\n`);
  return { file, experts: experts.length, requests: judged.requests.length, ...summary, rankDisagreements: disagreements };
}

function main(): void {
  const evalDir = path.join(projectRoot, '..', 'shared', 'eval');
  const files = process.argv.length > 2
    ? process.argv.slice(2).map((file) => path.resolve(file))
    : readdirSync(evalDir).filter((name) => name.endsWith('.json')).sort().map((name) => path.join(evalDir, name));
  const taxonomy = readJson(path.join(projectRoot, 'seed', 'taxonomy', 'skills.json'));
  const gazetteer = readJson(path.join(projectRoot, 'seed', 'geo', 'places.json'));
  const results = files.map((file) => evaluateSet(file, taxonomy, gazetteer));
  console.log(JSON.stringify(results));
}

main();
