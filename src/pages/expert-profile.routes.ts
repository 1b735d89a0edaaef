import express, { type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { MAIL_LANGUAGES, type MailLanguage } from '../domain/people';
import { AppError } from '../errors';
import type { HostedExperts } from '../experts/hosted-experts';
import { languageOf, presentExpert, timeZoneOf } from '../experts/expert.presenter';
import type { ExpertRecord } from '../experts/expert.repository';
import { expertInputSchema, type ExpertInput, type ExpertPatch } from '../experts/expert.schemas';
import type { ExpertService } from '../experts/expert.service';
import { acceptedLanguage, privatePage } from '../http/pages';
import { rateLimitPerAddress } from '../http/rate-limit';
import { sameOrigin } from '../http/same-origin';
import { translatorFor, type MessageKey, type Translate } from '../i18n/i18n';
import { csrfProtection, endSession, EXPERT_HOME, EXPERT_LOGIN, expertPageFailure, principalOf } from './expert-session';
import { pageFieldErrors, type PageFieldError } from './field-errors';
import { citySuggestions, countryChoices, languageChoices, skillSuggestions } from './form-choices';
import { formToInput, idOf, list, options, text, type Values } from './form-fields';
import { sendHostedPage } from './hosted-page';
import { choosePageLanguage, languageOfPage } from './page-language';

/** Sign-ups one address may send per minute: a person sends one; more is someone flooding mailboxes. */
const JOINS_PER_MINUTE = 5;
/** Skill fields the form offers at least (the API takes up to 30). */
const SKILL_FIELDS = 5;
/** The honeypot, as on the request form: hidden from people; a bot that fills every field fills it. */
const HONEYPOT = 'nickname';
const EXPERT_MODES = ['online', 'onsite'] as const;
const PROFILE = '/experts/profile';
const JOIN = '/experts/join';
/** Time zones the form offers: Europe's (the service's region) and UTC; the API takes any IANA zone. */
const TIME_ZONES = ['UTC', ...Intl.supportedValuesOf('timeZone').filter((zone) => zone.startsWith('Europe/'))];
/** Fields of the form that are not profile fields: the session's CSRF token and the revision the form was filled at. */
const FORM_ONLY = ['_csrf', 'revision', HONEYPOT];

type Mode = 'join' | 'profile';

const withoutFormOnly = (fields: Values): Values => Object.fromEntries(Object.entries(fields).filter(([name]) => !FORM_ONLY.includes(name)));

/** A stored profile as the form's flat values (the API's field names, dotted and repeated). */
function valuesOf(expert: ExpertRecord): Values {
  return {
    name: expert.name,
    headline: expert.headline ?? '',
    bio: expert.bio ?? '',
    skills: expert.skills,
    languages: expert.languages,
    'location.city': expert.location.city ?? '',
    'location.country': expert.location.country,
    modes: expert.modes,
    capacity: String(expert.capacity),
    timeZone: timeZoneOf(expert),
    preferredLanguage: languageOf(expert),
    status: expert.status,
  };
}

/** The form's sections and fields, with the `values` and the `errors` beside their fields; `profile` leaves the address out and adds the pause. */
function formSections(t: Translate, language: MailLanguage, mode: Mode, values: Values, errors: Map<string, string>) {
  const field = (name: string, kind: string, extra: Record<string, unknown> = {}) => ({
    name,
    id: idOf(name),
    kind,
    label: t(`experts.profile.field.${name}` as MessageKey),
    value: text(values, name),
    error: errors.get(name),
    ...extra,
  });
  const skills = list(values, 'skills');
  const ownNames = MAIL_LANGUAGES.map((code) => ({ value: code, label: new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code }));
  return [
    {
      legend: t('experts.profile.section.you'),
      fields: [
        field('name', 'text', { maxLength: 120, autocomplete: 'name' }),
        ...(mode === 'join' ? [field('email', 'email', { maxLength: 254, autocomplete: 'email' })] : []),
        field('headline', 'text', { maxLength: 160 }),
        field('bio', 'textarea', { maxLength: 4000 }),
      ],
    },
    {
      legend: t('experts.profile.section.expertise'),
      fields: [
        field('skills', 'repeated', { hint: t('experts.profile.field.skills.hint'), maxLength: 100, list: 'skill-suggestions', values: Array.from({ length: Math.max(SKILL_FIELDS, skills.length + 1) }, (_, i) => skills[i] ?? '') }),
        field('languages', 'checkboxes', { options: options(languageChoices(language), list(values, 'languages')) }),
      ],
    },
    {
      legend: t('experts.profile.section.work'),
      fields: [
        field('location.city', 'text', { maxLength: 120, list: 'city-suggestions', autocomplete: 'address-level2' }),
        field('location.country', 'select', { options: options(countryChoices(language), [text(values, 'location.country')]) }),
        field('modes', 'checkboxes', { options: options(EXPERT_MODES.map((mode) => ({ value: mode, label: t(`mail.mode.${mode}`) })), list(values, 'modes')) }),
        // A text field with a numeric keyboard rather than type=number, as the GOV.UK Design System advises (a wheel or arrow key changes a number field's value unnoticed).
        field('capacity', 'text', { maxLength: 2, inputmode: 'numeric', hint: t('experts.profile.field.capacity.hint') }),
        field('timeZone', 'select', { options: options(TIME_ZONES.map((zone) => ({ value: zone, label: zone.replace(/_/g, ' ') })), [text(values, 'timeZone')]), hint: t('experts.profile.field.timeZone.hint') }),
        field('preferredLanguage', 'select', { options: options(ownNames, [text(values, 'preferredLanguage')]) }),
        ...(mode === 'profile' ? [field('status', 'checkbox', { checked: text(values, 'status') === 'paused', hint: t('experts.profile.field.status.hint') })] : []),
      ],
    },
  ];
}

interface FormState {
  values: Values;
  errors?: PageFieldError[];
  notice?: string;
  flash?: string;
  revision?: number;
  email?: string;
}

function sendForm(req: Request, res: Response, status: number, mode: Mode, state: FormState) {
  const language = languageOfPage(res);
  const errors = state.errors ?? [];
  const byField = new Map(errors.map((error) => [error.field, error.message]));
  sendHostedPage(req, res, status, 'expert-profile', (t) => {
    const sections = formSections(t, language, mode, state.values, byField);
    const labels = new Map(sections.flatMap((section) => section.fields.map((field) => [field.name, field.label] as const)));
    const names = [...labels.keys()];
    const position = (field: string) => (names.includes(field) ? names.indexOf(field) : names.length);
    const first = names[0]!;
    return {
      title: t(mode === 'join' ? 'experts.join.title' : 'experts.profile.title'),
      intro: mode === 'join' ? t('experts.join.intro') : t('experts.profile.intro', { email: state.email ?? '' }),
      action: mode === 'join' ? JOIN : PROFILE,
      sections,
      errorHeading: t('form.errorSummary', { count: errors.length }),
      errors: [...errors].sort((a, b) => position(a.field) - position(b.field)).map((error) => ({ id: labels.has(error.field) ? idOf(error.field) : idOf(first), label: labels.get(error.field) ?? labels.get(first)!, message: error.message })),
      notice: state.notice,
      flash: state.flash,
      choose: t('field.choose'),
      honeypot: mode === 'join' ? t('request.honeypot') : undefined,
      csrf: mode === 'profile' ? req.expertSession!.csrfToken : undefined,
      revision: state.revision,
      submit: t(mode === 'join' ? 'experts.join.submit' : 'experts.profile.submit'),
      links:
        mode === 'profile'
          ? [
              { href: EXPERT_HOME, label: t('experts.profile.backHome') },
              { href: `${PROFILE}/export`, label: t('experts.profile.export') },
              { href: `${PROFILE}/erase`, label: t('experts.profile.erase') },
            ]
          : [{ href: EXPERT_LOGIN, label: t('experts.join.haveProfile') }],
      datalists: [
        { id: 'skill-suggestions', values: skillSuggestions(language) },
        { id: 'city-suggestions', values: citySuggestions(language) },
      ],
    };
  });
}

/** The form as the API's input: dotted names nest, lists stay lists, the capacity is a number; `location` always an object so its missing fields are reported beside themselves. */
const inputOf = (fields: Values): Values => ({ location: {}, ...formToInput(fields, { lists: ['skills', 'languages', 'modes'], numbers: ['capacity'] }) });

/**
 * The whole profile form as a merge patch: every field the form shows is set, and an optional one left empty is
 * cleared (null), so the form is the profile afterwards. Parsed with the API's own input schema (the address
 * is the stored one: the form does not change it).
 */
function patchOf(fields: Values, email: string): { patch: ExpertPatch } | { errors: z.ZodError } {
  const input = { ...inputOf(fields), email, status: text(fields, 'status') === 'paused' ? 'paused' : 'active' };
  const parsed = expertInputSchema.safeParse(input);
  if (!parsed.success) return { errors: parsed.error };
  const value: ExpertInput = parsed.data;
  return {
    patch: {
      name: value.name,
      headline: value.headline ?? null,
      bio: value.bio ?? null,
      skills: value.skills,
      languages: value.languages,
      location: value.location,
      modes: value.modes,
      capacity: value.capacity,
      status: value.status,
      timeZone: value.timeZone ?? null,
      preferredLanguage: value.preferredLanguage ?? null,
    },
  };
}

/** The words of the home page's links to the profile, the export and the erasure (views/pages/expert-home.eta). */
export const profileNav = (t: Translate) => ({ label: t('experts.profile.nav'), profile: t('experts.profile.title'), export: t('experts.profile.export'), erase: t('experts.profile.erase') });


interface Deps {
  hostedExperts: HostedExperts;
  experts: Pick<ExpertService, 'update' | 'erase' | 'export'>;
  findExpert: (id: string) => Promise<ExpertRecord | undefined>;
  publicBaseUrl: string;
  production: boolean;
}

/**
 * The experts' own pages about themselves (issue 11 item 4): `/experts/join` (sign-up confirmed by mail, see
 * hosted-experts.ts), and for a signed-in expert `/experts/profile` (the profile form, saved at the revision it was
 * filled at), `/experts/profile/export` (their data as JSON, the API's export) and `/experts/profile/erase` (a
 * confirmation step, then erasure through the expert service, which ends every session). Mounted under `/experts`
 * before expertPagesRouter; every other path falls through to it.
 */
export function expertProfileRouter(deps: Deps): Router {
  const router = express.Router();
  // Only this router's pages: every other path under /experts passes through untouched to expertPagesRouter.
  router.use(['/join', '/profile', '/goodbye'], privatePage, async (req, res, next) => {
    const expert = req.expertSession ? await deps.findExpert(req.expertSession.expertId) : undefined;
    res.locals.expert = expert;
    choosePageLanguage(req, res, expert ? languageOf(expert) : acceptedLanguage(req));
    next();
  });
  const form = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 80 });
  const fromHere = sameOrigin({ also: [deps.publicBaseUrl] });
  const signedIn = (req: Request, res: Response, next: () => void) => (req.expertSession && res.locals.expert ? next() : res.redirect(303, EXPERT_LOGIN));

  router.get('/join', (req, res) => (req.expertSession && res.locals.expert ? res.redirect(303, PROFILE) : sendForm(req, res, 200, 'join', { values: { preferredLanguage: languageOfPage(res), capacity: '3', modes: ['online'] } })));
  router.get('/join/sent', (req, res) => sendHostedPage(req, res, 200, 'message', (t) => ({ title: t('experts.join.sent.title'), text: t('experts.join.sent.text') })));
  router.post(
    '/join',
    rateLimitPerAddress(JOINS_PER_MINUTE, (req, res) => sendHostedPage(req, res, 429, 'message', (t) => ({ title: t('experts.join.title'), text: t('form.error.tooManyAttempts'), failed: true }))),
    fromHere,
    form,
    async (req, res) => {
      const fields = (req.body ?? {}) as Values;
      const honeypot = fields[HONEYPOT];
      if (typeof honeypot === 'string' && honeypot !== '') return res.redirect(303, `${JOIN}/sent`);
      const posted = withoutFormOnly(fields);
      const parsed = expertInputSchema.safeParse(inputOf(posted));
      if (!parsed.success) return sendForm(req, res, 400, 'join', { values: posted, errors: pageFieldErrors(parsed.error, translatorFor(languageOfPage(res))) });
      await deps.hostedExperts.join(parsed.data);
      res.redirect(303, `${JOIN}/sent`);
    },
  );
  router.get('/goodbye', (req, res) => sendHostedPage(req, res, 200, 'message', (t) => ({ title: t('experts.profile.goodbye.title'), text: t('experts.profile.goodbye.text') })));

  router.get('/profile', signedIn, (req, res) => {
    const expert = res.locals.expert as ExpertRecord;
    const t = translatorFor(languageOfPage(res));
    sendForm(req, res, 200, 'profile', { values: valuesOf(expert), revision: expert.revision, email: expert.email, flash: req.query.done === 'saved' ? t('experts.profile.saved') : undefined });
  });
  router.post('/profile', signedIn, fromHere, form, csrfProtection, async (req, res) => {
    const expert = res.locals.expert as ExpertRecord;
    const fields = (req.body ?? {}) as Values;
    const t = translatorFor(languageOfPage(res));
    const posted = withoutFormOnly(fields);
    const revision = Number(text(fields, 'revision'));
    const result = patchOf(posted, expert.email);
    if ('errors' in result) return sendForm(req, res, 400, 'profile', { values: posted, errors: pageFieldErrors(result.errors, t), revision: expert.revision, email: expert.email });
    try {
      await deps.experts.update(principalOf(req), expert.id, (current) => {
        if (current !== revision) throw new AppError('precondition_failed', 'The profile changed since the form was opened');
      }, result.patch);
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'precondition_failed')) throw error;
      // Someone changed the profile meanwhile (another tab, the API): the form again, as it is now, saying so.
      const current = (await deps.findExpert(expert.id)) ?? expert;
      return sendForm(req, res, 409, 'profile', { values: valuesOf(current), revision: current.revision, email: current.email, notice: t('experts.profile.changed') });
    }
    res.redirect(303, `${PROFILE}?done=saved`);
  });

  router.get('/profile/export', signedIn, async (req, res) => {
    const expert = res.locals.expert as ExpertRecord;
    const { expert: exported, ...rest } = await deps.experts.export(principalOf(req), expert.id);
    res.attachment(`expert-${expert.id}.json`);
    res.json({ exportedAt: rest.exportedAt, profile: presentExpert(exported), apiKeys: rest.apiKeys, mails: rest.mails });
  });

  router.get('/profile/erase', signedIn, (req, res) =>
    sendHostedPage(req, res, 200, 'expert-erase', (t) => ({
      title: t('experts.profile.eraseTitle'),
      intro: t('experts.profile.eraseIntro'),
      items: [t('experts.profile.eraseProfile'), t('experts.profile.eraseInvitations'), t('experts.profile.eraseMails'), t('experts.profile.eraseSessions')],
      keep: t('experts.profile.eraseKeep'),
      button: t('experts.profile.eraseButton'),
      cancel: t('experts.profile.eraseCancel'),
      cancelHref: PROFILE,
      csrf: req.expertSession!.csrfToken,
    })),
  );
  router.post('/profile/erase', signedIn, fromHere, form, csrfProtection, async (req, res) => {
    await deps.experts.erase(principalOf(req), (res.locals.expert as ExpertRecord).id);
    await endSession(req, res, deps.production);
    res.redirect(303, '/experts/goodbye');
  });
  router.use(expertPageFailure('experts.profile.title'));
  return router;
}

