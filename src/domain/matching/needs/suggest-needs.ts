import type { ConceptGraph } from '../taxonomy/concept-graph';
import { ANALYSIS_LANGUAGES, type AnalysisLanguage } from '../text/languages';
import { analyseText, quoteTokens, sentenceNumbers, tokenOffsets } from '../text/text-analysis';
import type { NeedLexicon } from './need-lexicon';
import { inferNeeds } from './need-matcher';

export interface NeedSuggestion {
  /** The taxonomy concept id. */
  readonly id: string;
  /** The concept's preferred label in the requested language, else English. */
  readonly label: string;
  readonly group: string;
  /** In (0, 1], rounded to three decimals. */
  readonly confidence: number;
  /** The need phrase of the taxonomy that matched. */
  readonly phrase: string;
  /** The words of the text, as written, that matched it. */
  readonly matchedText: string;
}

export interface NeedSuggestions {
  /** The language the text was analysed in (the requested one unless the text clearly is in another). */
  readonly language: AnalysisLanguage;
  readonly items: readonly NeedSuggestion[];
}

export const SUGGESTION_LANGUAGES = ANALYSIS_LANGUAGES;

/**
 * The concepts a free text points to through the taxonomy's need phrases, strongest first, as the request
 * matching infers them. Linear in the text's length (see inferNeeds), so callers bound the text.
 */
export function suggestNeeds(graph: ConceptGraph, lexicon: NeedLexicon, text: string, language: AnalysisLanguage | undefined): NeedSuggestions {
  const analysed = analyseText(text, language === undefined ? [] : [language]);
  const offsets = tokenOffsets(text);
  const items = inferNeeds(lexicon, analysed, sentenceNumbers(text, offsets)).map((need): NeedSuggestion => {
    const concept = graph.concepts[need.concept];
    const labels = concept?.labels;
    return {
      id: graph.conceptId(need.concept),
      label: labels?.[language ?? 'en']?.[0] ?? graph.englishLabel(need.concept),
      group: concept?.group ?? '',
      confidence: Math.round(need.confidence * 1000) / 1000,
      phrase: need.phrase,
      matchedText: quoteTokens(text, need.firstToken, need.lastToken, offsets),
    };
  });
  return { language: analysed.language, items };
}
