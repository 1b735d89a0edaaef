import { analyseExpert } from './analysis/expert-analysis';
import { analyseRequest } from './analysis/request-analysis';
import type { Gazetteer } from './geo/parse-gazetteer';
import { ExpertIndex } from './retrieval/expert-index';
import { rankExhaustively } from './retrieval/exhaustive-ranking';
import { IndexedRanker } from './retrieval/indexed-ranking';
import type { IndexedExpert } from './retrieval/indexed-expert';
import type { ScoredExpert } from './retrieval/top-k';
import { buildNeedLexicon, type NeedLexicon } from './needs/need-lexicon';
import { suggestNeeds, type NeedSuggestions } from './needs/suggest-needs';
import type { AnalysisLanguage } from './text/languages';
import { bindQuery, type BoundQuery } from './scoring/bound-query';
import { findExclusions, isFeasible } from './scoring/constraints';
import { explainScore } from './scoring/reasons';
import { scoreExpert, type ExpertScore, type ScoringContext } from './scoring/score-expert';
import { TopK } from './retrieval/top-k';
import { ConceptGraph } from './taxonomy/concept-graph';
import { ConceptMatcher } from './taxonomy/concept-matcher';
import { buildLabelIndex } from './taxonomy/label-index';
import type { Taxonomy } from './taxonomy/parse-taxonomy';
import type {
  Exclusion, ExpertForMatching, ExpertVerdict, MatchWeights, RankedCandidate, RankOptions, RequestForMatching, ScoreBreakdown,
} from './types';
import { resolveWeights } from './weights';

export const DEFAULT_RANK_LIMIT = 10;

export interface MatchingEngineOptions {
  taxonomy: Taxonomy;
  gazetteer: Gazetteer;
  weights?: Partial<MatchWeights>;
  /** Infer concepts from the taxonomy's need phrases in a request's text (default true; off for comparisons). */
  inferNeeds?: boolean;
}

const round4 = (value: number) => Math.round(value * 10_000) / 10_000;

function roundBreakdown(breakdown: ScoreBreakdown): ScoreBreakdown {
  return {
    skills: round4(breakdown.skills),
    language: round4(breakdown.language),
    location: round4(breakdown.location),
    availability: round4(breakdown.availability),
  };
}

function normaliseLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_RANK_LIMIT;
  if (Number.isNaN(limit)) throw new Error('Rank limit must be a number');
  return limit === Number.POSITIVE_INFINITY ? limit : Math.max(0, Math.floor(limit));
}

/** Ranks experts for consultation requests from an in-memory index of analysed profiles. */
export class MatchingEngine {
  readonly weights: Readonly<MatchWeights>;
  private readonly context: ScoringContext;
  private readonly matcher: ConceptMatcher;
  private readonly index: ExpertIndex;
  private readonly ranker: IndexedRanker;
  private readonly needs: NeedLexicon;
  private readonly inferNeeds: boolean;

  constructor(options: MatchingEngineOptions) {
    this.weights = resolveWeights(options.weights);
    const graph = new ConceptGraph(options.taxonomy);
    this.context = { graph, gazetteer: options.gazetteer, weights: this.weights };
    this.matcher = new ConceptMatcher(graph, buildLabelIndex(graph));
    this.needs = buildNeedLexicon(graph);
    this.inferNeeds = options.inferNeeds ?? true;
    this.index = new ExpertIndex(graph);
    this.ranker = new IndexedRanker(this.index, this.context);
  }

  get size(): number {
    return this.index.size;
  }

  /** Analyses the profile once and replaces any earlier version in the index. */
  upsertExpert(expert: ExpertForMatching): void {
    this.index.upsert(analyseExpert(expert, this.matcher, this.context.gazetteer));
  }

  removeExpert(expertId: string): void {
    this.index.remove(expertId);
  }

  rank(request: RequestForMatching, options: RankOptions = {}): RankedCandidate[] {
    const query = this.bind(request);
    return this.present(query, this.ranker.rank(query, normaliseLimit(options.limit), options.excludeExpertIds ?? new Set()));
  }

  /** Scores every indexed expert; the reference that rank() must agree with. */
  rankExhaustive(request: RequestForMatching, options: RankOptions = {}): RankedCandidate[] {
    const query = this.bind(request);
    return this.present(query, rankExhaustively(this.index, this.context, query, normaliseLimit(options.limit), options.excludeExpertIds ?? new Set()));
  }

  /** The full picture for one expert, including every hard constraint it fails. */
  explain(request: RequestForMatching, expertId: string): ExpertVerdict | undefined {
    const expert = this.index.get(expertId);
    if (!expert) return undefined;
    const query = this.bind(request);
    const scored = scoreExpert(this.context, query, expert);
    const exclusions = findExclusions(query.analysis, expert);
    return {
      expertId,
      feasible: exclusions.length === 0,
      exclusions,
      score: round4(scored.score),
      breakdown: roundBreakdown(scored.breakdown),
      reasons: explainScore(this.context, query, expert, scored),
    };
  }

  /**
   * The `limit` best-scoring experts whatever their feasibility (the ones in `excludeExpertIds` left out), best first,
   * each with every hard constraint it fails: what stands between a request and its likeliest experts. Scores every
   * indexed expert, as rankExhaustive does.
   */
  bestRegardlessOfConstraints(request: RequestForMatching, options: RankOptions = {}): Array<{ expertId: string; score: number; exclusions: Exclusion[] }> {
    const query = this.bind(request);
    const excluded = options.excludeExpertIds ?? new Set();
    const top = new TopK(normaliseLimit(options.limit));
    for (const expert of this.index.liveExperts()) if (!excluded.has(expert.expertId)) top.offer({ expert, scored: scoreExpert(this.context, query, expert) });
    return top.results().map(({ expert, scored }) => ({ expertId: expert.expertId, score: round4(scored.score), exclusions: findExclusions(query.analysis, expert) }));
  }

  /** Open requests this expert could take, best first. */
  rankRequestsForExpert(expertId: string, requests: RequestForMatching[], limit = DEFAULT_RANK_LIMIT): Array<RankedCandidate & { requestId: string }> {
    const expert = this.index.get(expertId);
    if (!expert) return [];
    const fits: Array<{ query: BoundQuery; scored: ExpertScore }> = [];
    for (const request of requests) {
      const query = this.bind(request);
      if (isFeasible(query.analysis, expert)) fits.push({ query, scored: scoreExpert(this.context, query, expert) });
    }
    fits.sort((a, b) => b.scored.score - a.scored.score || compareIds(a.query.analysis.requestId, b.query.analysis.requestId));
    return fits.slice(0, normaliseLimit(limit)).map(({ query, scored }, position) => ({
      requestId: query.analysis.requestId,
      ...this.candidate(query, expert, scored, position),
    }));
  }

  /** The concepts a free text points to through the need phrases, as request matching infers them. */
  suggestNeeds(text: string, language?: AnalysisLanguage): NeedSuggestions {
    return suggestNeeds(this.context.graph, this.needs, text, language);
  }

  private bind(request: RequestForMatching): BoundQuery {
    return bindQuery(analyseRequest(request, this.matcher, this.context.gazetteer, this.inferNeeds ? this.needs : undefined), this.index, this.context.graph);
  }

  private present(query: BoundQuery, ranked: ScoredExpert[]): RankedCandidate[] {
    return ranked.map(({ expert, scored }, position) => this.candidate(query, expert, scored, position));
  }

  private candidate(query: BoundQuery, expert: IndexedExpert, scored: ExpertScore, position: number): RankedCandidate {
    return {
      expertId: expert.expertId,
      rank: position + 1,
      score: round4(scored.score),
      breakdown: roundBreakdown(scored.breakdown),
      reasons: explainScore(this.context, query, expert, scored),
    };
  }
}

function compareIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
