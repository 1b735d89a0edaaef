import { BM25_K1, termFrequencyPart } from '../scoring/bm25';
import type { BoundQuery } from '../scoring/bound-query';
import { isFeasible } from '../scoring/constraints';
import { nonSkillNumerator, nonSkillWeight, scoreExpert, totalWeight, type ScoringContext } from '../scoring/score-expert';
import { conceptCoverage, skillFactor } from '../scoring/skill-score';
import { ConceptCandidateCollector } from './concept-candidates';
import type { ExpertIndex } from './expert-index';
import type { FeasibilityMask } from './feasibility-masks';
import type { IndexedExpert } from './indexed-expert';
import { TopK, type ScoredExpert } from './top-k';

/** Covers float rounding between a bound and the exact score's evaluation order. */
const BOUND_SLACK = 1e-9;
const BUCKETS = 1024;

/**
 * Exact top-k from the postings, in the spirit of MaxScore. Every expert is settled once:
 * either scored in full (with the same function as the exhaustive path) or skipped because
 * an upper bound on its score is below the current k-th score, which only rises.
 *  1. Experts reached through the requested concepts, highest skill bound first; the text
 *     part of that bound comes from a 256-bit term signature per profile.
 *  2. Query terms from the highest possible contribution down: an unsettled expert holds none
 *     of the terms read so far, so once the unread terms' best case cannot lift such an expert
 *     into the top k, the remaining (longest, least informative) lists are never read.
 *  3. Experts sharing nothing at all, only if their common bound could still enter the top k,
 *     and then only those who speak one of the request's languages.
 * Throughout, one int per expert (FeasibilityMasks) discards clearly infeasible experts first.
 */
export class IndexedRanker {
  private readonly collector: ConceptCandidateCollector;

  constructor(
    private readonly index: ExpertIndex,
    private readonly context: ScoringContext,
  ) {
    this.collector = new ConceptCandidateCollector(index, context.graph);
  }

  rank(query: BoundQuery, limit: number, excluded: ReadonlySet<string>): ScoredExpert[] {
    if (limit <= 0) return [];
    return new RankingPass(this.index, this.context, this.collector, query, limit, excluded).run();
  }
}

class RankingPass {
  private readonly top: TopK;
  private readonly bestCases: number[];
  /** Best-case BM25 of the query terms whose posting lists have not been read. */
  private unread: number;
  private readonly skillsWeight: number;
  private readonly nonSkillMaximum: number;
  private readonly totalWeight: number;
  private readonly mask: FeasibilityMask;

  constructor(
    private readonly index: ExpertIndex,
    private readonly context: ScoringContext,
    private readonly collector: ConceptCandidateCollector,
    private readonly query: BoundQuery,
    limit: number,
    private readonly excluded: ReadonlySet<string>,
  ) {
    this.top = new TopK(limit);
    this.bestCases = query.termWeights.map((weight) => weight * (BM25_K1 + 1));
    this.unread = this.bestCases.reduce((sum, bestCase) => sum + bestCase, 0);
    this.skillsWeight = context.weights.skills;
    this.nonSkillMaximum = nonSkillWeight(context.weights);
    this.totalWeight = totalWeight(context.weights);
    this.mask = index.feasibility.maskFor(query.analysis);
  }

  run(): ScoredExpert[] {
    this.collector.begin();
    const unpostedCoverage = this.visitConceptCandidates();
    if (this.visitTermLists(unpostedCoverage)) this.visitRemainingSpeakers(unpostedCoverage);
    return this.top.results();
  }

  private visitConceptCandidates(): number {
    const candidates = this.collector.collect(this.query, this.mask);
    const { slots, coverageBounds } = candidates;
    const textBounds = new Float64Array(slots.length);
    const skillBounds = new Float64Array(slots.length);
    for (let position = 0; position < slots.length; position += 1) {
      const text = this.signatureBound(slots[position] ?? 0, this.unread);
      textBounds[position] = text;
      skillBounds[position] = skillFactor(this.query, coverageBounds[position] ?? 0, text);
    }
    const buckets = bucketByBound(skillBounds);
    for (let bucket = BUCKETS - 1; bucket >= 0; bucket -= 1) {
      if (this.cannotEnter(this.scoreBound((bucket + 1) / BUCKETS))) break;
      for (let entry = buckets.starts[bucket] ?? 0; entry < (buckets.starts[bucket + 1] ?? 0); entry += 1) {
        const position = buckets.order[entry] ?? 0;
        if (this.cannotEnter(this.scoreBound(skillBounds[position] ?? 0))) continue;
        const expert = this.index.at(slots[position] ?? -1);
        if (expert) this.consider(expert, coverageBounds[position] ?? 0, textBounds[position] ?? 0);
      }
    }
    return candidates.unpostedCoverage;
  }

  /** Reads term lists while an expert holding only unread terms could still enter; true if all were read. */
  private visitTermLists(unpostedCoverage: number): boolean {
    const { query, bestCases } = this;
    const byImpact = bestCases.map((_, position) => position).sort((a, b) => (bestCases[b] ?? 0) - (bestCases[a] ?? 0));
    for (const position of byImpact) {
      if (this.cannotEnter(this.scoreBound(skillFactor(query, unpostedCoverage, this.unread)))) return false;
      this.unread -= bestCases[position] ?? 0;
      const termId = query.termIds[position] ?? -1;
      const list = termId < 0 ? undefined : this.index.termPosting(termId);
      if (!list) continue;
      const weight = query.termWeights[position] ?? 0;
      for (let entry = 0; entry < list.slots.length; entry += 1) {
        const slot = list.slots[entry] ?? 0;
        if (!this.index.feasibility.mayBeFeasible(slot, this.mask)) continue;
        const expert = this.index.at(slot);
        if (!expert || this.collector.isSettled(slot)) continue;
        this.collector.settle(slot);
        const partial = weight * termFrequencyPart(list.weights[entry] ?? 0, expert.textLength, query.averageLength);
        this.consider(expert, unpostedCoverage, this.signatureBound(slot, partial + this.unread));
      }
    }
    return true;
  }

  /** Experts sharing no posting with the request: no text score, at most the unposted coverage. */
  private visitRemainingSpeakers(unpostedCoverage: number): void {
    if (this.cannotEnter(this.scoreBound(skillFactor(this.query, unpostedCoverage, 0)))) return;
    for (const expert of this.index.speakersOf(this.query.analysis.languages)) {
      if (this.collector.isSettled(expert.slot) || !this.index.feasibility.mayBeFeasible(expert.slot, this.mask)) continue;
      this.collector.settle(expert.slot);
      this.consider(expert, unpostedCoverage, 0);
    }
  }

  /** Tightens the bound step by step, cheapest first, and scores in full only if it can still enter. */
  private consider(expert: IndexedExpert, coverageBound: number, textBound: number): void {
    const { query, context } = this;
    if (this.cannotEnter(this.scoreBound(skillFactor(query, coverageBound, textBound)))) return;
    if (this.excluded.has(expert.expertId) || !isFeasible(query.analysis, expert)) return;
    if (this.top.isFull) {
      const nonSkill = nonSkillNumerator(context, query, expert);
      if (this.cannotEnter(this.scoreBound(skillFactor(query, coverageBound, textBound), nonSkill))) return;
      if (this.cannotEnter(this.scoreBound(skillFactor(query, conceptCoverage(query, expert), textBound), nonSkill))) return;
    }
    this.top.offer({ expert, scored: scoreExpert(context, query, expert) });
  }

  private signatureBound(slot: number, otherBound: number): number {
    return Math.min(otherBound, this.index.termSignatures.textBound(slot, this.query.termIds, this.bestCases));
  }

  private scoreBound(skill: number, nonSkill = this.nonSkillMaximum): number {
    return (this.skillsWeight * (skill + BOUND_SLACK) + nonSkill) / this.totalWeight;
  }

  private cannotEnter(bound: number): boolean {
    return this.top.isFull && bound < this.top.threshold;
  }
}

/** Counting sort of positions by bucketed bound: O(n), no comparison sort. */
function bucketByBound(bounds: Float64Array): { starts: Int32Array; order: Int32Array } {
  const bucketOf = new Int32Array(bounds.length);
  const starts = new Int32Array(BUCKETS + 1);
  for (let position = 0; position < bounds.length; position += 1) {
    const bucket = Math.min(BUCKETS - 1, Math.max(0, Math.floor((bounds[position] ?? 0) * BUCKETS)));
    bucketOf[position] = bucket;
    starts[bucket + 1] = (starts[bucket + 1] ?? 0) + 1;
  }
  for (let bucket = 1; bucket <= BUCKETS; bucket += 1) starts[bucket] = (starts[bucket] ?? 0) + (starts[bucket - 1] ?? 0);
  const fill = starts.slice(0, BUCKETS);
  const order = new Int32Array(bounds.length);
  for (let position = 0; position < bounds.length; position += 1) {
    const bucket = bucketOf[position] ?? 0;
    const at = fill[bucket] ?? 0;
    order[at] = position;
    fill[bucket] = at + 1;
  }
  return { starts, order };
}
