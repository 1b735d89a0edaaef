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

/**
 * The [start, end) offsets in `text` of the tokens that analyseText(text) yields, in the same order, so the
 * words behind a match can be quoted as written. Folding is per code point, which equals folding the whole text;
 * ASCII needs none.
 */
export function tokenOffsets(text: string): Array<readonly [number, number]> {
  const parts: string[] = [];
  const origin: number[] = [];
  const originEnd: number[] = [];
  for (let index = 0; index < text.length; ) {
    if (text.charCodeAt(index) < 0x80) {
      parts.push(text[index] ?? '');
      origin.push(index);
      originEnd.push(index + 1);
      index += 1;
      continue;
    }
    const codePoint = String.fromCodePoint(text.codePointAt(index) ?? 0);
    const foldedPoint = foldDiacritics(codePoint);
    // A combining mark folds to nothing: it belongs to the letter before it.
    if (foldedPoint === '' && originEnd.length > 0) originEnd[originEnd.length - 1] = index + codePoint.length;
    for (let unit = 0; unit < foldedPoint.length; unit += 1) {
      origin.push(index);
      originEnd.push(index + codePoint.length);
    }
    parts.push(foldedPoint);
    index += codePoint.length;
  }
  const folded = parts.join('');
  const offsets: Array<readonly [number, number]> = [];
  let cursor = 0;
  for (const written of tokenizeWords(folded)) {
    const start = folded.indexOf(written, cursor);
    cursor = start + written.length;
    if (written !== '_') offsets.push([origin[start] ?? 0, originEnd[cursor - 1] ?? text.length]);
  }
  return offsets;
}

const SENTENCE_END = /[.!?;\n]/;

/** Per token (offsets from tokenOffsets): the number of the sentence it is in (sentences end at . ! ? ; or a line break). */
export function sentenceNumbers(text: string, offsets: ReadonlyArray<readonly [number, number]> = tokenOffsets(text)): Int32Array {
  const numbers = new Int32Array(offsets.length);
  let sentence = 0;
  for (let token = 1; token < offsets.length; token += 1) {
    const from = offsets[token - 1]?.[1] ?? 0;
    const to = offsets[token]?.[0] ?? 0;
    for (let index = from; index < to; index += 1) {
      if (SENTENCE_END.test(text[index] ?? '')) {
        sentence += 1;
        break;
      }
    }
    numbers[token] = sentence;
  }
  return numbers;
}

/** The text as written from the first to the last given token (offsets from tokenOffsets). */
export function quoteTokens(text: string, firstToken: number, lastToken: number, offsets: ReadonlyArray<readonly [number, number]> = tokenOffsets(text)): string {
  const start = offsets[firstToken]?.[0];
  const end = offsets[lastToken]?.[1];
  return start === undefined || end === undefined ? '' : text.slice(start, end);
}

export function contentTokens(text: AnalysedText): TextToken[] {
  return text.tokens.filter((token) => !token.stopWord);
}
