// Deterministic synthetic experts and requests (API bodies) built from the seed taxonomy and gazetteer.
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface Concept {
  labels: Record<string, string[]>;
}
interface Place {
  name: string;
  country: string;
  lat: number;
  lon: number;
}

const root = path.resolve(__dirname, '..');
const concepts = (JSON.parse(readFileSync(path.join(root, 'seed/taxonomy/skills.json'), 'utf8')) as { concepts: Concept[] }).concepts;
const places = (JSON.parse(readFileSync(path.join(root, 'seed/geo/places.json'), 'utf8')) as { places: Place[] }).places;
const LANGUAGES = ['en', 'pl', 'de', 'lt', 'sv'] as const;
const ORGANIZATION_TYPES = ['business', 'public', 'cultural', 'ngo', 'education'] as const;

/** mulberry32: small, fast, deterministic. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticData(seed: number) {
  const next = seededRandom(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const label = (concept: Concept, language: string) => pick(concept.labels[language] ?? concept.labels.en ?? ['design']);
  const distinct = (values: string[]) => [...new Map(values.map((value) => [value.toLowerCase(), value])).values()];
  const place = () => {
    const chosen = pick(places);
    return { country: chosen.country, city: chosen.name, lat: chosen.lat, lon: chosen.lon };
  };

  return {
    expert(index: number, run: string) {
      const language = pick(LANGUAGES);
      const chosen = Array.from({ length: int(3, 8) }, () => pick(concepts));
      return {
        name: `Synthetic Expert ${index}`,
        email: `synthetic.${run}.${index}@example.org`,
        headline: `${label(chosen[0]!, 'en')} and ${label(chosen[1]!, 'en')}`,
        bio: chosen.map((concept) => label(concept, language)).join(', '),
        skills: distinct(chosen.map((concept) => label(concept, pick([language, 'en'])))),
        languages: [...new Set([language, pick(LANGUAGES)])],
        location: place(),
        modes: pick([['online'], ['onsite'], ['online', 'onsite']]),
        capacity: int(1, 5),
      };
    },

    request(index: number) {
      const language = pick(LANGUAGES);
      const chosen = Array.from({ length: int(1, 3) }, () => pick(concepts));
      const at = place();
      return {
        organization: { name: `Synthetic organisation ${index}`, type: pick(ORGANIZATION_TYPES), country: at.country },
        title: `Help with ${chosen.map((concept) => label(concept, 'en')).join(' and ')}`,
        description: `We need support: ${chosen.map((concept) => label(concept, language)).join(', ')}.`,
        skills: next() < 0.7 ? distinct(chosen.map((concept) => label(concept, language))) : [],
        languages: [language],
        location: at,
        mode: pick(['online', 'onsite', 'any'] as const),
      };
    },
  };
}
