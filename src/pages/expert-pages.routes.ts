import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors';
import { languageOf, timeZoneOf } from '../experts/expert.presenter';
import type { ExpertRecord } from '../experts/expert.repository';
import { emailSchema } from '../experts/email-address';
import { acceptedLanguage, privatePage } from '../http/pages';
import type { Principal } from '../http/principal';
import { idSchema } from '../http/common.schemas';
import { rateLimitPerAddress } from '../http/rate-limit';
import { sameOrigin } from '../http/same-origin';
import { countryName, formatInstant } from '../i18n/dates';
import { translatorFor, type MessageKey, type Translate } from '../i18n/i18n';
import type { ConsultationService } from '../consultations/consultation.service';
import { completeInputSchema } from '../consultations/consultation.schemas';
import type { InvitationRecord } from '../invitations/invitation.repository';
import type { InvitationService } from '../invitations/invitation.service';
import type { MatchingService } from '../matching/matching.service';
import { localiseReasons } from '../matching/reason-messages';
import type { ProposalService } from '../proposals/proposal.service';
import type { RequestRecord } from '../requests/request.repository';
import type { RequestService } from '../requests/request.service';
import type { SignIn } from '../sessions/sign-in';
import { csrfProtection, endSession, EXPERT_HOME, EXPERT_LOGIN, expertPageFailure, principalOf } from './expert-session';
import { pageFieldErrors, type PageFieldError } from './field-errors';
import { formToInput } from './form-fields';
import { profileNav } from './expert-profile.routes';
import { sendHostedPage } from './hosted-page';
import { readProposalForm, SLOT_COUNT, slotFields } from './proposal-form';
import { choosePageLanguage, languageOfPage } from './page-language';

/** Sign-in links one address may ask for per minute: a person asks once or twice; more is someone flooding a mailbox. */
const LOGIN_FORMS_PER_MINUTE = 5;
const loginSchema = z.strictObject({ email: emailSchema });
const declineSchema = z.strictObject({ _csrf: z.string(), reason: z.string().trim().max(1000).optional() });
/** The flash after a form that worked (`?done=`), and the catalogue message it shows. */
const FLASHES: Readonly<Record<string, MessageKey>> = {
  accepted: 'experts.home.notice.accepted',
  declined: 'experts.home.notice.declined',
  proposed: 'experts.consult.notice.proposed',
  started: 'experts.consult.notice.started',
  completed: 'experts.consult.notice.completed',
};
/** The flash each consultation step redirects with. */
const STEP_DONE: Readonly<Record<string, string>> = { proposals: 'proposed', start: 'started', complete: 'completed' };
/** Consultations the home page lists, with what the expert may do in each: propose times, start, complete. */
const UNDERWAY = ['accepted', 'scheduled', 'in_progress'];

/** A consultation's form sent back with its problems: which request and form, what was typed, and the messages beside the fields. */
interface FormAgain {
  requestId: string;
  form: 'propose' | 'complete';
  values: Record<string, unknown>;
  errors: PageFieldError[];
}


interface Deps {
  signIn: SignIn;
  findExpert: (id: string) => Promise<ExpertRecord | undefined>;
  invitations: Pick<InvitationService, 'list' | 'accept' | 'decline'>;
  requests: Pick<RequestService, 'get'>;
  matching: Pick<MatchingService, 'verdictFor'>;
  proposals: Pick<ProposalService, 'propose'>;
  consultations: Pick<ConsultationService, 'start' | 'complete'>;
  publicBaseUrl: string;
  production: boolean;
}

/** The request of each invitation the expert may read (one erased or withdrawn meanwhile is left out). */
async function withRequests(deps: Deps, principal: Principal, invitations: InvitationRecord[]): Promise<Array<{ invitation: InvitationRecord; request: RequestRecord }>> {
  const pairs = await Promise.all(invitations.map(async (invitation) => ({ invitation, request: await deps.requests.get(principal, invitation.requestId).catch(() => undefined) })));
  return pairs.filter((pair): pair is { invitation: InvitationRecord; request: RequestRecord } => pair.request !== undefined);
}

/** The fields of one consultation's forms: ids unique on the page, values as typed, errors beside them. */
function formFields(requestId: string, values: Record<string, unknown>, errors: PageFieldError[]) {
  const byField = new Map(errors.map((error) => [error.field, error.message]));
  const typed = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
  return (name: string, label: string, kind: string, extra: Record<string, unknown> = {}) => ({
    name,
    id: `${requestId}-${name.replace(/\./g, '-')}`,
    label,
    kind,
    value: typed(name),
    error: byField.get(name),
    ...extra,
  });
}

/** The linked summary above a form sent back with problems, in the form's order. */
function errorSummary(t: Translate, fields: Array<{ id: string; label: string; error?: string }>) {
  const problems = fields.filter((field) => field.error).map((field) => ({ id: field.id, label: field.label, message: field.error! }));
  return problems.length > 0 ? { heading: t('form.errorSummary', { count: problems.length }), problems } : undefined;
}

/** The "Propose times" form of an accepted consultation: SLOT_COUNT rows, the zone preset to the expert's, place or link. */
function proposeForm(t: Translate, request: RequestRecord, zone: string, again: FormAgain | undefined) {
  const values = again?.form === 'propose' ? again.values : { timeZone: zone, ...Object.fromEntries(Array.from({ length: SLOT_COUNT }, (_, index) => [slotFields(index).durationMinutes, '60'])) };
  const field = formFields(request.id, values, again?.form === 'propose' ? again.errors : []);
  const slots = Array.from({ length: SLOT_COUNT }, (_, index) => {
    const names = slotFields(index);
    return {
      legend: t('experts.consult.slot', { number: index + 1 }),
      fields: [
        field(names.date, t('experts.consult.date'), 'date'),
        field(names.time, t('experts.consult.time'), 'time'),
        field(names.durationMinutes, t('experts.consult.duration'), 'number', { min: 15, max: 480, step: 15 }),
      ],
    };
  });
  const where = [
    field('timeZone', t('experts.consult.timeZone'), 'text', { list: 'time-zones', maxLength: 64 }),
    field('location', t('experts.consult.location'), 'text', { maxLength: 300, hint: t('experts.consult.placeOrLink') }),
    field('meetingUrl', t('experts.consult.meetingUrl'), 'url', { maxLength: 2000 }),
  ];
  return {
    action: `/experts/consultations/${request.id}/proposals`,
    heading: t('experts.consult.propose.heading'),
    intro: t('experts.consult.propose.intro'),
    // In the summary a slot's field is named with its slot: "Time 2 – Day", not a bare "Day".
    summary: errorSummary(t, [...slots.flatMap((slot) => slot.fields.map((field) => ({ ...field, label: `${slot.legend} – ${field.label}` }))), ...where]),
    slots,
    where,
    submit: t('experts.consult.propose.submit'),
  };
}

/** The "Mark as completed" form of a consultation in progress: the summary the organisation reads. */
function completeForm(t: Translate, request: RequestRecord, again: FormAgain | undefined) {
  const field = formFields(request.id, again?.form === 'complete' ? again.values : {}, again?.form === 'complete' ? again.errors : []);
  const summary = field('summary', t('experts.consult.summary'), 'textarea', { maxLength: 8000, hint: t('experts.consult.summaryHint') });
  return { action: `/experts/consultations/${request.id}/complete`, heading: t('experts.consult.complete.heading'), summary: errorSummary(t, [summary]), field: summary, submit: t('experts.consult.complete.submit') };
}

/** What one consultation shows: its stage, the agreed time or the times proposed (in the expert's zone), and its forms. */
function consultationView(t: Translate, request: RequestRecord, zone: string, language: ReturnType<typeof languageOfPage>, again: FormAgain | undefined) {
  const place = (where: { location?: string; meetingUrl?: string }) =>
    where.location !== undefined ? { label: t('experts.consult.location'), value: where.location } : where.meetingUrl !== undefined ? { label: t('experts.consult.meetingUrl'), value: where.meetingUrl } : undefined;
  const slotLine = (slot: { startsAt: Date; durationMinutes: number }) => t('experts.consult.slotLine', { when: formatInstant(slot.startsAt, zone, language), minutes: slot.durationMinutes });
  const { schedule, proposal } = request;
  const rows = [
    { label: t('experts.home.column.stage'), value: t(`status.stage.${request.stage}` as MessageKey) },
    ...(schedule ? [{ label: t('experts.consult.agreed'), value: slotLine(schedule) }, place(schedule)] : []),
  ].filter((row): row is { label: string; value: string } => row !== undefined);
  return {
    id: request.id,
    title: request.title,
    rows,
    proposed:
      request.stage === 'accepted' && proposal
        ? { heading: t('experts.consult.proposed.heading'), slots: proposal.slots.map(slotLine), place: place(proposal) }
        : undefined,
    propose: request.stage === 'accepted' ? proposeForm(t, request, zone, again?.requestId === request.id ? again : undefined) : undefined,
    start: request.stage === 'scheduled' ? { action: `/experts/consultations/${request.id}/start`, submit: t('experts.consult.start') } : undefined,
    complete: request.stage === 'in_progress' ? completeForm(t, request, again?.requestId === request.id ? again : undefined) : undefined,
  };
}

/**
 * The expert's home page: open invitations and consultations under way with their forms. `notice` is a problem to
 * state at the top (status 4xx); `again` is a consultation's form sent back with its problems beside its fields.
 */
async function sendHome(req: Request, res: Response, deps: Deps, expert: ExpertRecord, status = 200, notice?: MessageKey, again?: FormAgain) {
  const principal = principalOf(req);
  const zone = timeZoneOf(expert);
  const [pending, accepted] = await Promise.all([deps.invitations.list(principal, 'pending', undefined, 20), deps.invitations.list(principal, 'accepted', undefined, 20)]);
  const open = await withRequests(deps, principal, pending);
  const underway = (await withRequests(deps, principal, accepted)).filter(({ request }) => UNDERWAY.includes(request.stage));
  const flash = typeof req.query.done === 'string' ? FLASHES[req.query.done] : undefined;
  // A form sent back for a consultation the page no longer lists (moved on, or never the expert's) has nowhere to show its problems.
  const problem = notice ?? (again && !underway.some(({ request }) => request.id === again.requestId) ? 'experts.consult.notice.changed' : undefined);
  sendHostedPage(req, res, status, 'expert-home', (t: Translate) => {
    const language = languageOfPage(res);
    return {
      title: t('experts.home.title'),
      greeting: t('experts.home.greeting', { name: expert.name }),
      flash: flash && !problem ? t(flash) : undefined,
      notice: problem ? t(problem) : undefined,
      invitationsHeading: t('experts.home.invitations'),
      noInvitations: t('experts.home.noInvitations'),
      reasonsHeading: t('experts.home.reasons'),
      invitations: open.map(({ invitation, request }) => ({
        id: invitation.id,
        title: request.title,
        rows: [
          { label: t('experts.home.organisation'), value: request.organization.name },
          { label: t('experts.home.place'), value: [request.location.city, countryName(request.location.country, language)].filter(Boolean).join(', ') },
          { label: t('experts.home.mode'), value: t(`mail.mode.${request.mode}` as MessageKey) },
          { label: t('experts.home.answerBy'), value: formatInstant(invitation.expiresAt, zone, language) },
        ],
        reasons: localiseReasons(deps.matching.verdictFor(request, expert.id)?.reasons ?? [], language, 'expert').map((reason) => reason.message),
      })),
      accept: t('experts.home.accept'),
      decline: t('experts.home.decline'),
      declineReason: t('experts.home.declineReason'),
      consultationsHeading: t('experts.home.consultations'),
      noConsultations: t('experts.home.noConsultations'),
      consultations: underway.map(({ request }) => consultationView(t, request, zone, language, again)),
      timeZones: underway.some(({ request }) => request.stage === 'accepted') ? timeZoneNames(zone) : [],
      signOut: t('experts.home.signOut'),
      profileNav: profileNav(t),
      csrf: req.expertSession!.csrfToken,
    };
  });
}

/** The runtime's IANA zone names, read once: the list a "Propose times" form suggests. */
const ZONES = Intl.supportedValuesOf('timeZone');
/** The zone names to suggest, the expert's own first. */
const timeZoneNames = (own: string): string[] => [own, ...ZONES.filter((zone) => zone !== own)];

/**
 * The experts' hosted pages (issue 11 items 4 and 7): `/experts/login` mails a sign-in link (no passwords), the
 * link's POST starts a session (src/pages/expert-session.ts), and `/experts/home` shows the signed-in expert's open
 * invitations with why they were matched, Accept and Decline, and their consultations. Every form carries the
 * session's CSRF token and must come from this site; the actions are the API's own service calls as the expert.
 */
export function expertPagesRouter(deps: Deps): Router {
  const router = express.Router();
  router.use(privatePage);
  // Page language: ?lang, the cookie, then (signed in) the expert's own language, then Accept-Language.
  router.use(async (req, res, next) => {
    const expert = req.expertSession ? await deps.findExpert(req.expertSession.expertId) : undefined;
    res.locals.expert = expert;
    choosePageLanguage(req, res, expert ? languageOf(expert) : acceptedLanguage(req));
    next();
  });
  const form = express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 });
  const fromHere = sameOrigin({ also: [deps.publicBaseUrl] });

  const sendLogin = (req: Request, res: Response, status: number, value = '', error?: string) =>
    sendHostedPage(req, res, status, 'expert-login', (t) => ({
      title: t('experts.login.title'),
      intro: t('experts.login.intro'),
      label: t('experts.login.email'),
      value,
      error,
      errorHeading: t('form.errorSummary', { count: error ? 1 : 0 }),
      submit: t('experts.login.submit'),
    }));

  router.get('/login', (req, res) => (req.expertSession && res.locals.expert ? res.redirect(303, EXPERT_HOME) : sendLogin(req, res, 200)));
  router.get('/login/sent', (req, res) => sendHostedPage(req, res, 200, 'message', (t) => ({ title: t('experts.login.sent.title'), text: t('experts.login.sent.text') })));
  router.get('/signed-out', (req, res) => sendHostedPage(req, res, 200, 'message', (t) => ({ title: t('experts.signedOut.title'), text: t('experts.signedOut.text') })));
  router.post(
    '/login',
    rateLimitPerAddress(LOGIN_FORMS_PER_MINUTE, (req, res) => sendHostedPage(req, res, 429, 'message', (t) => ({ title: t('experts.login.title'), text: t('form.error.tooManyAttempts'), failed: true }))),
    fromHere,
    form,
    async (req, res) => {
      const fields = (req.body ?? {}) as Record<string, unknown>;
      const parsed = loginSchema.safeParse({ email: fields.email });
      const typed = typeof fields.email === 'string' ? fields.email : '';
      if (!parsed.success) return sendLogin(req, res, 400, typed, translatorFor(languageOfPage(res))(typed.trim() === '' ? 'form.error.required' : 'form.error.email'));
      await deps.signIn.mailLink(parsed.data.email);
      res.redirect(303, `${EXPERT_LOGIN}/sent`);
    },
  );

  // Everything below is for a signed-in expert; anyone else is sent to sign in.
  router.use((req, res, next) => (req.expertSession && res.locals.expert ? next() : res.redirect(303, EXPERT_LOGIN)));
  router.get('/home', (req, res) => sendHome(req, res, deps, res.locals.expert as ExpertRecord));
  router.post('/sign-out', fromHere, form, csrfProtection, async (req, res) => {
    await endSession(req, res, deps.production);
    res.redirect(303, '/experts/signed-out');
  });
  router.post('/invitations/:id/:answer', fromHere, form, csrfProtection, async (req, res) => {
    const id = String(req.params.id);
    const answer = req.params.answer;
    if (answer !== 'accept' && answer !== 'decline') return res.redirect(303, EXPERT_HOME);
    const parsed = declineSchema.safeParse(Object.fromEntries(Object.entries(req.body ?? {}).filter(([, value]) => value !== '')));
    if (!parsed.success) return sendHome(req, res, deps, res.locals.expert as ExpertRecord, 400, 'experts.home.notice.unavailable');
    try {
      if (answer === 'accept') await deps.invitations.accept(principalOf(req), id);
      else await deps.invitations.decline(principalOf(req), id, parsed.data.reason);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return sendHome(req, res, deps, res.locals.expert as ExpertRecord, 409, 'experts.home.notice.unavailable');
      throw error;
    }
    res.redirect(303, `${EXPERT_HOME}?done=${answer === 'accept' ? 'accepted' : 'declined'}`);
  });
  // A consultation's steps, as the accepted expert: the API's proposals, start and complete calls.
  const consultationForm = express.urlencoded({ extended: false, limit: '64kb', parameterLimit: 20 });
  router.post('/consultations/:id/:step', fromHere, consultationForm, csrfProtection, async (req, res) => {
    const id = String(req.params.id);
    const step = String(req.params.step);
    const expert = res.locals.expert as ExpertRecord;
    if (!idSchema.safeParse(id).success || !Object.hasOwn(STEP_DONE, step)) return sendHome(req, res, deps, expert, 404, 'experts.consult.notice.changed');
    const t = translatorFor(languageOfPage(res));
    const { _csrf: _token, ...values } = (req.body ?? {}) as Record<string, unknown>;
    try {
      if (step === 'proposals') {
        const form = readProposalForm(values, t);
        if (!form.ok) return sendHome(req, res, deps, expert, 400, undefined, { requestId: id, form: 'propose', values, errors: form.errors });
        await deps.proposals.propose(principalOf(req), id, form.input);
      } else if (step === 'complete') {
        const parsed = completeInputSchema.safeParse(formToInput({ summary: values.summary }));
        if (!parsed.success) return sendHome(req, res, deps, expert, 400, undefined, { requestId: id, form: 'complete', values, errors: pageFieldErrors(parsed.error as z.ZodError, t) });
        await deps.consultations.complete(principalOf(req), id, parsed.data.summary);
      } else {
        await deps.consultations.start(principalOf(req), id);
      }
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return sendHome(req, res, deps, expert, 409, 'experts.consult.notice.changed');
      throw error;
    }
    res.redirect(303, `${EXPERT_HOME}?done=${STEP_DONE[step]}`);
  });
  router.use(expertPageFailure('experts.home.title'));
  return router;
}

