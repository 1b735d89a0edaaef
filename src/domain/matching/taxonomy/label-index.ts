import { foldKey } from '../text/fold';
import { ANALYSIS_LANGUAGES, isAnalysisLanguage, type AnalysisLanguage } from '../text/languages';
import { analyseTextIn } from '../text/text-analysis';
import type { ConceptGraph } from './concept-graph';

export interface LabelPhrase {
  readonly concept: number;
  /** Stems in the label's language, or folded surface forms in the cross-language index. */
  readonly tokens: readonly string[];
  /** A one-word label written in capitals (AR, UX): in free text it only matches capitals. */
  readonly acronym: boolean;
}

export interface LabelMatch {
  readonly concept: number;
  /** The analysis language of the matched label (English for languages without analysis). */
  readonly language: AnalysisLanguage;
}

export interface FuzzyLabel extends LabelMatch {
  readonly key: string;
}

export interface LabelIndex {
  readonly exact: ReadonlyMap<string, LabelMatch>;
  readonly stemmed: ReadonlyMap<AnalysisLanguage, ReadonlyMap<string, number>>;
  readonly phrasesByStem: ReadonlyMap<AnalysisLanguage, ReadonlyMap<string, readonly LabelPhrase[]>>;
  readonly phrasesBySurface: ReadonlyMap<string, readonly LabelPhrase[]>;
  /** Label stems per language, used to recognise the head of a compound word. */
  readonly vocabulary: ReadonlyMap<AnalysisLanguage, ReadonlySet<string>>;
  readonly fuzzy: readonly FuzzyLabel[];
  /** Length of the longest fuzzy label key: no longer input can be within a few edits of a label. */
  readonly longestFuzzyKey: number;
}

interface LabelEntry {
  readonly concept: number;
  readonly language: string;
  readonly label: string;
}

/** Preferred labels of every concept come first, so they win when two concepts share a label. */
function labelsInPriorityOrder(graph: ConceptGraph): LabelEntry[] {
  const preferred: LabelEntry[] = [];
  const alternative: LabelEntry[] = [];
  graph.concepts.forEach((concept, index) => {
    for (const [language, labels] of Object.entries(concept.labels)) {
      labels.forEach((label, position) => (position === 0 ? preferred : alternative).push({ concept: index, language, label }));
    }
  });
  return [...preferred, ...alternative];
}

function addPhrase(index: Map<string, LabelPhrase[]>, phrase: LabelPhrase): void {
  const first = phrase.tokens[0];
  if (first === undefined) return;
  const list = index.get(first) ?? [];
  if (list.some((other) => other.concept === phrase.concept && other.tokens.join(' ') === phrase.tokens.join(' '))) return;
  list.push(phrase);
  list.sort((a, b) => b.tokens.length - a.tokens.length);
  index.set(first, list);
}

export function buildLabelIndex(graph: ConceptGraph): LabelIndex {
  const exact = new Map<string, LabelMatch>();
  const stemmed = new Map<AnalysisLanguage, Map<string, number>>(ANALYSIS_LANGUAGES.map((language) => [language, new Map()]));
  const phrasesByStem = new Map<AnalysisLanguage, Map<string, LabelPhrase[]>>(ANALYSIS_LANGUAGES.map((language) => [language, new Map()]));
  const vocabulary = new Map<AnalysisLanguage, Set<string>>(ANALYSIS_LANGUAGES.map((language) => [language, new Set()]));
  const phrasesBySurface = new Map<string, LabelPhrase[]>();
  const fuzzy = new Map<string, FuzzyLabel>();

  for (const { concept, language, label } of labelsInPriorityOrder(graph)) {
    const key = foldKey(label);
    const analysisLanguage: AnalysisLanguage = isAnalysisLanguage(language) ? language : 'en';
    if (!exact.has(key)) exact.set(key, { concept, language: analysisLanguage });
    if (!fuzzy.has(`${key}|${concept}`)) fuzzy.set(`${key}|${concept}`, { key, concept, language: analysisLanguage });
    const { tokens } = analyseTextIn(label, analysisLanguage);
    if (tokens.every((token) => token.stopWord)) continue;
    const acronym = tokens.length === 1 && tokens[0]?.acronym === true;
    // A one-word label in another language is too often a false friend ("speak" in Danish).
    if (tokens.length > 1 || language === 'en') {
      addPhrase(phrasesBySurface, { concept, acronym, tokens: tokens.map((token) => token.surface) });
    }
    if (!isAnalysisLanguage(language)) continue;
    const stems = tokens.map((token) => token.stem);
    const stemKey = stems.join(' ');
    const stemIndex = stemmed.get(language);
    if (stemIndex && !stemIndex.has(stemKey)) stemIndex.set(stemKey, concept);
    const phraseIndex = phrasesByStem.get(language);
    if (phraseIndex) addPhrase(phraseIndex, { concept, acronym, tokens: stems });
    for (const token of tokens) if (!token.stopWord) vocabulary.get(language)?.add(token.stem);
  }
  const fuzzyLabels = [...fuzzy.values()];
  const longestFuzzyKey = fuzzyLabels.reduce((longest, label) => Math.max(longest, label.key.length), 0);
  return { exact, stemmed, phrasesByStem, phrasesBySurface, vocabulary, fuzzy: fuzzyLabels, longestFuzzyKey };
}
