import { z } from 'zod';

/** Letter codes that Intl knows but that are not assigned ISO 3166-1 countries. */
const NOT_COUNTRIES = new Set(['EU', 'EZ', 'UN', 'ZZ', 'QO']);
const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });

// Intl throws on strings that are not shaped like a code; those already failed the format check.
const isCountry = (code: string): boolean => /^[A-Z]{2}$/.test(code) && !NOT_COUNTRIES.has(code) && regionNames.of(code) !== code;
const isLanguage = (code: string): boolean => /^[a-z]{2}$/.test(code) && languageNames.of(code) !== code;

export const idSchema = z.string().regex(/^[0-9a-f]{24}$/, 'must be a 24-character hexadecimal id');

export const languageCodeSchema = z
  .string()
  .regex(/^[a-z]{2}$/, 'must be an ISO 639-1 code in lower case')
  .refine(isLanguage, 'is not an ISO 639-1 language code');

export const countryCodeSchema = z
  .string()
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in upper case')
  .refine(isCountry, 'is not an ISO 3166-1 country code');

/**
 * Every text input, as the API checks, stores and compares it: normalised to Unicode NFC (UAX #15), so a word typed
 * precomposed ("ė") and decomposed ("e" + U+0307) is one string for duplicates, uniqueness and look-ups; then trimmed,
 * then its length checked in UTF-16 code units.
 */
export const text = (min: number, max: number) => z.string().normalize('NFC').trim().min(min).max(max);

export const httpUrlSchema = z
  .string()
  .normalize('NFC')
  .trim()
  .max(500)
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }));

/**
 * An RFC 3339 date-time with its offset (§5.6: seconds required, fractions optional, `Z` or `±hh:mm`). The section's
 * note lets `T` and `Z` be lower case, so they are accepted and upper-cased; a space instead of `T` (only mentioned in
 * that note, not in the grammar) stays refused. Routes turn it into a Date, so answers carry the canonical
 * `YYYY-MM-DDTHH:MM:SS.sssZ` form.
 */
export const dateTimeSchema = z
  .string()
  .overwrite((value) => value.replace(/^(\d{4}-\d{2}-\d{2})t/, '$1T').replace(/z$/, 'Z'))
  .pipe(z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time, such as 2027-03-30T09:00:00Z' }));

export const locationSchema = z
  .strictObject({
    country: countryCodeSchema,
    city: text(1, 120).optional(),
    lat: z.number().min(-90).max(90).optional(),
    lon: z.number().min(-180).max(180).optional(),
  })
  .refine((location) => (location.lat === undefined) === (location.lon === undefined), {
    message: 'give both lat and lon, or neither',
    path: ['lat'],
  });

export const moneySchema = z.strictObject({
  amount: z.number().min(0).max(10_000_000),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 currency code'),
});

/** A list whose items must be distinct (compared case-insensitively). */
export function distinctList<Item extends z.ZodType<string>>(item: Item, min: number, max: number) {
  return z
    .array(item)
    .min(min)
    .max(max)
    .refine((items) => new Set(items.map((value) => value.toLowerCase())).size === items.length, 'must not repeat an item');
}

export const languagesSchema = distinctList(languageCodeSchema, 1, 10);

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().max(200).optional(),
};
