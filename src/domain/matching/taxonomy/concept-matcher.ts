import { foldKey } from '../text/fold';
import { ANALYSIS_LANGUAGES, type AnalysisLanguage } from '../text/languages';
import { analyseText, analyseTextIn, contentTokens, LONGEST_WORD, type AnalysedText, type TextToken } from '../text/text-analysis';
import type { ConceptGraph } from './concept-graph';
import { findFuzzyLabel } from './fuzzy-label-search';
import type { LabelIndex, LabelMatch, LabelPhrase } from './label-index';

export interface ConceptMention {
  readonly concept: number;
  /** How sure the match is, in (0, 1]. */
  readonly strength: number;
}

export interface TagMapping {
  readonly concepts: readonly ConceptMention[];
  /** The language to analyse the tag in: that of the label it matched, else detected from the tag. */
  readonly language: AnalysisLanguage;
  /** Normalised, stemmed form of a tag that is not (wholly) a taxonomy concept. */
  readonly freeKey?: string;
}

const FUZZY_TAG_STRENGTH = 0.9;
const CONCEPT_INSIDE_TAG_STRENGTH = 0.8;
const COMPOUND_HEAD_STRENGTH = 0.7;
const COMPOUNDING_LANGUAGES: ReadonlySet<AnalysisLanguage> = new Set(['de', 'sv', 'da']);
const SHORTEST_COMPOUND = 8;
const SHORTEST_COMPOUND_PART = 4;
const CACHE_LIMIT = 100_000;

interface PhraseMatch {
  readonly concept: number;
  readonly length: number;
  readonly strength: number;
}

/** Maps profile tags and free text onto taxonomy concepts in any of the taxonomy's languages. */
export class ConceptMatcher {
  private tagCache = new Map<string, TagMapping>();
  private compoundHeadCache = new Map<string, string | null>();

  constructor(
    readonly graph: ConceptGraph,
    private readonly labels: LabelIndex,
  ) {}

  mapTag(tag: string): TagMapping {
    const key = foldKey(tag);
    const cached = this.tagCache.get(key);
    if (cached) return cached;
    if (this.tagCache.size >= CACHE_LIMIT) this.tagCache = new Map();
    const mapping = this.mapUncachedTag(tag, key);
    this.tagCache.set(key, mapping);
    return mapping;
  }

  /** Longest-first phrase matching of concept labels over the analysed tokens. */
  findConcepts(text: AnalysedText): ConceptMention[] {
    const mentions: ConceptMention[] = [];
    const { tokens } = text;
    for (let position = 0; position < tokens.length; ) {
      const match = this.longestMatchAt(text, position);
      if (match) {
        mentions.push({ concept: match.concept, strength: match.strength });
        position += match.length;
      } else {
        position += 1;
      }
    }
    return mentions;
  }

  private mapUncachedTag(tag: string, key: string): TagMapping {
    const analysed = analyseText(tag, []);
    if (key === '') return { concepts: [], language: analysed.language };
    const exact = this.labels.exact.get(key);
    if (exact !== undefined) return { concepts: [{ concept: exact.concept, strength: 1 }], language: exact.language };
    const stemMatch = this.findByStems(tag, analysed);
    if (stemMatch !== undefined) return { concepts: [{ concept: stemMatch.concept, strength: 1 }], language: stemMatch.language };
    const fuzzy = findFuzzyLabel(key, this.labels.fuzzy, this.labels.longestFuzzyKey);
    if (fuzzy !== undefined) return { concepts: [{ concept: fuzzy.concept, strength: FUZZY_TAG_STRENGTH }], language: fuzzy.language };
    const inside = analysed.tokens.length > 1 ? this.findConcepts(analysed) : [];
    const freeKey = contentTokens(analysed).map((token) => token.stem).join(' ');
    return {
      concepts: inside.map(({ concept, strength }) => ({ concept, strength: strength * CONCEPT_INSIDE_TAG_STRENGTH })),
      language: analysed.language,
      ...(freeKey === '' ? {} : { freeKey }),
    };
  }

  private findByStems(tag: string, analysed: AnalysedText): LabelMatch | undefined {
    const languages = [analysed.language, ...ANALYSIS_LANGUAGES.filter((language) => language !== analysed.language)];
    for (const language of languages) {
      const tokens = language === analysed.language ? analysed.tokens : analyseTextIn(tag, language).tokens;
      const concept = this.labels.stemmed.get(language)?.get(tokens.map((token) => token.stem).join(' '));
      if (concept !== undefined) return { concept, language };
    }
    return undefined;
  }

  private longestMatchAt(text: AnalysedText, position: number): PhraseMatch | undefined {
    const token = text.tokens[position];
    if (!token) return undefined;
    const byStem = longestPhrase(this.labels.phrasesByStem.get(text.language)?.get(token.stem), text.tokens, position, 'stem');
    const bySurface = longestPhrase(this.labels.phrasesBySurface.get(token.surface), text.tokens, position, 'surface');
    const best = (bySurface?.tokens.length ?? 0) > (byStem?.tokens.length ?? 0) ? bySurface : byStem;
    if (best) return { concept: best.concept, length: best.tokens.length, strength: 1 };
    if (token.stopWord) return undefined;
    const head = this.compoundHead(text.language, token.stem);
    const single = this.labels.phrasesByStem.get(text.language)?.get(head ?? '')?.find((phrase) => phrase.tokens.length === 1);
    return single ? { concept: single.concept, length: 1, strength: COMPOUND_HEAD_STRENGTH } : undefined;
  }

  /** "theaterfestival" → "festival": the last part of a compound that is itself a label word. Quadratic in the stem's length, hence the cap. */
  private compoundHead(language: AnalysisLanguage, stem: string): string | undefined {
    if (!COMPOUNDING_LANGUAGES.has(language) || stem.length < SHORTEST_COMPOUND || stem.length > LONGEST_WORD) return undefined;
    const vocabulary = this.labels.vocabulary.get(language);
    if (!vocabulary || vocabulary.has(stem)) return undefined;
    const cacheKey = `${language}:${stem}`;
    const cached = this.compoundHeadCache.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    if (this.compoundHeadCache.size >= CACHE_LIMIT) this.compoundHeadCache = new Map();
    let head: string | null = null;
    for (let split = 3; stem.length - split >= SHORTEST_COMPOUND_PART; split += 1) {
      const candidate = stem.slice(split);
      if (vocabulary.has(candidate)) {
        head = candidate;
        break;
      }
    }
    this.compoundHeadCache.set(cacheKey, head);
    return head ?? undefined;
  }
}

/** Phrase lists are sorted longest first, so the first match is the longest. */
function longestPhrase(phrases: readonly LabelPhrase[] | undefined, tokens: readonly TextToken[], position: number, field: 'stem' | 'surface'): LabelPhrase | undefined {
  return phrases?.find((phrase) => matchesAt(phrase, tokens, position, field));
}

function matchesAt(phrase: LabelPhrase, tokens: readonly TextToken[], position: number, field: 'stem' | 'surface'): boolean {
  for (let offset = 0; offset < phrase.tokens.length; offset += 1) {
    const token = tokens[position + offset];
    if (!token || token[field] !== phrase.tokens[offset]) return false;
    if (phrase.acronym && !token.acronym) return false;
  }
  return true;
}
