import { DateTime } from 'luxon';
import type { MailLanguage } from '../domain/people';

/**
 * An instant as a reader in `zone` (IANA) reads it, in their language, with the zone named so nobody has to guess:
 * "piątek, 2 kwietnia 2027 14:00 (Europe/Warsaw)". The offset comes from the zone database (luxon over Intl), so
 * daylight-saving changes are right on both sides of them.
 */
export function formatInstant(at: Date, zone: string, language: MailLanguage): string {
  const local = DateTime.fromJSDate(at, { zone }).setLocale(language);
  const text = local.toLocaleString({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return `${text} (${zone})`;
}

/** A calendar day (`YYYY-MM-DD`) in the reader's language: "30. April 2027". Days carry no zone. */
export const formatDay = (isoDate: string, language: MailLanguage): string => DateTime.fromISO(isoDate).setLocale(language).toLocaleString(DateTime.DATE_FULL);

const regionNames = new Map<MailLanguage, Intl.DisplayNames>();

/** A country's name in the reader's language (Intl's CLDR names): "Litauen" for LT in German. */
export function countryName(code: string, language: MailLanguage): string {
  let names = regionNames.get(language);
  if (!names) regionNames.set(language, (names = new Intl.DisplayNames([language], { type: 'region' })));
  return names.of(code) ?? code;
}
