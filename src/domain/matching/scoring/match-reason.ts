import type { RequestField } from '../analysis/request-analysis';
import type { CountryRelation } from '../geo/places';

/** A skill as the request named it: a taxonomy concept (by id) or a free tag (as written). */
export type SkillRef = { readonly concept: string } | { readonly tag: string };

/** Evidence that the request's own words point to a concept the request does not name. */
export interface InferredNeedParams {
  readonly field: RequestField;
  /** The request's own words that matched a need phrase, on one line, at most about 120 characters. */
  readonly quote: string;
  /** The inferred concept's id. */
  readonly concept: string;
  /** The id of the expert's concept that earned the credit, when it is a related one. */
  readonly related?: string;
}

/**
 * Why an expert fits a request, as a code and parameters: codes, numbers, ids and the request's own words, never a
 * sentence, so the edge can render it in the reader's language (concept ids through the taxonomy's labels, country
 * and language codes through Intl.DisplayNames). Countries are ISO 3166-1 alpha-2, languages ISO 639-1.
 */
export type MatchReason =
  | { readonly code: 'shared_skills'; readonly params: { readonly skills: SkillRef[] } }
  | { readonly code: 'inferred_need'; readonly params: InferredNeedParams }
  | { readonly code: 'related_expertise'; readonly params: { readonly concepts: string[] } }
  /** Words of the request (as written) that the expert's profile text contains. */
  | { readonly code: 'profile_text'; readonly params: { readonly terms: string[] } }
  | { readonly code: 'speaks_first_language'; readonly params: { readonly language: string } }
  /** The request's languages the expert speaks, none of them its first. */
  | { readonly code: 'speaks_languages'; readonly params: { readonly languages: string[] } }
  /** Whole kilometres between the request's place and the expert's, 0 meaning under 1 km. */
  | { readonly code: 'distance'; readonly params: { readonly km: number; readonly works: 'onsite' | 'online_only' } }
  | { readonly code: 'country_relation'; readonly params: { readonly relation: CountryRelation; readonly country: string } }
  /** Consultations the expert can still take (of `capacity`), and invitations awaiting their answer. */
  | { readonly code: 'availability'; readonly params: { readonly free: number; readonly capacity: number; readonly pending: number } }
  /** The expert's country (`from`) differs from the organisation's (`to`) and the score rewards that. */
  | { readonly code: 'cross_border'; readonly params: { readonly from: string; readonly to: string } };

export type MatchReasonCode = MatchReason['code'];
