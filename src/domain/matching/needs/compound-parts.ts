import type { AnalysisLanguage } from '../text/languages';
import { LONGEST_WORD, stemToken } from '../text/text-analysis';

/** Languages that write compounds as one word (Besucherführung, besöksmål, kulturarv). */
const COMPOUNDING: ReadonlySet<AnalysisLanguage> = new Set(['de', 'sv', 'da']);
const SHORTEST_COMPOUND = 8;
const SHORTEST_PART = 4;
// Linking elements between the parts: Besucher·s·zahl, Heringsfischerei, barn·s·bok, kultur·arv. Longest first.
const LINKS = ['es', 'en', 'er', 's', 'n', 'e', ''];

/**
 * The stems of a compound's parts that `known` holds: its head (the last part, which names the thing) and
 * the part before it, e.g. "schulmensa" → ["schul", "mensa"] when both are known. Splits once, at the
 * longest known head; a linking element (s, es, n, en, er, e) between the parts is dropped. Returns [] for
 * a short word, one longer than LONGEST_WORD, a language that does not compound, or a word with no known head. Linear in the word's length.
 */
export function compoundParts(language: AnalysisLanguage, surface: string, known: (stem: string) => boolean): string[] {
  // Every split slices the word, so a word longer than any real one (untrusted text) would cost its length squared.
  if (!COMPOUNDING.has(language) || surface.length < SHORTEST_COMPOUND || surface.length > LONGEST_WORD) return [];
  for (let split = SHORTEST_PART; split <= surface.length - SHORTEST_PART; split += 1) {
    const head = stemToken(language, surface.slice(split));
    if (!known(head)) continue;
    const modifier = surface.slice(0, split);
    for (const link of LINKS) {
      if (!modifier.endsWith(link) || modifier.length - link.length < SHORTEST_PART) continue;
      const stem = stemToken(language, modifier.slice(0, modifier.length - link.length));
      if (known(stem)) return [stem, head];
    }
    return [head];
  }
  return [];
}
