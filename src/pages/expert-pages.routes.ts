import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { AppError } from '../errors';
import { languageOf, timeZoneOf } from '../experts/expert.presenter';
import type { ExpertRecord } from '../experts/expert.repository';
import { emailSchema } from '../experts/email-address';
import { acceptedLanguage, privatePage } from '../http/pages';
import type { Principal } from '../http/principal';
import { rateLimitPerAddress } from '../http/rate-limit';
import { sameOrigin } from '../http/same-origin';
import { formatInstant } from '../i18n/dates';
import { translatorFor, type MessageKey, type Translate } from '../i18n/i18n';
import type { InvitationRecord } from '../invitations/invitation.repository';
import type { InvitationService } from '../invitations/invitation.service';
import type { MatchingService } from '../matching/matching.service';
import { localiseReasons } from '../matching/reason-messages';
import type { RequestRecord } from '../requests/request.repository';
import type { RequestService } from '../requests/request.service';
import type { SignIn } from '../sessions/sign-in';
import { csrfProtection, endSession, EXPERT_HOME, EXPERT_LOGIN, isCsrfError } from './expert-session';
import { profileNav } from './expert-profile.routes';
import { sendHostedPage } from './hosted-page';
import { choosePageLanguage, languageOfPage } from './page-language';

/** Sign-in links one address may ask for per minute: a person asks once or twice; more is someone flooding a mailbox. */
const LOGIN_FORMS_PER_MINUTE = 5;
const loginSchema = z.strictObject({ email: emailSchema });
const declineSchema = z.strictObject({ _csrf: z.string(), reason: z.string().trim().max(1000).optional() });
const NOTICES = ['accepted', 'declined', 'unavailable'] as const;
type Notice = (typeof NOTICES)[number];

/** The principal a signed-in expert acts as: the same as their own API key's. The key id names the session, never its secret. */
const principalOf = (req: Request): Principal => {
  const session = req.expertSession!;
  return { role: 'expert', keyId: `session:${session.id.slice(0, 12)}`, ownerId: session.expertId, expertId: session.expertId };
};

interface Deps {
  signIn: SignIn;
  findExpert: (id: string) => Promise<ExpertRecord | undefined>;
  invitations: Pick<InvitationService, 'list' | 'accept' | 'decline'>;
  requests: Pick<RequestService, 'get'>;
  matching: Pick<MatchingService, 'verdictFor'>;
  publicBaseUrl: string;
  production: boolean;
}

/** The request of each invitation the expert may read (one erased or withdrawn meanwhile is left out). */
async function withRequests(deps: Deps, principal: Principal, invitations: InvitationRecord[]): Promise<Array<{ invitation: InvitationRecord; request: RequestRecord }>> {
  const pairs = await Promise.all(invitations.map(async (invitation) => ({ invitation, request: await deps.requests.get(principal, invitation.requestId).catch(() => undefined) })));
  return pairs.filter((pair): pair is { invitation: InvitationRecord; request: RequestRecord } => pair.request !== undefined);
}

async function sendHome(req: Request, res: Response, deps: Deps, expert: ExpertRecord, status = 200, notice?: Notice) {
  const principal = principalOf(req);
  const zone = timeZoneOf(expert);
  const [pending, accepted] = await Promise.all([deps.invitations.list(principal, 'pending', undefined, 20), deps.invitations.list(principal, 'accepted', undefined, 20)]);
  const open = await withRequests(deps, principal, pending);
  const underway = (await withRequests(deps, principal, accepted)).filter(({ request }) => ['accepted', 'scheduled', 'in_progress'].includes(request.stage));
  const flash = typeof req.query.done === 'string' && (NOTICES as readonly string[]).includes(req.query.done) ? (req.query.done as Notice) : undefined;
  sendHostedPage(req, res, status, 'expert-home', (t: Translate) => {
    const language = languageOfPage(res);
    return {
      title: t('experts.home.title'),
      greeting: t('experts.home.greeting', { name: expert.name }),
      flash: flash && flash !== 'unavailable' ? t(`experts.home.notice.${flash}` as MessageKey) : undefined,
      notice: notice ? t(`experts.home.notice.${notice}` as MessageKey) : undefined,
      invitationsHeading: t('experts.home.invitations'),
      noInvitations: t('experts.home.noInvitations'),
      reasonsHeading: t('experts.home.reasons'),
      invitations: open.map(({ invitation, request }) => ({
        id: invitation.id,
        title: request.title,
        rows: [
          { label: t('experts.home.organisation'), value: request.organization.name },
          { label: t('experts.home.place'), value: [request.location.city, request.location.country].filter(Boolean).join(', ') },
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
      consultationColumns: { title: t('experts.home.column.title'), stage: t('experts.home.column.stage'), when: t('experts.home.column.when') },
      consultations: underway.map(({ request }) => ({
        title: request.title,
        stage: t(`status.stage.${request.stage}` as MessageKey),
        when: request.schedule ? formatInstant(request.schedule.startsAt, zone, language) : '—',
      })),
      signOut: t('experts.home.signOut'),
      profileNav: profileNav(t),
      csrf: req.expertSession!.csrfToken,
    };
  });
}

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
    if (!parsed.success) return sendHome(req, res, deps, res.locals.expert as ExpertRecord, 400, 'unavailable');
    try {
      if (answer === 'accept') await deps.invitations.accept(principalOf(req), id);
      else await deps.invitations.decline(principalOf(req), id, parsed.data.reason);
    } catch (error) {
      if (error instanceof AppError && error.status < 500) return sendHome(req, res, deps, res.locals.expert as ExpertRecord, 409, 'unavailable');
      throw error;
    }
    res.redirect(303, `${EXPERT_HOME}?done=${answer === 'accept' ? 'accepted' : 'declined'}`);
  });
  router.use(pageFailure);
  return router;
}

/** A refused CSRF token, a POST from another site, or a form the parser refuses: a page saying so, never a 500. */
const pageFailure: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const status = error instanceof AppError ? error.status : (error as { status?: unknown }).status;
  if (typeof status !== 'number' || status < 400 || status >= 500) return next(error);
  const key: MessageKey = isCsrfError(error) ? 'experts.error.csrf' : error instanceof AppError && error.code === 'forbidden' ? 'form.error.foreign' : 'form.error.unreadable';
  sendHostedPage(req, res, status === 403 ? 403 : 400, 'message', (t) => ({ title: t('experts.home.title'), text: t(key), failed: true }));
};
