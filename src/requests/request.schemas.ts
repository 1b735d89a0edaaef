import { z } from 'zod';
import { MAIL_LANGUAGES } from '../domain/people';
import { STAGES } from '../domain/stages';
import { emailSchema } from '../experts/email-address';
import type { components } from '../generated/openapi';
import { countryCodeSchema, distinctList, httpUrlSchema, languagesSchema, locationSchema, moneySchema, pageQuery, text } from '../http/common.schemas';

const organizationSchema = z.strictObject({
  name: text(1, 200),
  type: z.enum(['business', 'public', 'cultural', 'ngo', 'education']),
  country: countryCodeSchema,
  website: httpUrlSchema.optional(),
});
const modeSchema = z.enum(['online', 'onsite', 'any']);
const skillsSchema = distinctList(text(1, 100), 0, 20);
/** Personal data: shown to the request's owner and admins only, never in webhooks, jobs or logs. */
const contactSchema = z.strictObject({
  name: text(1, 120),
  email: emailSchema,
  language: z.enum(MAIL_LANGUAGES).optional(),
});
const deadlineSchema = z.iso.date({ error: 'must be a date as YYYY-MM-DD' });

export const requestInputSchema = z.strictObject({
  organization: organizationSchema,
  title: text(1, 200),
  description: text(1, 8000),
  skills: skillsSchema.default([]),
  languages: languagesSchema,
  location: locationSchema,
  mode: modeSchema,
  topic: text(1, 120).optional(),
  deadline: deadlineSchema.optional(),
  budget: moneySchema.optional(),
  contact: contactSchema.optional(),
}) satisfies z.ZodType<components['schemas']['RequestInput']>;

/** What the hosted form files (issue 11): the API's request, with the contact required (the form's only way to reach the organisation). */
export const hostedRequestInputSchema = requestInputSchema.extend({ contact: contactSchema });

export const requestPatchSchema = z
  .strictObject({
    organization: organizationSchema.optional(),
    title: text(1, 200).optional(),
    description: text(1, 8000).optional(),
    skills: skillsSchema.optional(),
    languages: languagesSchema.optional(),
    location: locationSchema.optional(),
    mode: modeSchema.optional(),
    topic: text(1, 120).nullable().optional(),
    deadline: deadlineSchema.nullable().optional(),
    budget: moneySchema.nullable().optional(),
    contact: contactSchema.optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, 'send at least one field to change') satisfies z.ZodType<components['schemas']['RequestPatch']>;

export const requestListQuerySchema = z.strictObject({
  stage: z.enum(STAGES).optional(),
  country: countryCodeSchema.optional(),
  ...pageQuery,
});

export type RequestInput = z.output<typeof requestInputSchema>;
export type RequestPatch = z.output<typeof requestPatchSchema>;
export type RequestListQuery = z.output<typeof requestListQuerySchema>;
export type RequestResponse = components['schemas']['ConsultationRequest'];
