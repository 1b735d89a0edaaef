import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseGazetteer, parseTaxonomy, type Gazetteer, type Taxonomy } from '../domain/matching';
import { PROJECT_ROOT } from '../infra/project-root';

let cached: { taxonomy: Taxonomy; gazetteer: Gazetteer } | undefined;

const readJson = (relative: string): unknown => JSON.parse(readFileSync(path.join(PROJECT_ROOT, relative), 'utf8'));

/** The skills taxonomy and the gazetteer from seed/, read and validated once per process. */
export function loadMatchingData(): { taxonomy: Taxonomy; gazetteer: Gazetteer } {
  cached ??= {
    taxonomy: parseTaxonomy(readJson('seed/taxonomy/skills.json')),
    gazetteer: parseGazetteer(readJson('seed/geo/places.json')),
  };
  return cached;
}
