import type { RequestField } from '../analysis/request-analysis';
import type { InferredNeedParams, MatchReason } from './match-reason';

const LONGEST_QUOTE = 120;

/** The quote on one line, cut at a word boundary after at most LONGEST_QUOTE characters and marked with "…". */
function shorten(quote: string): string {
  const oneLine = quote.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= LONGEST_QUOTE) return oneLine;
  const cut = oneLine.slice(0, LONGEST_QUOTE);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > 0 ? cut.slice(0, lastSpace) : cut}…`;
}

/**
 * The `inferred_need` reason: the request's `field` says `quote` (its own words, kept as written but shortened),
 * which points to the concept `concept` (an id); `related` is the expert's concept id when a related one earned it.
 */
export function inferredNeedReason(field: RequestField, quote: string, concept: string, related?: string): MatchReason {
  const params: InferredNeedParams = { field, quote: shorten(quote), concept, ...(related === undefined ? {} : { related }) };
  return { code: 'inferred_need', params };
}
