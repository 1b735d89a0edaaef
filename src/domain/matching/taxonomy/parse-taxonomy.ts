import { foldKey } from '../text/fold';

export interface TaxonomyGroup {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface TaxonomyConcept {
  readonly id: string;
  readonly group: string;
  readonly broader?: string;
  readonly esco?: string;
  /** Per language code; the first label of each language is the preferred one. */
  readonly labels: Readonly<Record<string, readonly string[]>>;
  /**
   * Phrases clients use for the problem the concept solves or the outcome they want ("visitors get lost"),
   * per analysis language; every one of NEED_LANGUAGES is present, Danish optional.
   */
  readonly needs?: Readonly<Partial<Record<NeedLanguage, readonly string[]>>>;
}

/** The languages every concept's need phrases must cover; Danish may be added. */
export const NEED_LANGUAGES = ['en', 'pl', 'de', 'lt', 'sv'] as const;
const OPTIONAL_NEED_LANGUAGES = ['da'] as const;
export type NeedLanguage = (typeof NEED_LANGUAGES)[number] | (typeof OPTIONAL_NEED_LANGUAGES)[number];
const ALL_NEED_LANGUAGES: readonly string[] = [...NEED_LANGUAGES, ...OPTIONAL_NEED_LANGUAGES];

export interface Taxonomy {
  readonly version: 1;
  readonly groups: readonly TaxonomyGroup[];
  readonly concepts: readonly TaxonomyConcept[];
}

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nonEmptyString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.trim() === '') throw new Error(`Taxonomy ${where} must be a non-empty string`);
  return value;
}

function parseGroup(value: unknown, position: number): TaxonomyGroup {
  if (!isObject(value)) throw new Error(`Taxonomy group #${position} must be an object`);
  const id = nonEmptyString(value.id, `group #${position} id`);
  if (!isObject(value.labels)) throw new Error(`Taxonomy group "${id}" must have a labels object`);
  const labels: Record<string, string> = {};
  for (const [language, label] of Object.entries(value.labels)) {
    labels[language] = nonEmptyString(label, `group "${id}" label "${language}"`);
  }
  if (labels.en === undefined) throw new Error(`Taxonomy group "${id}" needs an English label`);
  return { id, labels };
}

function parseConcept(value: unknown, position: number, groupIds: ReadonlySet<string>): TaxonomyConcept {
  if (!isObject(value)) throw new Error(`Taxonomy concept #${position} must be an object`);
  const id = nonEmptyString(value.id, `concept #${position} id`);
  const group = nonEmptyString(value.group, `concept "${id}" group`);
  if (!groupIds.has(group)) throw new Error(`Taxonomy concept "${id}" refers to unknown group "${group}"`);
  const broader = value.broader === undefined || value.broader === null ? undefined : nonEmptyString(value.broader, `concept "${id}" broader`);
  const esco = typeof value.esco === 'string' ? value.esco : undefined;
  if (!isObject(value.labels)) throw new Error(`Taxonomy concept "${id}" must have a labels object`);
  const labels: Record<string, string[]> = {};
  for (const [language, list] of Object.entries(value.labels)) {
    if (!Array.isArray(list)) throw new Error(`Taxonomy concept "${id}" labels.${language} must be an array of strings`);
    labels[language] = list.map((label, index) => nonEmptyString(label, `concept "${id}" labels.${language}[${index}]`));
  }
  if ((labels.en?.length ?? 0) === 0) throw new Error(`Taxonomy concept "${id}" needs at least one English label`);
  const needs = value.needs === undefined ? undefined : parseNeeds(value.needs, id);
  return {
    id, group, labels,
    ...(broader === undefined ? {} : { broader }), ...(esco === undefined ? {} : { esco }), ...(needs === undefined ? {} : { needs }),
  };
}

function parseNeeds(value: unknown, id: string): Partial<Record<NeedLanguage, string[]>> {
  if (!isObject(value)) throw new Error(`Taxonomy concept "${id}" needs must be an object of phrase lists per language`);
  const needs: Partial<Record<NeedLanguage, string[]>> = {};
  for (const [language, list] of Object.entries(value)) {
    if (!ALL_NEED_LANGUAGES.includes(language)) throw new Error(`Taxonomy concept "${id}" needs.${language} is not one of ${ALL_NEED_LANGUAGES.join(', ')}`);
    if (!Array.isArray(list) || list.length === 0) throw new Error(`Taxonomy concept "${id}" needs.${language} must be a non-empty array of strings`);
    needs[language as NeedLanguage] = list.map((phrase, index) => nonEmptyString(phrase, `concept "${id}" needs.${language}[${index}]`));
  }
  for (const language of NEED_LANGUAGES) {
    if (needs[language] === undefined) throw new Error(`Taxonomy concept "${id}" needs.${language} is missing: every concept's needs cover ${NEED_LANGUAGES.join(', ')}`);
  }
  return needs;
}

/**
 * A need phrase written twice in one concept and language (after folding case, diacritics and spaces) is a slip.
 * The same phrase under two concepts is allowed: a symptom may point to related disciplines ("refresh our image").
 */
function checkNeedDuplicates(concept: TaxonomyConcept): void {
  for (const [language, phrases] of Object.entries(concept.needs ?? {})) {
    const seen = new Set<string>();
    for (const phrase of phrases) {
      const key = foldKey(phrase);
      if (seen.has(key)) throw new Error(`Taxonomy concept "${concept.id}" needs.${language} lists "${phrase}" twice`);
      seen.add(key);
    }
  }
}

function checkBroaderLinks(concepts: readonly TaxonomyConcept[]): void {
  const byId = new Map(concepts.map((concept) => [concept.id, concept]));
  for (const concept of concepts) {
    const seen = new Set<string>([concept.id]);
    let current = concept.broader;
    while (current !== undefined) {
      const parent = byId.get(current);
      if (!parent) throw new Error(`Taxonomy concept "${concept.id}" has unknown broader concept "${current}"`);
      if (seen.has(current)) throw new Error(`Taxonomy concept "${concept.id}" is part of a broader-concept cycle`);
      seen.add(current);
      current = parent.broader;
    }
  }
}

/** Validates the taxonomy JSON; the error names the first bad entry. */
export function parseTaxonomy(data: unknown): Taxonomy {
  if (!isObject(data)) throw new Error('Taxonomy must be a JSON object');
  if (data.version !== 1) throw new Error(`Taxonomy version must be 1, got ${JSON.stringify(data.version)}`);
  if (!Array.isArray(data.groups)) throw new Error('Taxonomy groups must be an array');
  if (!Array.isArray(data.concepts)) throw new Error('Taxonomy concepts must be an array');
  const groups = data.groups.map(parseGroup);
  const groupIds = new Set<string>();
  for (const group of groups) {
    if (groupIds.has(group.id)) throw new Error(`Taxonomy group "${group.id}" is defined twice`);
    groupIds.add(group.id);
  }
  const concepts = data.concepts.map((concept, position) => parseConcept(concept, position, groupIds));
  const conceptIds = new Set<string>();
  for (const concept of concepts) {
    if (conceptIds.has(concept.id)) throw new Error(`Taxonomy concept "${concept.id}" is defined twice`);
    conceptIds.add(concept.id);
  }
  checkBroaderLinks(concepts);
  concepts.forEach(checkNeedDuplicates);
  return { version: 1, groups, concepts };
}
