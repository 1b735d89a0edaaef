import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseGazetteer, parseTaxonomy } from '../../../src/domain/matching';
import { fixtureGazetteerJson } from './fixtures/fixture-gazetteer';
import { fixtureTaxonomyJson } from './fixtures/fixture-taxonomy';
import { needTaxonomyJson } from './fixtures/need-taxonomy';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('parseTaxonomy', () => {
  it('accepts a well-formed taxonomy', () => {
    expect(parseTaxonomy(fixtureTaxonomyJson).concepts.length).toBe(fixtureTaxonomyJson.concepts.length);
  });

  it('names the concept whose labels are malformed', () => {
    const broken = clone(fixtureTaxonomyJson) as { concepts: Array<{ labels: Record<string, unknown> }> };
    const third = broken.concepts[2];
    if (third) third.labels.pl = 'not a list';
    expect(() => parseTaxonomy(broken)).toThrow(/concept "packaging-design" labels\.pl/);
  });

  it('rejects unknown groups, unknown broader concepts and duplicates', () => {
    const unknownGroup = clone(fixtureTaxonomyJson);
    const first = unknownGroup.concepts[0];
    if (first) first.group = 'nowhere';
    expect(() => parseTaxonomy(unknownGroup)).toThrow(/"design" refers to unknown group "nowhere"/);

    const unknownBroader = clone(fixtureTaxonomyJson) as { concepts: Array<{ broader?: string }> };
    const second = unknownBroader.concepts[1];
    if (second) second.broader = 'missing';
    expect(() => parseTaxonomy(unknownBroader)).toThrow(/unknown broader concept "missing"/);

    const duplicated = clone(fixtureTaxonomyJson);
    duplicated.concepts.push(clone(fixtureTaxonomyJson.concepts[0]!));
    expect(() => parseTaxonomy(duplicated)).toThrow(/"design" is defined twice/);
  });

  it('rejects broader-concept cycles', () => {
    const cyclic = clone(fixtureTaxonomyJson) as { concepts: Array<{ id: string; broader?: string }> };
    const design = cyclic.concepts.find((concept) => concept.id === 'design');
    if (design) design.broader = 'graphic-design';
    expect(() => parseTaxonomy(cyclic)).toThrow(/cycle/);
  });
});

describe('parseTaxonomy: need phrases', () => {
  type WithNeeds = { concepts: Array<{ id: string; needs?: Record<string, unknown> }> };
  const withChangedNeeds = (change: (needs: Record<string, unknown>) => void): WithNeeds => {
    const copy = clone(needTaxonomyJson) as WithNeeds;
    const wayfinding = copy.concepts.find((concept) => concept.id === 'wayfinding');
    if (wayfinding?.needs) change(wayfinding.needs);
    return copy;
  };

  it('keeps every language’s phrases', () => {
    const wayfinding = parseTaxonomy(needTaxonomyJson).concepts.find((concept) => concept.id === 'wayfinding');
    expect(wayfinding?.needs?.pl).toEqual(['zwiedzający błądzą po budynku', 'goście nie mogą znaleźć wejścia']);
    expect(Object.keys(wayfinding?.needs ?? {}).sort()).toEqual(['de', 'en', 'lt', 'pl', 'sv']);
  });

  it('requires English, Polish, German, Lithuanian and Swedish, naming the concept and the language', () => {
    expect(() => parseTaxonomy(withChangedNeeds((needs) => delete needs.lt))).toThrow(/concept "wayfinding" needs\.lt is missing/);
    expect(() => parseTaxonomy(withChangedNeeds((needs) => (needs.sv = [])))).toThrow(/"wayfinding" needs\.sv must be a non-empty array/);
  });

  it('refuses blank phrases, lists that are not arrays and languages it cannot analyse', () => {
    expect(() => parseTaxonomy(withChangedNeeds((needs) => (needs.de = ['Besucher verlaufen sich', ' '])))).toThrow(/"wayfinding" needs\.de\[1\]/);
    expect(() => parseTaxonomy(withChangedNeeds((needs) => (needs.en = 'people get lost')))).toThrow(/needs\.en must be a non-empty array/);
    expect(() => parseTaxonomy(withChangedNeeds((needs) => (needs.fr = ['les visiteurs se perdent'])))).toThrow(/needs\.fr is not one of/);
  });

  it('refuses a phrase listed twice in one language after folding case, diacritics and spaces', () => {
    const twice = withChangedNeeds((needs) => (needs.pl = ['zwiedzający błądzą', 'Zwiedzajacy  BŁĄDZĄ']));
    expect(() => parseTaxonomy(twice)).toThrow(/"wayfinding" needs\.pl lists "Zwiedzajacy {2}BŁĄDZĄ" twice/);
  });

  it('allows one phrase under two concepts, and the same words in two languages', () => {
    const shared = clone(needTaxonomyJson) as WithNeeds;
    const crowd = shared.concepts.find((concept) => concept.id === 'crowd-management');
    if (crowd?.needs) crowd.needs.en = ['people get lost in the building', 'too many people push at the gate'];
    expect(() => parseTaxonomy(shared)).not.toThrow();
    expect(() => parseTaxonomy(withChangedNeeds((needs) => (needs.sv = ['people get lost in the building'])))).not.toThrow();
  });
});

describe('parseGazetteer', () => {
  it('makes neighbour relations symmetric and indexes aliases', () => {
    const gazetteer = parseGazetteer(fixtureGazetteerJson);
    expect(gazetteer.neighbours.get('DK')?.has('SE')).toBe(true);
    expect(gazetteer.placesByName.get('danzig')?.[0]?.name).toBe('Gdańsk');
  });

  it('names the place with bad coordinates', () => {
    const broken = clone(fixtureGazetteerJson);
    const place = broken.places[1];
    if (place) place.lat = 123;
    expect(() => parseGazetteer(broken)).toThrow(/place "Gdynia" lat/);
  });
});

describe('the seed files', () => {
  const root = path.resolve(__dirname, '../../..');
  const taxonomyFile = path.join(root, 'seed/taxonomy/skills.json');
  const gazetteerFile = path.join(root, 'seed/geo/places.json');
  const itWhenPresent = (file: string) => (existsSync(file) ? it : it.skip);

  itWhenPresent(taxonomyFile)('parse with the taxonomy loader', () => {
    expect(parseTaxonomy(JSON.parse(readFileSync(taxonomyFile, 'utf8'))).concepts.length).toBeGreaterThan(0);
  });

  itWhenPresent(taxonomyFile)('give every concept need phrases in English, Polish, German, Lithuanian and Swedish', () => {
    const { concepts } = parseTaxonomy(JSON.parse(readFileSync(taxonomyFile, 'utf8')));
    const incomplete = concepts.filter((concept) => ['en', 'pl', 'de', 'lt', 'sv'].some((language) => (concept.needs?.[language as 'en']?.length ?? 0) === 0));
    expect(incomplete.map((concept) => concept.id)).toEqual([]);
  });

  itWhenPresent(gazetteerFile)('parse with the gazetteer loader', () => {
    expect(parseGazetteer(JSON.parse(readFileSync(gazetteerFile, 'utf8'))).places.length).toBeGreaterThan(0);
  });
});
