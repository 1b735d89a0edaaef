import type { Gazetteer } from '../geo/parse-gazetteer';
import { normaliseCountry, resolvePlace, type ResolvedPlace } from '../geo/places';
import type { NeedLexicon } from '../needs/need-lexicon';
import { inferNeeds } from '../needs/need-matcher';
import type { ConceptMatcher } from '../taxonomy/concept-matcher';
import { uniqueLanguages } from '../text/languages';
import { analyseText, analyseTextIn, quoteTokens, sentenceNumbers, tokenOffsets } from '../text/text-analysis';
import type { RequestForMatching } from '../types';
import { ConceptBag, TermBag } from './term-bag';

export type RequestField = 'title' | 'topic' | 'description';

/** Why a concept was inferred: the request's own words and the need phrase they matched. */
export interface Inference {
  readonly field: RequestField;
  /** The request's words, as written, from the first to the last matched one. */
  readonly quote: string;
  readonly phrase: string;
  readonly confidence: number;
}

export type RequestSkillItem =
  | { readonly kind: 'concept'; readonly concept: number; readonly weight: number; readonly inferred?: Inference }
  | { readonly kind: 'free'; readonly key: string; readonly tag: string; readonly weight: number };

export interface QueryTerm {
  readonly stem: string;
  readonly surface: string;
  readonly weight: number;
}

export interface RequestAnalysis {
  readonly requestId: string;
  readonly items: readonly RequestSkillItem[];
  readonly terms: readonly QueryTerm[];
  readonly languages: readonly string[];
  readonly mode: RequestForMatching['mode'];
  readonly place: ResolvedPlace;
  readonly organizationCountry: string;
}

// Tags are what the organisation explicitly asks for; concepts in the title say what the
// request is about; a long description also mentions context that is not the expertise sought.
const FROM_TAG = 1;
const FROM_TITLE = 0.8;
const FROM_DESCRIPTION = 0.55;
const TITLE_TEXT_WEIGHT = 2;
const TAG_TEXT_WEIGHT = 2;
const DESCRIPTION_TEXT_WEIGHT = 1;
/**
 * A concept inferred from a need phrase counts this share of a concept named in the same field, times the
 * inference's confidence: the client described a problem, an expert may see a different discipline in it.
 */
export const INFERRED_SHARE = 0.6;
/** Inferred concepts kept per request, strongest first. */
const MAX_INFERRED_CONCEPTS = 4;
/** Saturates repeated query words so one word repeated cannot dominate the text score. */
const QUERY_TERM_SATURATION = 2;

/** Analyses a request once per ranking; `needs` (the taxonomy's need lexicon) adds inferred concepts. */
export function analyseRequest(request: RequestForMatching, matcher: ConceptMatcher, gazetteer: Gazetteer, needs?: NeedLexicon): RequestAnalysis {
  const languages = uniqueLanguages(request.languages);
  const concepts = new ConceptBag();
  const terms = new TermBag();
  const freeItems = new Map<string, string>();

  for (const tag of request.skills) {
    const mapping = matcher.mapTag(tag);
    concepts.add(mapping.concepts, FROM_TAG);
    if (mapping.freeKey !== undefined && mapping.concepts.length === 0 && !freeItems.has(mapping.freeKey)) {
      freeItems.set(mapping.freeKey, tag.trim());
    }
    terms.add(analyseTextIn(tag, mapping.language), TAG_TEXT_WEIGHT);
  }
  const { language } = analyseText(`${request.title}\n${request.description}`, languages);
  const inferred = new Map<number, { weight: number; inference: Inference }>();
  for (const [name, field, conceptWeight, textWeight] of [
    ['title', request.title, FROM_TITLE, TITLE_TEXT_WEIGHT],
    ['topic', request.topic, FROM_TITLE, TITLE_TEXT_WEIGHT],
    ['description', request.description, FROM_DESCRIPTION, DESCRIPTION_TEXT_WEIGHT],
  ] as const) {
    if (!field) continue;
    const analysed = analyseTextIn(field, language);
    concepts.add(matcher.findConcepts(analysed), conceptWeight);
    terms.add(analysed, textWeight);
    if (!needs) continue;
    const offsets = tokenOffsets(field);
    for (const need of inferNeeds(needs, analysed, sentenceNumbers(field, offsets))) {
      const weight = conceptWeight * INFERRED_SHARE * need.confidence;
      if (weight <= (inferred.get(need.concept)?.weight ?? 0)) continue;
      const quote = quoteTokens(field, need.firstToken, need.lastToken, offsets);
      inferred.set(need.concept, { weight, inference: { field: name, quote, phrase: need.phrase, confidence: need.confidence } });
    }
  }

  const named = concepts.toMentions().map(({ concept, strength }): RequestSkillItem => ({ kind: 'concept', concept, weight: strength }));
  const namedWeights = new Map(named.map((item) => [item.kind === 'concept' ? item.concept : -1, item.weight]));
  const inferredItems = [...inferred]
    .filter(([concept, { weight }]) => weight > (namedWeights.get(concept) ?? 0))
    .sort(([conceptA, a], [conceptB, b]) => b.weight - a.weight || conceptA - conceptB)
    .slice(0, MAX_INFERRED_CONCEPTS);
  const inferredConcepts = new Set(inferredItems.map(([concept]) => concept));
  const items: RequestSkillItem[] = [
    ...named.filter((item) => item.kind !== 'concept' || !inferredConcepts.has(item.concept)),
    ...inferredItems.map(([concept, { weight, inference }]) => ({ kind: 'concept' as const, concept, weight, inferred: inference })),
    ...[...freeItems].map(([key, tag]) => ({ kind: 'free' as const, key, tag, weight: FROM_TAG })),
  ];
  const queryTerms = [...terms.frequencies]
    .map(([stem, frequency]) => ({
      stem,
      surface: terms.surfaces.get(stem) ?? stem,
      weight: ((QUERY_TERM_SATURATION + 1) * frequency) / (QUERY_TERM_SATURATION + frequency),
    }))
    .sort((a, b) => (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0));

  return {
    requestId: request.id,
    items,
    terms: queryTerms,
    languages,
    mode: request.mode,
    place: resolvePlace(gazetteer, request.location),
    organizationCountry: normaliseCountry(request.organizationCountry),
  };
}
