import { foldDiacritics } from './fold';
import { detectLanguage } from './language-detection';
import type { AnalysisLanguage } from './languages';
import { stemLithuanian } from './lithuanian-stemmer';
import { naturalStemmers, tokenizeWords } from './natural';
import { stemPolish } from './polish-stemmer';
import { isStopWord } from './stop-words';

export interface TextToken {
  /** Lower-case, diacritic-folded form as written. */
  readonly surface: string;
  readonly stem: string;
  /** Written in capitals (AR, UX, SEO): such labels only match capitals in free text. */
  readonly acronym: boolean;
  /**
   * Function words stay in the sequence so that a label such as "design for all" only
   * matches that phrase, but they carry no weight in text relevance.
   */
  readonly stopWord: boolean;
}

export interface AnalysedText {
  readonly language: AnalysisLanguage;
  readonly tokens: readonly TextToken[];
}

const STEMMERS: Readonly<Record<AnalysisLanguage, (token: string) => string>> = {
  ...naturalStemmers,
  pl: stemPolish,
  lt: stemLithuanian,
};

const SHORTEST_STEMMABLE = 4;
/**
 * Longer tokens are not words of any analysed language (the longest German compounds in use have about 40 letters):
 * they are kept as they are, so untrusted text cannot make stemming, compound splitting or the caches grow with it.
 */
export const LONGEST_WORD = 64;
const STEM_CACHE_LIMIT = 200_000;
const stemCaches = new Map<AnalysisLanguage, Map<string, string>>();

export function stemToken(language: AnalysisLanguage, foldedToken: string): string {
  if (foldedToken.length < SHORTEST_STEMMABLE || foldedToken.length > LONGEST_WORD || /\d/.test(foldedToken)) return foldedToken;
  let cache = stemCaches.get(language);
  if (!cache || cache.size >= STEM_CACHE_LIMIT) {
    cache = new Map();
    stemCaches.set(language, cache);
  }
  let stem = cache.get(foldedToken);
  if (stem === undefined) {
    stem = STEMMERS[language](foldedToken);
    cache.set(foldedToken, stem);
  }
  return stem;
}

interface RawToken {
  readonly surface: string;
  readonly acronym: boolean;
}

function rawTokens(text: string): RawToken[] {
  return tokenizeWords(foldDiacritics(text)).map((written) => ({
    surface: written.toLowerCase(),
    acronym: written.length >= 2 && /[A-Z]/.test(written) && written === written.toUpperCase(),
  }));
}

/** Tokenises, folds, marks stop words and stems the other words in the given language. */
export function analyseTextIn(text: string, language: AnalysisLanguage): AnalysedText {
  return { language, tokens: toTextTokens(rawTokens(text), language) };
}

/** As analyseTextIn, detecting the language from the text with the declared languages as a prior. */
export function analyseText(text: string, declaredLanguages: readonly string[]): AnalysedText {
  const raw = rawTokens(text);
  const language = detectLanguage(text, raw.map((token) => token.surface), declaredLanguages);
  return { language, tokens: toTextTokens(raw, language) };
}

function toTextTokens(raw: readonly RawToken[], language: AnalysisLanguage): TextToken[] {
  const tokens: TextToken[] = [];
  for (const { surface, acronym } of raw) {
    if (surface === '_') continue;
    const stopWord = !acronym && isStopWord(language, surface);
    tokens.push({ surface, acronym, stopWord, stem: stopWord ? surface : stemToken(language, surface) });
  }
  return tokens;
}

export function contentTokens(text: AnalysedText): TextToken[] {
  return text.tokens.filter((token) => !token.stopWord);
}
