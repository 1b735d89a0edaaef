import { damerauLevenshtein, jaroWinkler } from '../text/natural';
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
 * becomes "3d animation"; ties go to the higher Jaro-Winkler similarity.
 */
export function findFuzzyLabel(key: string, labels: readonly FuzzyLabel[]): LabelMatch | undefined {
  const maxEdits = allowedEdits(key.length);
  if (maxEdits === 0) return undefined;
  const digits = digitsOf(key);
  let best: { label: FuzzyLabel; edits: number; similarity: number } | undefined;
  for (const label of labels) {
    if (Math.abs(label.key.length - key.length) > maxEdits || label.key[0] !== key[0]) continue;
    if (digitsOf(label.key) !== digits) continue;
    const edits = damerauLevenshtein(key, label.key);
    if (edits > maxEdits) continue;
    const similarity = jaroWinkler(key, label.key);
    if (!best || edits < best.edits || (edits === best.edits && similarity > best.similarity)) {
      best = { label, edits, similarity };
    }
  }
  return best && { concept: best.label.concept, language: best.label.language };
}
