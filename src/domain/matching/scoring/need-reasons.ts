import type { RequestField } from '../analysis/request-analysis';

/**
 * A reason as a code and parameters, so a message catalogue can render it in the reader's language;
 * renderNeedReason gives today's English.
 */
export interface InferredNeedReason {
  readonly code: 'inferred_need';
  readonly params: {
    readonly field: RequestField;
    /** The request's own words that matched a need phrase. */
    readonly quote: string;
    /** The inferred concept's English label. */
    readonly concept: string;
    /** The expert's concept that earned the credit, when it is a related one. */
    readonly related?: string;
  };
}

const LONGEST_QUOTE = 120;

function shorten(quote: string): string {
  const oneLine = quote.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= LONGEST_QUOTE) return oneLine;
  const cut = oneLine.slice(0, LONGEST_QUOTE);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > 0 ? cut.slice(0, lastSpace) : cut}…`;
}

export function renderNeedReason({ params }: InferredNeedReason): string {
  const related = params.related === undefined ? '' : `; related expertise: ${params.related}`;
  return `Your ${params.field} ('${shorten(params.quote)}') points to ${params.concept}${related} (inferred from your words, so it counts less than a named skill)`;
}
