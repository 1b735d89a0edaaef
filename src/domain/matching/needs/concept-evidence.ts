import type { NeedLexicon } from './need-lexicon';

/** Where one stem of a need phrase occurs in a text. */
export interface PhraseOccurrence {
  /** Position in the text's full token list. */
  readonly token: number;
  readonly slot: number;
  readonly sentence: number;
}

/** A concept supported by words of several of its need phrases spread over the text. */
export interface ConceptEvidence {
  readonly concept: number;
  /** In (0, EVIDENCE_SHARE]. */
  readonly confidence: number;
  /** The concept's phrase that contributed most of the words. */
  readonly phrase: string;
  /** First and last matched token of the sentence holding most of the evidence. */
  readonly firstToken: number;
  readonly lastToken: number;
}

/** Evidence spread over a text counts at most this much, less than a phrase found whole. */
export const EVIDENCE_SHARE = 0.8;
/** Idf mass of distinct specific words at which the evidence is full. */
const FULL_EVIDENCE_MASS = 20;
/** Fewer distinct specific words, or words of a single phrase, are a coincidence rather than a topic. */
const MIN_WORDS = 3;
const MIN_PHRASES = 2;

/**
 * Accumulates, per concept, the distinct specific words of all its need phrases found anywhere in the text
 * (the concept's phrases read as one bag of words, weighted by idf as in the lexicon): a text that says
 * "upstairs", "staircase" and "floor plan" in three sentences points to wayfinding though no phrase occurs
 * whole. `occurrences`: per phrase, where its stems occur; `share`: per sentence, the share its words count
 * (1 by default; less for a sentence that only sets the scene), a word counting its best occurrence.
 * Linear in the number of occurrences.
 */
export function conceptEvidence(
  lexicon: NeedLexicon, occurrences: ReadonlyMap<number, readonly PhraseOccurrence[]>, share: (sentence: number) => number = () => 1,
): ConceptEvidence[] {
  const byConcept = new Map<number, { stems: Map<string, number>; phrases: Array<{ index: number; words: number }> }>();
  for (const [index, list] of occurrences) {
    const phrase = lexicon.phrases[index];
    if (!phrase) continue;
    const seen = new Float64Array(phrase.stems.length);
    for (const { slot, sentence } of list) seen[slot] = Math.max(seen[slot] ?? 0, share(sentence));
    let entry = byConcept.get(phrase.concept);
    let words = 0;
    for (let slot = 0; slot < seen.length; slot += 1) {
      if (seen[slot] === 0 || !phrase.specific[slot]) continue;
      entry ??= { stems: new Map(), phrases: [] };
      const stem = phrase.stems[slot] ?? '';
      entry.stems.set(stem, Math.max(entry.stems.get(stem) ?? 0, (phrase.weights[slot] ?? 0) * (seen[slot] ?? 0)));
      words += 1;
    }
    if (!entry || words === 0) continue;
    entry.phrases.push({ index, words });
    byConcept.set(phrase.concept, entry);
  }
  const found: ConceptEvidence[] = [];
  for (const [concept, { stems, phrases }] of byConcept) {
    if (stems.size < MIN_WORDS || phrases.length < MIN_PHRASES) continue;
    const mass = [...stems.values()].reduce((sum, weight) => sum + weight, 0);
    const main = phrases.reduce((best, candidate) => (candidate.words > best.words ? candidate : best));
    found.push({
      concept,
      confidence: EVIDENCE_SHARE * Math.min(1, mass / FULL_EVIDENCE_MASS),
      phrase: lexicon.phrases[main.index]?.text ?? '',
      ...densestSentence(lexicon, phrases, occurrences),
    });
  }
  return found;
}

/** The first and last specific matched token of the sentence with the most of them (the earliest on a tie). */
function densestSentence(
  lexicon: NeedLexicon, phrases: ReadonlyArray<{ index: number }>, occurrences: ReadonlyMap<number, readonly PhraseOccurrence[]>,
): { firstToken: number; lastToken: number } {
  const perSentence = new Map<number, { count: number; firstToken: number; lastToken: number }>();
  for (const { index } of phrases) {
    const specific = lexicon.phrases[index]?.specific;
    for (const { token, slot, sentence } of occurrences.get(index) ?? []) {
      if (!specific?.[slot]) continue;
      const entry = perSentence.get(sentence);
      if (entry) {
        entry.count += 1;
        entry.firstToken = Math.min(entry.firstToken, token);
        entry.lastToken = Math.max(entry.lastToken, token);
      } else {
        perSentence.set(sentence, { count: 1, firstToken: token, lastToken: token });
      }
    }
  }
  let best = { count: 0, firstToken: 0, lastToken: 0 };
  for (const entry of perSentence.values()) if (entry.count > best.count || (entry.count === best.count && entry.firstToken < best.firstToken)) best = entry;
  return { firstToken: best.firstToken, lastToken: best.lastToken };
}
