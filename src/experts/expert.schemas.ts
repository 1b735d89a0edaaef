import { z } from 'zod';
import type { components } from '../generated/openapi';
import { emailSchema } from './email-address';
import { isKnownTimeZone, MAIL_LANGUAGES } from '../domain/people';
import { countryCodeSchema, distinctList, httpUrlSchema, languageCodeSchema, languagesSchema, locationSchema, moneySchema, pageQuery, text } from '../http/common.schemas';

const modeSchema = z.enum(['online', 'onsite']);
const skillsSchema = distinctList(text(1, 100), 1, 30);
const modesSchema = distinctList(modeSchema, 1, 2);
const linkSchema = z.strictObject({ label: text(1, 80).optional(), url: httpUrlSchema });
const linksSchema = z.array(linkSchema).max(10);
const preferredLanguageSchema = z.enum(MAIL_LANGUAGES);
const timeZoneSchema = z.string().max(64).refine(isKnownTimeZone, 'must be an IANA time zone name, such as Europe/Vilnius');

export const expertInputSchema = z.strictObject({
  name: text(1, 120),
  email: emailSchema,
  headline: text(0, 160).optional(),
  bio: text(0, 4000).optional(),
  skills: skillsSchema,
  languages: languagesSchema,
  location: locationSchema,
  modes: modesSchema.default(['online']),
  capacity: z.number().int().min(0).max(20).default(3),
  status: z.enum(['active', 'paused']).default('active'),
  hourlyRate: moneySchema.optional(),
  proBono: z.boolean().optional(),
  links: linksSchema.optional(),
  preferredLanguage: preferredLanguageSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  reminders: z.boolean().optional(),
}) satisfies z.ZodType<components['schemas']['ExpertInput']>;

export const expertPatchSchema = z
  .strictObject({
    name: text(1, 120).optional(),
    email: emailSchema.optional(),
    headline: text(0, 160).nullable().optional(),
    bio: text(0, 4000).nullable().optional(),
    skills: skillsSchema.optional(),
    languages: languagesSchema.optional(),
    location: locationSchema.optional(),
    modes: modesSchema.optional(),
    capacity: z.number().int().min(0).max(20).optional(),
    status: z.enum(['active', 'paused']).optional(),
    hourlyRate: moneySchema.nullable().optional(),
    proBono: z.boolean().nullable().optional(),
    links: linksSchema.optional(),
    preferredLanguage: preferredLanguageSchema.nullable().optional(),
    timeZone: timeZoneSchema.nullable().optional(),
    reminders: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change') satisfies z.ZodType<components['schemas']['ExpertPatch']>;

export const expertListQuerySchema = z.strictObject({
  skill: text(1, 100).optional(),
  language: languageCodeSchema.optional(),
  country: countryCodeSchema.optional(),
  mode: modeSchema.optional(),
  ...pageQuery,
});

export type ExpertInput = z.output<typeof expertInputSchema>;
export type ExpertPatch = z.output<typeof expertPatchSchema>;
export type ExpertListQuery = z.output<typeof expertListQuerySchema>;
export type ExpertResponse = components['schemas']['Expert'];
