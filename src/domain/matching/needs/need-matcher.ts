import type { AnalysedText } from '../text/text-analysis';
import { compoundParts } from './compound-parts';
import { conceptEvidence } from './concept-evidence';
import { sceneSentences } from './need-cues';
import { MIN_PHRASE_STEMS, type NeedLexicon, type NeedOccurrence, type NeedPhrase } from './need-lexicon';

/** A concept inferred from a need phrase found in a text. */
export interface InferredNeed {
  readonly concept: number;
  /**
   * In (0, 1]: for the best phrase, idf-weighted coverage × proximity of its words × specificity, raised by the
   * concept's words spread over the text (concept-evidence.ts), which alone give at most EVIDENCE_SHARE.
   */
  readonly confidence: number;
  /** The need phrase of the taxonomy that matched. */
  readonly phrase: string;
  /** The matched words' first and last positions in the text's tokens (stop words included), to quote them. */
  readonly firstToken: number;
  readonly lastToken: number;
}

/** Share of a phrase's idf mass the text must contain: "most of its content words". */
export const MIN_COVERAGE = 0.6;
/** A phrase of n content words may spread over 2n content words of the text (at least n + 2). */
const windowFor = (stems: number) => Math.max(2 * stems, stems + 2);
/** Inferences weaker than this are noise. */
export const MIN_CONFIDENCE = 0.3;
/** Keep only inferences at least this share of the text's strongest one, and at most this many. */
export const RELATIVE_CUTOFF = 0.5;
export const MAX_INFERRED = 4;
/** A phrase found in a sentence that only sets the scene (need-cues.ts) counts this share. */
export const SCENE_SHARE = 0.5;

interface Occurrence {
  /** Position among the text's content tokens. */
  readonly at: number;
  /** Position in the full token list. */
  readonly token: number;
  readonly slot: number;
  readonly sentence: number;
}

interface WindowMatch {
  readonly confidence: number;
  readonly firstToken: number;
  readonly lastToken: number;
}

/**
 * Finds the concepts whose need phrases occur in the text: a phrase matches where at least two of its content
 * stems, and most of them by idf mass, lie within a small window of one sentence (a German, Swedish or Danish
 * compound also counts as its known parts: "Schulmensa" as "Schul" and "Mensa") (`sentences`: per token, its
 * sentence number; all one sentence when absent). The cost is linear in the text's length times the
 * number of phrases sharing a stem (fixed by the taxonomy), plus one linear sweep per phrase touched.
 * Words in a sentence that only sets the scene (no word stating a need, while others have one) count
 * SCENE_SHARE: "we print our motif on linen towels" says what the organisation makes, not what it needs.
 */
export function inferNeeds(lexicon: NeedLexicon, text: AnalysedText, sentences?: Int32Array): InferredNeed[] {
  const postings = lexicon.postings.get(text.language);
  if (!postings) return [];
  const occurrences = new Map<number, Occurrence[]>();
  let at = 0;
  const known = (stem: string) => postings.has(stem);
  text.tokens.forEach((token, position) => {
    if (token.stopWord) return;
    const stems = known(token.stem) ? [token.stem] : compoundParts(text.language, token.surface, known);
    for (const stem of stems) {
      for (const { phrase, slot } of postings.get(stem) ?? ([] as NeedOccurrence[])) {
        let list = occurrences.get(phrase);
        if (!list) {
          list = [];
          occurrences.set(phrase, list);
        }
        list.push({ at, token: position, slot, sentence: sentences?.[position] ?? 0 });
      }
    }
    at += 1;
  });

  const scene = sceneSentences(text, sentences);
  const share = (sentence: number) => (scene.has(sentence) ? SCENE_SHARE : 1);
  const best = new Map<number, InferredNeed>();
  for (const [index, list] of occurrences) {
    const phrase = lexicon.phrases[index];
    if (!phrase) continue;
    const match = bestWindow(phrase, list, share);
    if (!match) continue;
    const current = best.get(phrase.concept);
    if (!current || match.confidence > current.confidence) best.set(phrase.concept, { concept: phrase.concept, phrase: phrase.text, ...match });
  }
  for (const evidence of conceptEvidence(lexicon, occurrences, share)) {
    const found = best.get(evidence.concept);
    // Evidence spread over the text adds to a phrase found whole; alone, it counts at most EVIDENCE_SHARE.
    best.set(evidence.concept, found ? { ...found, confidence: found.confidence + (1 - found.confidence) * evidence.confidence } : evidence);
  }
  return strongest([...best.values()]);
}

/** Keeps the clear inferences, strongest first (ties by concept, so results are stable). */
export function strongest(inferred: readonly InferredNeed[]): InferredNeed[] {
  const sorted = inferred.filter((need) => need.confidence >= MIN_CONFIDENCE).sort((a, b) => b.confidence - a.confidence || a.concept - b.concept);
  const top = sorted[0]?.confidence ?? 0;
  return sorted.filter((need) => need.confidence >= RELATIVE_CUTOFF * top).slice(0, MAX_INFERRED);
}

/** Sliding window over the phrase's occurrences (in text order), kept minimal for the words it covers. */
function bestWindow(phrase: NeedPhrase, list: readonly Occurrence[], share: (sentence: number) => number): WindowMatch | undefined {
  const size = phrase.stems.length;
  const width = windowFor(size);
  const counts = new Int32Array(size);
  let covered = 0;
  let specificCovered = 0;
  let mass = 0;
  let left = 0;
  let best: WindowMatch | undefined;
  for (let right = 0; right < list.length; right += 1) {
    const entering = list[right]!;
    counts[entering.slot] = (counts[entering.slot] ?? 0) + 1;
    if (counts[entering.slot] === 1) {
      covered += 1;
      if (phrase.specific[entering.slot]) specificCovered += 1;
      mass += phrase.weights[entering.slot] ?? 0;
    }
    for (;;) {
      const leaving = list[left]!;
      const tooWide = entering.at - leaving.at + 1 > width || leaving.sentence !== entering.sentence;
      if (!tooWide && (counts[leaving.slot] ?? 0) <= 1) break;
      counts[leaving.slot] = (counts[leaving.slot] ?? 0) - 1;
      if (counts[leaving.slot] === 0) {
        covered -= 1;
        if (phrase.specific[leaving.slot]) specificCovered -= 1;
        mass -= phrase.weights[leaving.slot] ?? 0;
      }
      left += 1;
    }
    if (covered < MIN_PHRASE_STEMS || specificCovered === 0) continue;
    const coverage = mass / phrase.mass;
    if (coverage < MIN_COVERAGE) continue;
    const first = list[left]!;
    const span = entering.at - first.at + 1;
    const confidence = coverage * Math.sqrt(covered / span) * (1 - 0.5 ** covered) * share(entering.sentence);
    if (!best || confidence > best.confidence) best = { confidence, firstToken: first.token, lastToken: entering.token };
  }
  return best;
}
