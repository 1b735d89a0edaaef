import type { z } from 'zod';
import type { Translate } from '../i18n/i18n';

/** A field's problem as a page shows it: the form field's name (the API's dotted path) and a message in the reader's language. */
export interface PageFieldError {
  field: string;
  message: string;
}

/** Fields whose wrong value is best explained by what they expect rather than by the schema's wording. */
const EXPECTED_FORMAT: Readonly<Record<string, 'email' | 'url' | 'date' | 'choice'>> = {
  'contact.email': 'email',
  'organization.website': 'url',
  deadline: 'date',
  'organization.type': 'choice',
  'organization.country': 'choice',
  'location.country': 'choice',
  'contact.language': 'choice',
  mode: 'choice',
  languages: 'choice',
  // The expert's profile form (expert-profile.routes.ts).
  email: 'email',
  modes: 'choice',
  timeZone: 'choice',
  preferredLanguage: 'choice',
};

/**
 * The zod issues of the API's own schema, as messages beside the form's fields in the reader's language: the issue's
 * code and limits pick a catalogue message (`form.error.*`), so the API and the page judge input alike and only the
 * wording differs. An item of a list (`skills.2`) is reported on the list's field; one message per field.
 */
export function pageFieldErrors(error: z.ZodError, t: Translate): PageFieldError[] {
  const byField = new Map<string, string>();
  for (const issue of error.issues) {
    const path = issue.path.filter((part) => typeof part === 'string').join('.');
    const field = issue.code === 'unrecognized_keys' ? '(form)' : path || '(form)';
    if (byField.has(field)) continue;
    byField.set(field, messageOf(issue, field, t));
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

function messageOf(issue: z.core.$ZodIssue, field: string, t: Translate): string {
  const missing = (issue.code === 'invalid_type' && issue.input === undefined) || (issue.code === 'too_small' && issue.origin === 'string' && Number(issue.minimum) <= 1);
  if (missing) return t(field === 'languages' ? 'form.error.chooseOne' : EXPECTED_FORMAT[field] === 'choice' ? 'form.error.choice' : 'form.error.required');
  if (issue.code === 'too_small' && issue.origin === 'array') return t('form.error.chooseOne');
  if (issue.code === 'too_big' && issue.origin === 'string') return t('form.error.tooLong', { max: Number(issue.maximum) });
  if (issue.code === 'too_big' && issue.origin === 'array') return t('form.error.tooMany', { max: Number(issue.maximum) });
  if (issue.code === 'custom' && issue.message.includes('repeat')) return t('form.error.repeated');
  const expected = EXPECTED_FORMAT[field];
  if (expected === 'email') return t('form.error.email');
  if (expected === 'url') return t('form.error.url');
  if (expected === 'date') return t('form.error.date');
  if (expected === 'choice') return t('form.error.choice');
  return t('form.error.invalid');
}
