import type { ConceptMatcher, ConceptMention } from '../taxonomy/concept-matcher';
import type { Gazetteer } from '../geo/parse-gazetteer';
import { resolvePlace, type ResolvedPlace } from '../geo/places';
import { uniqueLanguages } from '../text/languages';
import { analyseText, analyseTextIn } from '../text/text-analysis';
import type { ExpertForMatching } from '../types';
import { ConceptBag, TermBag } from './term-bag';

export interface ExpertAnalysis {
  readonly expertId: string;
  readonly concepts: readonly ConceptMention[];
  readonly freeTags: ReadonlyMap<string, string>;
  readonly terms: TermBag;
  readonly languages: readonly string[];
  readonly online: boolean;
  readonly onsite: boolean;
  readonly place: ResolvedPlace;
  readonly status: ExpertForMatching['status'];
  readonly capacity: number;
  readonly activeConsultations: number;
  readonly pendingInvitations: number;
}

// How much a concept found in each field says about the expert's expertise.
const FROM_TAG = 1;
const FROM_HEADLINE = 0.8;
const FROM_BIO = 0.6;
// BM25F field weights: tags and headline are short and deliberate, the bio is long and loose.
const TAG_TEXT_WEIGHT = 2;
const HEADLINE_TEXT_WEIGHT = 2;
const BIO_TEXT_WEIGHT = 1;

export function analyseExpert(expert: ExpertForMatching, matcher: ConceptMatcher, gazetteer: Gazetteer): ExpertAnalysis {
  const languages = uniqueLanguages(expert.languages);
  const concepts = new ConceptBag();
  const terms = new TermBag();
  const freeTags = new Map<string, string>();

  for (const tag of expert.skills) {
    const mapping = matcher.mapTag(tag);
    concepts.add(mapping.concepts, FROM_TAG);
    if (mapping.freeKey !== undefined && !freeTags.has(mapping.freeKey)) freeTags.set(mapping.freeKey, tag.trim());
    terms.add(analyseTextIn(tag, mapping.language), TAG_TEXT_WEIGHT);
  }
  for (const [field, conceptWeight, textWeight] of [
    [expert.headline, FROM_HEADLINE, HEADLINE_TEXT_WEIGHT],
    [expert.bio, FROM_BIO, BIO_TEXT_WEIGHT],
  ] as const) {
    if (!field) continue;
    const analysed = analyseText(field, languages);
    concepts.add(matcher.findConcepts(analysed), conceptWeight);
    terms.add(analysed, textWeight);
  }

  return {
    expertId: expert.id,
    concepts: concepts.toMentions(),
    freeTags,
    terms,
    languages,
    online: expert.modes.includes('online'),
    onsite: expert.modes.includes('onsite'),
    place: resolvePlace(gazetteer, expert.location),
    status: expert.status,
    capacity: expert.capacity,
    activeConsultations: expert.activeConsultations,
    pendingInvitations: expert.pendingInvitations,
  };
}
