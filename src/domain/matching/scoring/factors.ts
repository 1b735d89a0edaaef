import type { Gazetteer } from '../geo/parse-gazetteer';
import { countryRelation, haversineKm, type CountryRelation, type ResolvedPlace } from '../geo/places';
import type { RequestForMatching } from '../types';

/** Sharing the request's first (working) language is worth more than sharing any of its others. */
export const LANGUAGE_CREDIT = { first: 1, other: 0.7 } as const;

export function languageFactor(requestLanguages: readonly string[], expertLanguages: readonly string[]): number {
  const first = requestLanguages[0];
  if (first === undefined) return LANGUAGE_CREDIT.first;
  if (expertLanguages.includes(first)) return LANGUAGE_CREDIT.first;
  return requestLanguages.some((language) => expertLanguages.includes(language)) ? LANGUAGE_CREDIT.other : 0;
}

/** Online work barely depends on place; a shared country still helps with context and time zone. */
export const ONLINE_PREFERENCE: Readonly<Record<CountryRelation, number>> = { same: 1, neighbour: 0.9, region: 0.85, elsewhere: 0.75 };
/** Proximity when neither coordinates nor a known city give a distance. */
export const COUNTRY_PROXIMITY: Readonly<Record<CountryRelation, number>> = { same: 0.6, neighbour: 0.35, region: 0.25, elsewhere: 0.1 };
/** Onsite proximity halves every 150 km: a day trip stays attractive, a cross-sea journey does not. */
export const HALF_PROXIMITY_KM = 150;
/** With mode "any", working online stands in for presence, but a nearby expert who can come is better. */
export const ONLINE_SHARE_IN_ANY_MODE = 0.8;

export interface LocationAssessment {
  readonly score: number;
  readonly relation: CountryRelation;
  readonly distanceKm?: number;
}

interface LocatedRequest {
  readonly mode: RequestForMatching['mode'];
  readonly place: ResolvedPlace;
  readonly organizationCountry: string;
}

interface LocatedExpert {
  readonly place: ResolvedPlace;
  readonly online: boolean;
}

export function distanceKm(a: ResolvedPlace, b: ResolvedPlace): number | undefined {
  if (a.lat === undefined || a.lon === undefined || b.lat === undefined || b.lon === undefined) return undefined;
  return haversineKm(a.lat, a.lon, b.lat, b.lon);
}

export function assessLocation(gazetteer: Gazetteer, request: LocatedRequest, expert: LocatedExpert): LocationAssessment {
  const requestCountry = request.place.country || request.organizationCountry;
  const relation = countryRelation(gazetteer, expert.place.country, requestCountry);
  if (request.mode === 'online') return { score: ONLINE_PREFERENCE[relation], relation };
  const km = distanceKm(request.place, expert.place);
  const proximity = km === undefined ? COUNTRY_PROXIMITY[relation] : 0.5 ** (km / HALF_PROXIMITY_KM);
  const score = request.mode === 'any' && expert.online ? Math.max(proximity, ONLINE_SHARE_IN_ANY_MODE * ONLINE_PREFERENCE[relation]) : proximity;
  return km === undefined ? { score, relation } : { score, relation, distanceKm: km };
}

/** Share of free slots, discounted by invitations that may soon take them. */
export const PENDING_INVITATION_PENALTY = 0.5;

export function freeSlots(capacity: number, activeConsultations: number): number {
  return Math.max(0, capacity - activeConsultations);
}

export function availabilityFactor(capacity: number, activeConsultations: number, pendingInvitations: number): number {
  const free = freeSlots(capacity, activeConsultations);
  if (capacity <= 0 || free === 0) return 0;
  const pending = Math.max(0, pendingInvitations);
  return Math.min(1, free / capacity) * (1 - (PENDING_INVITATION_PENALTY * pending) / (pending + free));
}
