import MessageFormat, { type MessageFunction } from '@messageformat/core';
import { MAIL_LANGUAGES, type MailLanguage } from '../domain/people';
import de from './messages/de.json';
import en from './messages/en.json';
import lt from './messages/lt.json';
import pl from './messages/pl.json';
import sv from './messages/sv.json';

/** Every key of the English catalogue; the other catalogues must have exactly these (a test checks keys and placeholders). */
export type MessageKey = keyof typeof en;
export type MessageValues = Record<string, string | number>;

/** One catalogue per language (src/i18n/messages/<language>.json), ICU MessageFormat with CLDR plural rules. */
export const CATALOGUES: Readonly<Record<MailLanguage, Readonly<Record<string, string>>>> = { en, pl, de, lt, sv };

const compiled = new Map<string, MessageFunction<'string'>>();
const formatters = new Map(MAIL_LANGUAGES.map((language) => [language, new MessageFormat<'string'>(language)]));

/**
 * The message `key` in `language` with `values` filled in (plain text: HTML output escapes it afterwards). Throws on
 * a key missing from the catalogue: the catalogue test keeps that from reaching a running service.
 */
export function translate(language: MailLanguage, key: MessageKey, values: MessageValues = {}): string {
  const cacheKey = `${language}\u0000${key}`;
  let format = compiled.get(cacheKey);
  if (!format) {
    const source = CATALOGUES[language][key];
    if (source === undefined) throw new Error(`no message ${key} in ${language}`);
    format = formatters.get(language)!.compile(source);
    compiled.set(cacheKey, format);
  }
  return format(values);
}

/** A translator bound to one reader's language. */
export const translatorFor = (language: MailLanguage) => (key: MessageKey, values?: MessageValues) => translate(language, key, values);
export type Translate = ReturnType<typeof translatorFor>;
