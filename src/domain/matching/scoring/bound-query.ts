import type { RequestAnalysis } from '../analysis/request-analysis';
import { RELATION_CREDIT, type ConceptGraph } from '../taxonomy/concept-graph';
import { inverseDocumentFrequency } from './bm25';
import { conceptShareOf } from './skill-score';

export interface CorpusStatistics {
  readonly documentCount: number;
  readonly averageLength: number;
  termId(stem: string): number | undefined;
  documentFrequency(termId: number): number;
}

/** A request analysis tied to the taxonomy and the index's current BM25 statistics, shared by every ranking path. */
export interface BoundQuery {
  readonly analysis: RequestAnalysis;
  readonly itemWeightTotal: number;
  /** The share of the skill factor that concept coverage decides (the rest is text relevance). */
  readonly conceptShare: number;
  /** Per item: the credit each concept (by index) earns towards it; undefined for free tags. */
  readonly conceptCredits: ReadonlyArray<Float64Array | undefined>;
  /** Per query term: its id in the index, or -1 when no profile uses it. */
  readonly termIds: readonly number[];
  /** Per query term: query weight × idf. */
  readonly termWeights: readonly number[];
  /** The sum of termWeights: the text score of a profile matching every term about once. */
  readonly idealTextMass: number;
  readonly averageLength: number;
}

function creditsTowards(graph: ConceptGraph, requested: number): Float64Array {
  const credits = new Float64Array(graph.size);
  for (let offered = 0; offered < graph.size; offered += 1) {
    const relation = graph.relation(requested, offered);
    credits[offered] = relation === undefined ? 0 : RELATION_CREDIT[relation];
  }
  return credits;
}

export function bindQuery(analysis: RequestAnalysis, statistics: CorpusStatistics, graph: ConceptGraph): BoundQuery {
  const termIds = analysis.terms.map((term) => statistics.termId(term.stem) ?? -1);
  const termWeights = analysis.terms.map((term, position) => {
    const id = termIds[position] ?? -1;
    const frequency = id < 0 ? 0 : statistics.documentFrequency(id);
    return term.weight * inverseDocumentFrequency(statistics.documentCount, frequency);
  });
  return {
    analysis,
    itemWeightTotal: analysis.items.reduce((sum, item) => sum + item.weight, 0),
    conceptShare: conceptShareOf(analysis.items),
    conceptCredits: analysis.items.map((item) => (item.kind === 'concept' ? creditsTowards(graph, item.concept) : undefined)),
    termIds,
    termWeights,
    idealTextMass: termWeights.reduce((sum, weight) => sum + weight, 0),
    averageLength: statistics.averageLength,
  };
}
