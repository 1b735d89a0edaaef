import { foldKey } from '../text/fold';

export interface GazetteerPlace {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly country: string;
  readonly lat: number;
  readonly lon: number;
}

export interface Gazetteer {
  readonly version: 1;
  /** Symmetric: if PL lists DE, DE also lists PL. */
  readonly neighbours: ReadonlyMap<string, ReadonlySet<string>>;
  readonly southBaltic: ReadonlySet<string>;
  readonly places: readonly GazetteerPlace[];
  /** Folded names and aliases. */
  readonly placesByName: ReadonlyMap<string, readonly GazetteerPlace[]>;
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function countryCode(value: unknown, where: string): string {
  if (typeof value !== 'string' || !/^[A-Za-z]{2}$/.test(value.trim())) throw new Error(`Gazetteer ${where} must be a two-letter country code`);
  return value.trim().toUpperCase();
}

function coordinate(value: unknown, limit: number, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > limit) throw new Error(`Gazetteer ${where} must be a number within ±${limit}`);
  return value;
}

function parsePlace(value: unknown, position: number): GazetteerPlace {
  if (!isObject(value)) throw new Error(`Gazetteer place #${position} must be an object`);
  if (typeof value.name !== 'string' || value.name.trim() === '') throw new Error(`Gazetteer place #${position} needs a name`);
  const name = value.name;
  const aliases = value.aliases ?? [];
  if (!Array.isArray(aliases) || aliases.some((alias) => typeof alias !== 'string')) {
    throw new Error(`Gazetteer place "${name}" aliases must be an array of strings`);
  }
  return {
    name,
    aliases: aliases as string[],
    country: countryCode(value.country, `place "${name}" country`),
    lat: coordinate(value.lat, 90, `place "${name}" lat`),
    lon: coordinate(value.lon, 180, `place "${name}" lon`),
  };
}

function parseNeighbours(value: unknown): Map<string, Set<string>> {
  if (!isObject(value)) throw new Error('Gazetteer neighbours must be an object of country code lists');
  const neighbours = new Map<string, Set<string>>();
  const link = (a: string, b: string) => {
    if (a === b) return;
    neighbours.set(a, (neighbours.get(a) ?? new Set()).add(b));
    neighbours.set(b, (neighbours.get(b) ?? new Set()).add(a));
  };
  for (const [country, list] of Object.entries(value)) {
    const code = countryCode(country, `neighbours key "${country}"`);
    if (!Array.isArray(list)) throw new Error(`Gazetteer neighbours.${country} must be an array`);
    list.forEach((other, index) => link(code, countryCode(other, `neighbours.${country}[${index}]`)));
  }
  return neighbours;
}

/** Validates the gazetteer JSON; the error names the first bad entry. */
export function parseGazetteer(data: unknown): Gazetteer {
  if (!isObject(data)) throw new Error('Gazetteer must be a JSON object');
  if (data.version !== 1) throw new Error(`Gazetteer version must be 1, got ${JSON.stringify(data.version)}`);
  if (!Array.isArray(data.southBaltic)) throw new Error('Gazetteer southBaltic must be an array of country codes');
  if (!Array.isArray(data.places)) throw new Error('Gazetteer places must be an array');
  const southBaltic = new Set(data.southBaltic.map((code, index) => countryCode(code, `southBaltic[${index}]`)));
  const places = data.places.map(parsePlace);
  const placesByName = new Map<string, GazetteerPlace[]>();
  for (const place of places) {
    for (const name of new Set([place.name, ...place.aliases].map(foldKey))) {
      placesByName.set(name, [...(placesByName.get(name) ?? []), place]);
    }
  }
  return { version: 1, neighbours: parseNeighbours(data.neighbours), southBaltic, places, placesByName };
}
