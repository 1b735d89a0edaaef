import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseGazetteer, parseTaxonomy } from '../../../src/domain/matching';
import { fixtureGazetteerJson } from './fixtures/fixture-gazetteer';
import { fixtureTaxonomyJson } from './fixtures/fixture-taxonomy';

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

  itWhenPresent(gazetteerFile)('parse with the gazetteer loader', () => {
    expect(parseGazetteer(JSON.parse(readFileSync(gazetteerFile, 'utf8'))).places.length).toBeGreaterThan(0);
  });
});
