import { editsWithin } from '../text/bounded-distance';
import { jaroWinkler } from '../text/natural';
import type { FuzzyLabel, LabelMatch } from './label-index';

const SHORTEST_FUZZY_KEY = 5;

/** Short words tolerate one typo; from nine letters on, two (scenografy → scenography). */
export function allowedEdits(length: number): number {
  if (length < SHORTEST_FUZZY_KEY) return 0;
  return length >= 9 ? 2 : 1;
}

const digitsOf = (text: string): string => text.replace(/\D/g, '');

/**
 * The concept whose folded label is closest to the key within the allowed edits. Labels
 * must start with the same letter and carry the same digits, so "2d animation" never
 * becomes "3d animation"; ties go to the higher Jaro-Winkler similarity. A key longer than
 * `longestKey` (the longest label key) plus the allowed edits cannot match and is not compared.
 */
export function findFuzzyLabel(key: string, labels: readonly FuzzyLabel[], longestKey: number): LabelMatch | undefined {
  const maxEdits = allowedEdits(key.length);
  if (maxEdits === 0 || key.length > longestKey + maxEdits) return undefined;
  const digits = digitsOf(key);
  let best: { label: FuzzyLabel; edits: number; similarity: number } | undefined;
  for (const label of labels) {
    if (label.key[0] !== key[0] || digitsOf(label.key) !== digits) continue;
    const edits = editsWithin(key, label.key, maxEdits);
    if (edits === undefined) continue;
    const similarity = jaroWinkler(key, label.key);
    if (!best || edits < best.edits || (edits === best.edits && similarity > best.similarity)) {
      best = { label, edits, similarity };
    }
  }
  return best && { concept: best.label.concept, language: best.label.language };
}
