/** The languages the service writes to people in (mails now; pages later), as ISO 639-1 codes. */
export const MAIL_LANGUAGES = ['en', 'pl', 'de', 'lt', 'sv'] as const;
export type MailLanguage = (typeof MAIL_LANGUAGES)[number];

export const FALLBACK_LANGUAGE: MailLanguage = 'en';

export const isMailLanguage = (code: string): code is MailLanguage => (MAIL_LANGUAGES as readonly string[]).includes(code);

/** Who a request's organisation is, as far as mail goes: a person's name, an address and the language to write in. */
export interface Contact {
  name: string;
  email: string;
  language: MailLanguage;
  /** false once the contact turned reminder mails off (a reminder's link); absent: on. */
  reminders?: false;
}

/** A contact's language when none was given: the request's first language if the service writes it, else English. */
export function defaultContactLanguage(requestLanguages: readonly string[]): MailLanguage {
  const first = requestLanguages[0];
  return first !== undefined && isMailLanguage(first) ? first : FALLBACK_LANGUAGE;
}

/** An expert's language when none was chosen: the first of their languages the service writes, else English. */
export function defaultPreferredLanguage(expertLanguages: readonly string[]): MailLanguage {
  return expertLanguages.find(isMailLanguage) ?? FALLBACK_LANGUAGE;
}

/** The zone of the South Baltic countries the service serves, by ISO 3166-1 code; every other country gets UTC. */
const ZONE_BY_COUNTRY: Readonly<Record<string, string>> = {
  PL: 'Europe/Warsaw',
  DE: 'Europe/Berlin',
  LT: 'Europe/Vilnius',
  SE: 'Europe/Stockholm',
  DK: 'Europe/Copenhagen',
};

/** An expert's IANA time zone when none was chosen, from their country (UTC where the service knows none). */
export const defaultTimeZone = (country: string): string => ZONE_BY_COUNTRY[country] ?? 'UTC';

/** An IANA zone name (`Area/Location`, or `UTC`) that this runtime's time-zone database knows. */
export function isKnownTimeZone(name: string): boolean {
  if (!/^(?:UTC|[A-Z][A-Za-z_-]+(?:\/[A-Za-z0-9_+-]+){1,2})$/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
