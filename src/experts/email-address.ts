import { z } from 'zod';

/** Lower-cases what follows the last `@`; a string without one is left for the format check to refuse. */
function withLowerCaseDomain(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? address : `${address.slice(0, at)}${address.slice(at).toLowerCase()}`;
}

/**
 * An e-mail address as its owner spelt it, with only the domain lower-cased: a domain is case-insensitive (RFC 5321
 * §2.4, RFC 4343), while a local part may in principle not be, so `Ruta.Petrauskiene@Example.ORG` is kept as
 * `Ruta.Petrauskiene@example.org`. NFC and trimmed like every text input.
 */
export const emailSchema = z
  .string()
  .normalize('NFC')
  .trim()
  .overwrite(withLowerCaseDomain)
  .pipe(z.email({ error: 'must be an e-mail address' }).max(254));

/**
 * The form addresses are compared in for uniqueness and look-ups: wholly lower case, because in practice no mail
 * system tells `Ruta@…` and `ruta@…` apart and two profiles for them would be one person twice.
 */
export const emailLookupKey = (address: string): string => address.normalize('NFC').trim().toLowerCase();
