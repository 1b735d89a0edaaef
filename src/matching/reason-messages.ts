import type { Exclusion, MatchReason } from '../domain/matching';
import { MAIL_LANGUAGES, type MailLanguage } from '../domain/people';
import type { components } from '../generated/openapi';
import { countryName } from '../i18n/dates';
import { translate, type MessageKey, type MessageValues } from '../i18n/i18n';
import { loadMatchingData } from './matching-data';

/**
 * Who reads a reason. The requesting organisation is spoken to ("your description"); an expert reads about the
 * request ("the request's description"): the API's request-side answers vs. the expert's matches and invitation mail.
 */
export type ReasonReader = 'organisation' | 'expert';

export type LocalisedReason = components['schemas']['MatchReason'];
export type LocalisedExclusion = components['schemas']['MatchVerdict']['exclusions'][number];

let conceptLabels: ReadonlyMap<string, Readonly<Record<string, readonly string[]>>> | undefined;

/** A concept's preferred label in `language` from the taxonomy, else its English one, else its id. */
function conceptLabel(id: string, language: MailLanguage): string {
  conceptLabels ??= new Map(loadMatchingData().taxonomy.concepts.map((concept) => [concept.id, concept.labels]));
  const labels = conceptLabels.get(id);
  return labels?.[language]?.[0] ?? labels?.en?.[0] ?? id;
}

const lists = new Map<MailLanguage, Intl.ListFormat>();
const languageNames = new Map<MailLanguage, Intl.DisplayNames>();

/** Items joined as the reader's language lists them: "a, b i c". */
function list(items: readonly string[], language: MailLanguage): string {
  let format = lists.get(language);
  if (!format) lists.set(language, (format = new Intl.ListFormat(language, { type: 'conjunction' })));
  return format.format(items);
}

/** An ISO 639 code as the reader names the language ("litewski"); the code itself when CLDR has no name. */
function languageName(code: string, language: MailLanguage): string {
  let names = languageNames.get(language);
  if (!names) languageNames.set(language, (names = new Intl.DisplayNames([language], { type: 'language', fallback: 'code' })));
  return names.of(code) ?? code;
}

function message(reason: MatchReason, language: MailLanguage, reader: ReasonReader): { key: MessageKey; values: MessageValues } {
  const label = (id: string) => conceptLabel(id, language);
  switch (reason.code) {
    case 'shared_skills':
      return { key: 'reason.shared_skills', values: { skills: list(reason.params.skills.map((skill) => ('concept' in skill ? label(skill.concept) : skill.tag)), language) } };
    case 'inferred_need': {
      const { field, quote, concept, related } = reason.params;
      const values = { reader, field, quote, concept: label(concept) };
      return related === undefined ? { key: 'reason.inferred_need', values } : { key: 'reason.inferred_need.related', values: { ...values, related: label(related) } };
    }
    case 'related_expertise':
      return { key: 'reason.related_expertise', values: { skills: list(reason.params.concepts.map(label), language) } };
    case 'profile_text':
      return { key: 'reason.profile_text', values: { terms: list(reason.params.terms, language) } };
    case 'speaks_first_language':
      return { key: 'reason.speaks_first_language', values: { language: languageName(reason.params.language, language) } };
    case 'speaks_languages':
      return { key: 'reason.speaks_languages', values: { languages: list(reason.params.languages.map((code) => languageName(code, language)), language) } };
    case 'distance':
      return { key: 'reason.distance', values: reason.params };
    case 'country_relation':
      return { key: 'reason.country_relation', values: { relation: reason.params.relation, country: countryName(reason.params.country, language) } };
    case 'availability':
      return { key: reason.params.pending > 0 ? 'reason.availability.pending' : 'reason.availability', values: reason.params };
    case 'cross_border':
      return { key: 'reason.cross_border', values: { from: countryName(reason.params.from, language), to: countryName(reason.params.to, language) } };
  }
}

/**
 * One reason as a sentence in `language` (the `reason.*` messages of src/i18n/messages): concept ids become the
 * taxonomy's labels in that language, country and language codes their CLDR names (Intl.DisplayNames), lists are
 * joined by Intl.ListFormat, and counts take the language's plural forms (CLDR rules).
 */
export function reasonMessage(reason: MatchReason, language: MailLanguage, reader: ReasonReader): string {
  const { key, values } = message(reason, language, reader);
  return translate(language, key, values);
}

/** One reason of every kind and message key, for prepareReasonMessages. */
const EVERY_MESSAGE: readonly MatchReason[] = [
  { code: 'shared_skills', params: { skills: [{ concept: 'design' }, { tag: 'tag' }] } },
  { code: 'inferred_need', params: { field: 'description', quote: 'quote', concept: 'design' } },
  { code: 'inferred_need', params: { field: 'description', quote: 'quote', concept: 'design', related: 'design' } },
  { code: 'related_expertise', params: { concepts: ['design'] } },
  { code: 'profile_text', params: { terms: ['term'] } },
  { code: 'speaks_first_language', params: { language: 'en' } },
  { code: 'speaks_languages', params: { languages: ['en'] } },
  { code: 'distance', params: { km: 1, works: 'onsite' } },
  { code: 'country_relation', params: { relation: 'same', country: 'PL' } },
  { code: 'availability', params: { free: 1, capacity: 1, pending: 0 } },
  { code: 'availability', params: { free: 1, capacity: 1, pending: 1 } },
  { code: 'cross_border', params: { from: 'PL', to: 'DE' } },
];

/**
 * Compiles every reason message in every language and builds their Intl formatters, so that no answer pays for it:
 * a process's first Intl.ListFormat loads CLDR data (75–130 ms measured on 2 busy cores) and each message compiles once.
 */
export function prepareReasonMessages(): void {
  for (const language of MAIL_LANGUAGES) for (const reason of EVERY_MESSAGE) reasonMessage(reason, language, 'organisation');
}

/** The reasons with their `message` in `language` added, codes and params unchanged (the API's MatchReason). */
export function localiseReasons(reasons: readonly MatchReason[], language: MailLanguage, reader: ReasonReader): LocalisedReason[] {
  return reasons.map((reason) => ({ ...reason, message: reasonMessage(reason, language, reader) }));
}

function exclusionMessage(exclusion: Exclusion, language: MailLanguage): string {
  const t = (key: MessageKey, values?: MessageValues) => translate(language, key, values);
  switch (exclusion.code) {
    case 'no_shared_language': {
      const { speaks, needs } = exclusion.params;
      const names = (codes: readonly string[]) => list(codes.map((code) => languageName(code, language)), language);
      return t('exclusion.no_shared_language', { speaks: speaks.length > 0 ? names(speaks) : t('exclusion.noLanguages'), needs: names(needs) });
    }
    case 'mode_mismatch':
      return t('exclusion.mode_mismatch', exclusion.params);
    case 'no_capacity':
      return t('exclusion.no_capacity', exclusion.params);
    case 'invitations_full':
      return t('exclusion.invitations_full', exclusion.params);
    case 'paused':
      return t('exclusion.paused');
    case 'erased':
      return t('exclusion.erased');
  }
}

/** The exclusions with their `message` in `language` added, codes and params unchanged (the API's MatchVerdict). */
export function localiseExclusions(exclusions: readonly Exclusion[], language: MailLanguage): LocalisedExclusion[] {
  return exclusions.map((exclusion) => ({ ...exclusion, message: exclusionMessage(exclusion, language) }));
}
