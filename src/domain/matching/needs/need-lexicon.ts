import { inverseDocumentFrequency } from '../scoring/bm25';
import type { ConceptGraph } from '../taxonomy/concept-graph';
import type { AnalysisLanguage } from '../text/languages';
import { analyseTextIn, contentTokens } from '../text/text-analysis';
import { generalStems } from './general-words';

export interface NeedPhrase {
  readonly concept: number;
  /** As written in the taxonomy, for explanations. */
  readonly text: string;
  /** Distinct content stems in the phrase's language, in order of first appearance. */
  readonly stems: readonly string[];
  /**
   * Per stem: how much it tells concepts apart (idf over the concepts whose phrases use it), scaled down by
   * GENERAL_SHARE for everyday words (see general-words.ts).
   */
  readonly weights: readonly number[];
  /** Per stem: false for an everyday word; a match needs at least one specific stem. */
  readonly specific: readonly boolean[];
  readonly mass: number;
}

export interface NeedOccurrence {
  readonly phrase: number;
  /** Position of the stem within the phrase's stems. */
  readonly slot: number;
}

export interface NeedLexicon {
  readonly phrases: readonly NeedPhrase[];
  /** Per language: content stem → the phrases (and their slots) that contain it. */
  readonly postings: ReadonlyMap<AnalysisLanguage, ReadonlyMap<string, readonly NeedOccurrence[]>>;
}

/** One content word is a keyword, which text relevance already weighs; a need phrase needs two. */
export const MIN_PHRASE_STEMS = 2;
/** An everyday word counts this share of its idf towards a phrase's coverage. */
export const GENERAL_SHARE = 0.25;

interface AnalysedPhrase {
  readonly concept: number;
  readonly language: AnalysisLanguage;
  readonly text: string;
  readonly stems: readonly string[];
}

/**
 * Analyses every need phrase of the taxonomy once (folded, stop words out, stemmed in its own language)
 * and weights each stem by its inverse frequency among the concepts of that language, so that a phrase
 * matched on "visitor" alone says less than one matched on "floor" and "upstairs".
 */
export function buildNeedLexicon(graph: ConceptGraph): NeedLexicon {
  const analysed: AnalysedPhrase[] = [];
  graph.concepts.forEach((concept, index) => {
    for (const [language, phrases] of Object.entries(concept.needs ?? {}) as Array<[AnalysisLanguage, readonly string[]]>) {
      for (const text of phrases) {
        const stems = [...new Set(contentTokens(analyseTextIn(text, language)).map((token) => token.stem))];
        if (stems.length >= MIN_PHRASE_STEMS) analysed.push({ concept: index, language, text, stems });
      }
    }
  });

  const conceptsPerStem = new Map<string, Set<number>>();
  const conceptsPerLanguage = new Map<AnalysisLanguage, Set<number>>();
  for (const { concept, language, stems } of analysed) {
    setFor(conceptsPerLanguage, language).add(concept);
    for (const stem of stems) setFor(conceptsPerStem, `${language}:${stem}`).add(concept);
  }

  const phrases: NeedPhrase[] = [];
  const postings = new Map<AnalysisLanguage, Map<string, NeedOccurrence[]>>();
  for (const { concept, language, text, stems } of analysed) {
    const conceptCount = conceptsPerLanguage.get(language)?.size ?? 0;
    const general = generalStems(language);
    const specific = stems.map((stem) => !general.has(stem));
    const weights = stems.map(
      (stem, slot) => inverseDocumentFrequency(conceptCount, conceptsPerStem.get(`${language}:${stem}`)?.size ?? 0) * (specific[slot] ? 1 : GENERAL_SHARE),
    );
    const phrase = phrases.length;
    phrases.push({ concept, text, stems, weights, specific, mass: weights.reduce((sum, weight) => sum + weight, 0) });
    let byStem = postings.get(language);
    if (!byStem) {
      byStem = new Map();
      postings.set(language, byStem);
    }
    stems.forEach((stem, slot) => {
      const list = byStem.get(stem) ?? [];
      list.push({ phrase, slot });
      byStem.set(stem, list);
    });
  }
  return { phrases, postings };
}

function setFor<K>(map: Map<K, Set<number>>, key: K): Set<number> {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  return set;
}
