import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import { AppError } from '../errors';
import type { z } from 'zod';
import { MAIL_LANGUAGES, type MailLanguage } from '../domain/people';
import { rateLimitPerAddress } from '../http/rate-limit';
import { sameOrigin } from '../http/same-origin';
import { translatorFor, type MessageKey, type Translate } from '../i18n/i18n';
import type { HostedRequestInput, HostedRequests } from '../requests/hosted-requests';
import { hostedRequestInputSchema } from '../requests/request.schemas';
import { citySuggestions, countryChoices, languageChoices, MODES, ORGANIZATION_TYPES, skillSuggestions } from './form-choices';
import { formToInput, idOf, list, options, text, type Values } from './form-fields';
import { pageFieldErrors, type PageFieldError } from './field-errors';
import { sendHostedPage } from './hosted-page';
import { languageOfPage } from './page-language';

/** Skill fields the form offers (the API takes up to 20; a person names a few). */
const SKILL_FIELDS = 5;
/** Forms one address may send per minute: people send one; a script sending more is a flood of confirmation mails. */
const FORMS_PER_MINUTE = 5;
const LISTS = ['skills', 'languages'];
/**
 * The groups the schema requires. A group whose fields are all empty would be absent, and zod would report the group
 * once, with no field to show it beside; as an empty object, each of its missing fields is reported beside itself.
 */
const GROUPS = { organization: {}, contact: {}, location: {} };
/** The honeypot: hidden from people (CSS, aria-hidden, no tab stop); a bot that fills every field fills it. */
const HONEYPOT = 'nickname';


/** The form's sections and fields, with the posted `values` and the `errors` beside their fields. */
function formSections(t: Translate, language: MailLanguage, values: Values, errors: Map<string, string>) {
  const field = (name: string, kind: string, extra: Record<string, unknown> = {}) => ({
    name,
    id: idOf(name),
    kind,
    label: t(`field.${name}` as MessageKey),
    value: text(values, name),
    error: errors.get(name),
    ...extra,
  });
  const typeChoices = ORGANIZATION_TYPES.map((type) => ({ value: type, label: t(`mail.orgType.${type}`) }));
  const languageNames = MAIL_LANGUAGES.map((code) => ({ value: code, label: new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code }));
  const skills = list(values, 'skills');
  return [
    {
      legend: t('request.section.organization'),
      fields: [
        field('organization.name', 'text', { maxLength: 200, autocomplete: 'organization' }),
        field('organization.type', 'select', { options: options(typeChoices, [text(values, 'organization.type')]) }),
        field('organization.country', 'select', { options: options(countryChoices(language), [text(values, 'organization.country')]) }),
        field('organization.website', 'url', { maxLength: 500, autocomplete: 'url' }),
      ],
    },
    {
      legend: t('request.section.contact'),
      fields: [
        field('contact.name', 'text', { maxLength: 120, autocomplete: 'name' }),
        field('contact.email', 'email', { maxLength: 254, autocomplete: 'email' }),
        field('contact.language', 'select', { options: options(languageNames, [text(values, 'contact.language') || language]) }),
      ],
    },
    {
      legend: t('request.section.need'),
      fields: [
        field('title', 'text', { maxLength: 200 }),
        field('description', 'textarea', { maxLength: 8000, hint: t('field.description.hint') }),
        field('skills', 'repeated', { hint: t('field.skills.hint'), maxLength: 100, list: 'skill-suggestions', values: Array.from({ length: Math.max(SKILL_FIELDS, skills.length) }, (_, i) => skills[i] ?? '') }),
        field('languages', 'checkboxes', { options: options(languageChoices(language), list(values, 'languages')) }),
      ],
    },
    {
      legend: t('request.section.place'),
      fields: [
        field('location.city', 'text', { maxLength: 120, list: 'city-suggestions', autocomplete: 'address-level2' }),
        field('location.country', 'select', { options: options(countryChoices(language), [text(values, 'location.country')]) }),
        field('mode', 'radios', { options: options(MODES.map((mode) => ({ value: mode, label: t(`mail.mode.${mode}`) })), [text(values, 'mode')]) }),
        field('deadline', 'date'),
      ],
    },
  ];
}

function sendForm(req: Request, res: Response, status: number, action: string, values: Values, errors: PageFieldError[] = []) {
  const language = languageOfPage(res);
  const byField = new Map(errors.map((error) => [error.field, error.message]));
  sendHostedPage(req, res, status, 'request-form', (t) => {
    const sections = formSections(t, language, values, byField);
    const labels = new Map(sections.flatMap((section) => section.fields.map((field) => [field.name, field.label] as const)));
    const names = [...labels.keys()];
    const position = (field: string) => (names.includes(field) ? names.indexOf(field) : names.length);
    return {
      title: t('request.title'),
      intro: t('request.intro'),
      action,
      sections,
      errorHeading: t('form.errorSummary', { count: errors.length }),
      // In the form's order, as a person reads it, not the schema's.
      errors: [...errors].sort((a, b) => position(a.field) - position(b.field)).map((error) => ({ id: labels.has(error.field) ? idOf(error.field) : 'organization-name', label: labels.get(error.field) ?? t('request.title'), message: error.message })),
      choose: t('field.choose'),
      honeypot: t('request.honeypot'),
      submit: t('request.submit'),
      datalists: [
        { id: 'skill-suggestions', values: skillSuggestions(language) },
        { id: 'city-suggestions', values: citySuggestions(language) },
      ],
    };
  });
}

/**
 * Where a request form lives: `action`, the URL it posts to (GET there shows it); `sent`, where a filed form
 * redirects (303); `file`, what keeps a valid form (a draft and its confirmation mail).
 */
export interface RequestFormPlace {
  action: string;
  sent: string;
  file: (input: HostedRequestInput) => Promise<void>;
}

/** GET of a request form: empty, the contact's language set to the page's. */
export function showRequestForm(req: Request, res: Response, place: RequestFormPlace): void {
  sendForm(req, res, 200, place.action, { 'contact.language': languageOfPage(res) });
}

/**
 * POST of a request form, as middleware: the per-address limit, POSTs only from this site (`publicBaseUrl` counted
 * as its own), then the form parsed with the API's own schema (field names are the API's, dotted and repeated:
 * formToInput). It either shows the form again with every problem beside its field (400), or files it
 * (`place(req, res).file`) and redirects (303) to `sent`. A filled honeypot redirects as if filed, keeping nothing.
 * Failures before the handler (foreign origin, unreadable body) are for formFailure.
 */
export function postRequestForm(publicBaseUrl: string, place: (req: Request, res: Response) => RequestFormPlace): RequestHandler[] {
  return [
    rateLimitPerAddress(FORMS_PER_MINUTE, (req, res) => sendHostedPage(req, res, 429, 'message', (t) => ({ title: t('request.title'), text: t('form.error.tooManyAttempts'), failed: true }))),
    sameOrigin({ also: [publicBaseUrl] }),
    express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 60 }),
    async (req, res) => {
      const where = place(req, res);
      const fields = (req.body ?? {}) as Record<string, unknown>;
      const { [HONEYPOT]: honeypot, ...posted } = fields;
      if (typeof honeypot === 'string' && honeypot !== '') return res.redirect(303, where.sent);
      const input = { ...GROUPS, ...formToInput(posted, { lists: LISTS }) };
      const parsed = hostedRequestInputSchema.safeParse(input);
      if (!parsed.success) return sendForm(req, res, 400, where.action, posted, pageFieldErrors(parsed.error as z.ZodError, translatorFor(languageOfPage(res))));
      await where.file(parsed.data);
      res.redirect(303, where.sent);
    },
  ];
}

/**
 * The hosted request form `/request` (issue 11 item 2). GET shows it; POST keeps a draft, mails the contact a
 * confirmation link (double opt-in) and redirects to a page saying so (postRequestForm). Spam defences: that
 * confirmation, a per-address limit, a honeypot, and POSTs only from this site.
 */
export function requestFormRouter(hosted: HostedRequests, options: { publicBaseUrl: string }): Router {
  const router = express.Router();
  const place: RequestFormPlace = { action: '/request', sent: '/request/sent', file: (input) => hosted.file(input) };
  router.get('/request', (req, res) => showRequestForm(req, res, place));
  router.get('/request/sent', (req, res) => sendHostedPage(req, res, 200, 'message', (t) => ({ title: t('request.sent.title'), text: t('request.sent.text') })));
  router.post('/request', ...postRequestForm(options.publicBaseUrl, () => place));
  router.use(formFailure);
  return router;
}

/** A POST from another site, or a body the form parser refuses (too large, too many fields): a page, never JSON or a 500. */
export const formFailure: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = error instanceof AppError ? error.status : (error as { status?: unknown }).status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return next(error);
  const message = error instanceof AppError && error.code === 'forbidden' ? 'form.error.foreign' : 'form.error.unreadable';
  sendHostedPage(req, res, status === 403 ? 403 : 400, 'message', (t) => ({ title: t('request.title'), text: t(message), failed: true }));
};
