import type { Choice } from './form-choices';

/** A posted form as the body parser gives it (flat names; a repeated name gives an array), or values to show again. */
export type Values = Record<string, unknown>;

/** The posted text of field `name`, '' when absent or repeated. */
export const text = (values: Values, name: string): string => (typeof values[name] === 'string' ? (values[name] as string) : '');

/** The posted values of list field `name` (checkboxes, repeated inputs): always an array of strings. */
export const list = (values: Values, name: string): string[] => {
  const value = values[name];
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : typeof value === 'string' ? [value] : [];
};

/** `choices` for a select or checkboxes, those in `chosen` checked. */
export const options = (choices: Choice[], chosen: readonly string[]) => choices.map((choice) => ({ ...choice, checked: chosen.includes(choice.value) }));

/** A field's HTML id from its dotted name (`location.city` → `location-city`). */
export const idOf = (name: string) => name.replace(/\./g, '-');

/**
 * A posted form (application/x-www-form-urlencoded, parsed flat: a repeated name gives an array) as the API's JSON
 * input: dotted names nest (`organization.name` → `{organization: {name}}`), names in `lists` are always arrays, empty
 * values are left out (an empty field is an absent one, as the API's optional fields expect), and `numbers` are
 * turned into numbers when they look like one (else left as text, for the schema to refuse). Names that would
 * reach an object's prototype are dropped.
 */
export function formToInput(body: unknown, options: { lists?: readonly string[]; numbers?: readonly string[] } = {}): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  const fields = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  for (const [name, raw] of Object.entries(fields)) {
    const values = (Array.isArray(raw) ? raw : [raw]).filter((value): value is string => typeof value === 'string' && value.trim() !== '');
    if (values.length === 0) continue;
    const path = name.split('.');
    if (path.some((part) => part === '' || part === '__proto__' || part === 'constructor' || part === 'prototype')) continue;
    let value: unknown = options.lists?.includes(name) ? values : values.length === 1 ? values[0] : values;
    if (options.numbers?.includes(name) && typeof value === 'string' && /^-?\d+(?:\.\d+)?$/.test(value.trim())) value = Number(value);
    let target = input;
    for (const part of path.slice(0, -1)) {
      const next = target[part];
      target = (typeof next === 'object' && next !== null && !Array.isArray(next) ? next : (target[part] = {})) as Record<string, unknown>;
    }
    target[path.at(-1)!] = value;
  }
  return input;
}
