import type { Place } from '../types';
import { foldKey } from '../text/fold';
import type { Gazetteer } from './parse-gazetteer';

export interface ResolvedPlace {
  readonly country: string;
  readonly city?: string;
  readonly lat?: number;
  readonly lon?: number;
}

export type CountryRelation = 'same' | 'neighbour' | 'region' | 'elsewhere';

export function normaliseCountry(country: string): string {
  return country.trim().toUpperCase();
}

/** Coordinates as given, else from the gazetteer by city name (same country preferred), else country only. */
export function resolvePlace(gazetteer: Gazetteer, place: Place): ResolvedPlace {
  const country = normaliseCountry(place.country);
  const city = place.city?.trim() || undefined;
  if (Number.isFinite(place.lat) && Number.isFinite(place.lon)) return { country, city, lat: place.lat, lon: place.lon };
  if (city === undefined) return { country };
  const candidates = gazetteer.placesByName.get(foldKey(city)) ?? [];
  const known = candidates.find((candidate) => candidate.country === country) ?? (country === '' ? candidates[0] : undefined);
  return known ? { country: country || known.country, city, lat: known.lat, lon: known.lon } : { country, city };
}

export function countryRelation(gazetteer: Gazetteer, a: string, b: string): CountryRelation {
  if (a === b) return 'same';
  if (gazetteer.neighbours.get(a)?.has(b)) return 'neighbour';
  if (gazetteer.southBaltic.has(a) && gazetteer.southBaltic.has(b)) return 'region';
  return 'elsewhere';
}

const EARTH_RADIUS_KM = 6371;
const toRadians = (degrees: number) => (degrees * Math.PI) / 180;

export function haversineKm(latA: number, lonA: number, latB: number, lonB: number): number {
  const dLat = toRadians(latB - latA);
  const dLon = toRadians(lonB - lonA);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRadians(latA)) * Math.cos(toRadians(latB)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}
