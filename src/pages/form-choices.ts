import type { MailLanguage } from '../domain/people';
import { loadMatchingData } from '../matching/matching-data';

/** The countries a form offers (the South Baltic five first, then their neighbours around the sea). */
export const FORM_COUNTRIES = ['PL', 'DE', 'LT', 'SE', 'DK', 'LV', 'EE', 'FI', 'NO'] as const;
/** The languages a form offers for a consultation. */
export const FORM_LANGUAGES = ['pl', 'de', 'lt', 'sv', 'da', 'en', 'lv', 'et', 'fi', 'ru', 'uk'] as const;
export const ORGANIZATION_TYPES = ['business', 'public', 'cultural', 'ngo', 'education'] as const;
export const MODES = ['online', 'onsite', 'any'] as const;

export interface Choice {
  value: string;
  label: string;
}

const collator = (language: MailLanguage) => new Intl.Collator(language);
const cache = new Map<string, readonly string[]>();

/** Countries named in the reader's language, in FORM_COUNTRIES order. */
export const countryChoices = (language: MailLanguage): Choice[] => {
  const names = new Intl.DisplayNames([language], { type: 'region' });
  return FORM_COUNTRIES.map((code) => ({ value: code, label: names.of(code) ?? code }));
};

/** Languages named in the reader's language, in FORM_LANGUAGES order. */
export const languageChoices = (language: MailLanguage): Choice[] => {
  const names = new Intl.DisplayNames([language], { type: 'language' });
  return FORM_LANGUAGES.map((code) => ({ value: code, label: names.of(code) ?? code }));
};

/**
 * The taxonomy's preferred skill labels in the reader's language (English where a concept has none), sorted, for the
 * form's `<datalist>`: a typeahead that needs no script; free tags stay allowed.
 */
export function skillSuggestions(language: MailLanguage): readonly string[] {
  const key = `skills:${language}`;
  let labels = cache.get(key);
  if (!labels) {
    const { taxonomy } = loadMatchingData();
    labels = [...new Set(taxonomy.concepts.map((concept) => concept.labels[language]?.[0] ?? concept.labels.en?.[0]).filter((label): label is string => label !== undefined))].sort(collator(language).compare);
    cache.set(key, labels);
  }
  return labels;
}

/** The gazetteer's place names, sorted, for the city field's `<datalist>`. */
export function citySuggestions(language: MailLanguage): readonly string[] {
  const key = `cities:${language}`;
  let names = cache.get(key);
  if (!names) {
    names = [...new Set(loadMatchingData().gazetteer.places.map((place) => place.name))].sort(collator(language).compare);
    cache.set(key, names);
  }
  return names;
}
