import { RELATION_CREDIT, type ConceptGraph, type ConceptRelation } from '../taxonomy/concept-graph';
import type { RequestSkillItem } from '../analysis/request-analysis';
import { frequencyOf, type IndexedExpert } from '../retrieval/indexed-expert';
import { termFrequencyPart, textRelevance } from './bm25';
import type { BoundQuery } from './bound-query';

/** Share of the skill factor that comes from concepts; the rest is text relevance. */
export const CONCEPT_SHARE = 0.7;

/** Which expert concept earns an item its credit, and through which relation (for explanations). */
export interface ItemCredit {
  readonly credit: number;
  /** The expert's concept that earned the credit (undefined for free tags). */
  readonly concept?: number;
  readonly relation?: ConceptRelation;
}

export function itemCredit(graph: ConceptGraph, item: RequestSkillItem, expert: IndexedExpert): ItemCredit {
  if (item.kind === 'free') return { credit: expert.freeTags.has(item.key) ? 1 : 0 };
  let best: ItemCredit = { credit: 0 };
  expert.concepts.forEach((offered, position) => {
    const relation = graph.relation(item.concept, offered);
    if (relation === undefined) return;
    const credit = RELATION_CREDIT[relation] * (expert.conceptStrengths[position] ?? 0);
    if (credit > best.credit) best = { credit, concept: offered, relation };
  });
  return best;
}

/** Weighted share of the requested concepts (and free tags) the expert covers, each at its best credit. */
export function conceptCoverage(query: BoundQuery, expert: IndexedExpert): number {
  if (query.itemWeightTotal <= 0) return 0;
  let covered = 0;
  query.analysis.items.forEach((item, position) => {
    const credits = query.conceptCredits[position];
    let best = 0;
    if (item.kind === 'free') {
      best = expert.freeTags.has(item.key) ? 1 : 0;
    } else if (credits) {
      for (let concept = 0; concept < expert.concepts.length; concept += 1) {
        best = Math.max(best, (credits[expert.concepts[concept] ?? 0] ?? 0) * (expert.conceptStrengths[concept] ?? 0));
      }
    }
    covered += item.weight * best;
  });
  return covered / query.itemWeightTotal;
}

export function termContribution(query: BoundQuery, position: number, expert: IndexedExpert): number {
  const termId = query.termIds[position] ?? -1;
  if (termId < 0) return 0;
  const frequency = frequencyOf(expert, termId);
  if (frequency === 0) return 0;
  return (query.termWeights[position] ?? 0) * termFrequencyPart(frequency, expert.textLength, query.averageLength);
}

export function bm25Score(query: BoundQuery, expert: IndexedExpert): number {
  let score = 0;
  for (let position = 0; position < query.termIds.length; position += 1) score += termContribution(query, position, expert);
  return score;
}

/**
 * How much of the skill factor concepts decide: CONCEPT_SHARE when the request names a concept or a skill, none
 * when it names nothing, and in between when its concepts are only inferred, in proportion to the surest inference.
 */
export function conceptShareOf(items: readonly RequestSkillItem[]): number {
  let surest = 0;
  for (const item of items) {
    if (item.kind === 'free' || !item.inferred) return CONCEPT_SHARE;
    surest = Math.max(surest, item.inferred.confidence);
  }
  return CONCEPT_SHARE * surest;
}

export function skillFactor(query: BoundQuery, coverage: number, bm25: number): number {
  const text = textRelevance(bm25, query.idealTextMass);
  return query.conceptShare * coverage + (1 - query.conceptShare) * text;
}
