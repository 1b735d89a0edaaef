import { isFeasible } from '../scoring/constraints';
import type { BoundQuery } from '../scoring/bound-query';
import { scoreExpert, type ScoringContext } from '../scoring/score-expert';
import type { ExpertIndex } from './expert-index';
import { TopK, type ScoredExpert } from './top-k';

/** The reference ranking: every feasible indexed expert scored in full. */
export function rankExhaustively(
  index: ExpertIndex,
  context: ScoringContext,
  query: BoundQuery,
  limit: number,
  excluded: ReadonlySet<string>,
): ScoredExpert[] {
  const top = new TopK(limit);
  for (const expert of index.liveExperts()) {
    if (excluded.has(expert.expertId) || !isFeasible(query.analysis, expert)) continue;
    top.offer({ expert, scored: scoreExpert(context, query, expert) });
  }
  return top.results();
}
