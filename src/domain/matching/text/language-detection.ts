import { ANALYSIS_LANGUAGES, isAnalysisLanguage, normaliseLanguageCode, type AnalysisLanguage } from './languages';
import { STOP_WORDS } from './stop-words';

// Letters that, among the analysed languages, point to one language or a pair.
const DISTINCTIVE_LETTERS: ReadonlyArray<readonly [RegExp, readonly AnalysisLanguage[]]> = [
  [/[ąęśźżćńł]/g, ['pl']],
  [/[ėųūįčšž]/g, ['lt']],
  [/[üß]/g, ['de']],
  [/[äö]/g, ['de', 'sv']],
  [/å/g, ['sv', 'da']],
  [/[øæ]/g, ['da']],
];
const LETTER_WEIGHT = 2;

/** Stop word → the languages it is a stop word in: one lookup per token instead of one per language. */
const STOP_WORD_LANGUAGES: ReadonlyMap<string, readonly AnalysisLanguage[]> = (() => {
  const languagesOf = new Map<string, AnalysisLanguage[]>();
  for (const language of ANALYSIS_LANGUAGES) {
    for (const word of STOP_WORDS[language]) languagesOf.set(word, [...(languagesOf.get(word) ?? []), language]);
  }
  return languagesOf;
})();
const DECLARED_PRIOR = 0.5;
const FIRST_DECLARED_PRIOR = 1;

/**
 * Picks the analysis language of a text from its own evidence (stop words and letters
 * peculiar to a language), using the languages its author declared as a prior and as
 * the answer when the text gives no evidence (short tags, names).
 */
export function detectLanguage(rawText: string, foldedTokens: readonly string[], declared: readonly string[]): AnalysisLanguage {
  const scores = new Map<AnalysisLanguage, number>(ANALYSIS_LANGUAGES.map((language) => [language, 0]));
  const add = (language: AnalysisLanguage, amount: number) => scores.set(language, (scores.get(language) ?? 0) + amount);

  const analysableDeclared = declared.map(normaliseLanguageCode).filter(isAnalysisLanguage);
  analysableDeclared.forEach((language, position) => add(language, position === 0 ? FIRST_DECLARED_PRIOR : DECLARED_PRIOR));

  for (const token of foldedTokens) {
    for (const language of STOP_WORD_LANGUAGES.get(token) ?? []) add(language, 1);
  }
  const lower = rawText.toLowerCase();
  for (const [pattern, languages] of DISTINCTIVE_LETTERS) {
    const hits = lower.match(pattern)?.length ?? 0;
    for (const language of languages) add(language, (hits * LETTER_WEIGHT) / languages.length);
  }

  const preference = [...analysableDeclared, 'en' as const, ...ANALYSIS_LANGUAGES];
  let best: AnalysisLanguage = preference[0] ?? 'en';
  for (const language of preference) {
    if ((scores.get(language) ?? 0) > (scores.get(best) ?? 0)) best = language;
  }
  return best;
}
