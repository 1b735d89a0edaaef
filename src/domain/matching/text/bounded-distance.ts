import { damerauLevenshtein } from './natural';

/**
 * How many code units one string has beyond the other as multisets, the larger of the two counts. An insertion,
 * deletion or substitution changes it by at most one and a transposition not at all, so it never exceeds the
 * Damerau-Levenshtein distance; it costs O(|a| + |b|).
 */
export function bagDistance(a: string, b: string): number {
  const surplus = new Map<number, number>();
  for (let i = 0; i < a.length; i += 1) surplus.set(a.charCodeAt(i), (surplus.get(a.charCodeAt(i)) ?? 0) + 1);
  for (let i = 0; i < b.length; i += 1) surplus.set(b.charCodeAt(i), (surplus.get(b.charCodeAt(i)) ?? 0) - 1);
  let onlyInA = 0;
  let onlyInB = 0;
  for (const count of surplus.values()) {
    if (count > 0) onlyInA += count;
    else onlyInB -= count;
  }
  return Math.max(onlyInA, onlyInB);
}

/**
 * The Damerau-Levenshtein distance (natural's, unrestricted, in UTF-16 code units) between `a` and `b` when it is
 * at most `maxEdits`, else undefined. The quadratic comparison runs only after two linear lower bounds pass: the
 * length difference (each edit changes the length by at most one) and the bag distance. So a long untrusted string
 * is refused in O(length) against a short label, and a comparison that does run costs about the square of the
 * shorter string (the label): callers compare untrusted text only with labels, never two untrusted texts.
 */
export function editsWithin(a: string, b: string, maxEdits: number): number | undefined {
  if (maxEdits < 0 || Math.abs(a.length - b.length) > maxEdits || bagDistance(a, b) > maxEdits) return undefined;
  const edits = damerauLevenshtein(a, b);
  return edits <= maxEdits ? edits : undefined;
}
