import type { Gazetteer } from '../geo/parse-gazetteer';
import { normaliseCountry, resolvePlace, type ResolvedPlace } from '../geo/places';
import type { ConceptMatcher } from '../taxonomy/concept-matcher';
import { uniqueLanguages } from '../text/languages';
import { analyseText, analyseTextIn } from '../text/text-analysis';
import type { RequestForMatching } from '../types';
import { ConceptBag, TermBag } from './term-bag';

export type RequestSkillItem =
  | { readonly kind: 'concept'; readonly concept: number; readonly weight: number }
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
/** Saturates repeated query words so one word repeated cannot dominate the text score. */
const QUERY_TERM_SATURATION = 2;

export function analyseRequest(request: RequestForMatching, matcher: ConceptMatcher, gazetteer: Gazetteer): RequestAnalysis {
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
  for (const [field, conceptWeight, textWeight] of [
    [request.title, FROM_TITLE, TITLE_TEXT_WEIGHT],
    [request.topic, FROM_TITLE, TITLE_TEXT_WEIGHT],
    [request.description, FROM_DESCRIPTION, DESCRIPTION_TEXT_WEIGHT],
  ] as const) {
    if (!field) continue;
    const analysed = analyseTextIn(field, language);
    concepts.add(matcher.findConcepts(analysed), conceptWeight);
    terms.add(analysed, textWeight);
  }

  const items: RequestSkillItem[] = [
    ...concepts.toMentions().map(({ concept, strength }) => ({ kind: 'concept' as const, concept, weight: strength })),
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
