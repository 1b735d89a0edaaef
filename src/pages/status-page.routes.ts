import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import type { z } from 'zod';
import { cancelInputSchema, feedbackInputSchema } from '../consultations/consultation.schemas';
import { statusActions } from '../domain/request-status';
import { AppError } from '../errors';
import { acceptedLanguage, privatePage } from '../http/pages';
import { rateLimitPerAddress } from '../http/rate-limit';
import { sameOrigin } from '../http/same-origin';
import { formatInstant } from '../i18n/dates';
import { translatorFor, type MessageKey, type Translate } from '../i18n/i18n';
import { languageNames } from '../mail/mails/common';
import { venueRows } from '../mail/mails/scheduling-common';
import { pageFieldErrors } from './field-errors';
import { formToInput } from './form-fields';
import { sendHostedPage } from './hosted-page';
import { choosePageLanguage, languageOfPage } from './page-language';
import type { RequestStatus, StatusSubject } from './request-status';

/** What a successful POST did, told once on the page it redirects to (`?done=`): a flash message without a session. */
const DONE = ['picked', 'cancelled', 'rated'] as const;
type Done = (typeof DONE)[number];
const COMMENT_MAX = 4000;
const REASON_MAX = 1000;
const FORM_LIMITS = { extended: false, limit: '16kb', parameterLimit: 10 } as const;

interface PageState {
  status?: number;
  /** Values and messages beside the fields of the feedback or cancel form, after a POST they refused. */
  values?: Record<string, string>;
  errors?: Map<string, string>;
  /** A message about the whole page (a step the request no longer allows). */
  notice?: string;
}

/** The raw token: the route's parameter, or (in the router's error handler, which has no parameters) the path's first segment. */
const tokenOf = (req: Request): string => (typeof req.params.token === 'string' ? req.params.token : (req.path.split('/')[1] ?? ''));
const pathOf = (raw: string) => `/r/${raw}`;
const text = (body: unknown, name: string): string => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
};

/** The page for a link that opens nothing (unknown, tampered, expired, erased), in the visitor's language: 404, nothing changed. */
function sendUnknown(req: Request, res: Response): void {
  choosePageLanguage(req, res, acceptedLanguage(req));
  sendHostedPage(req, res, 404, 'message', (t) => ({ title: t('status.unknown.title'), text: t('status.unknown.text'), failed: true }));
}

/** The subject of the URL's token with the page's language chosen (the contact's unless ?lang or the cookie says otherwise). */
async function subjectOf(status: RequestStatus, req: Request, res: Response): Promise<StatusSubject | undefined> {
  const subject = await status.open(tokenOf(req));
  if (!subject) sendUnknown(req, res);
  else choosePageLanguage(req, res, subject.request.contact.language);
  return subject;
}

/** The status page: the timeline, what happens next, the expert, the slots, the calendar, feedback and cancel. */
async function sendStatus(status: RequestStatus, req: Request, res: Response, subject: StatusSubject, state: PageState = {}): Promise<void> {
  const now = new Date();
  const { request, timeZone } = subject;
  const actions = statusActions(request, now);
  const expert = actions.showExpert ? await status.expertOf(subject) : undefined;
  const base = pathOf(tokenOf(req));
  const done = DONE.find((value) => value === req.query.done);
  sendHostedPage(req, res, state.status ?? 200, 'status', (t) => {
    const language = languageOfPage(res);
    const reader = { language, timeZone };
    const last = request.history.length - 1;
    const slots = (request.proposal?.slots ?? []).filter((slot) => actions.pickable.includes(slot.id));
    return {
      title: t('status.title'),
      requestTitle: request.title,
      flash: done && t(`status.done.${done}` as MessageKey),
      notice: state.notice,
      timelineHeading: t('status.timeline'),
      timeline: request.history.map((entry, index) => ({ stage: t(`status.stage.${entry.stage}` as MessageKey), at: formatInstant(entry.at, timeZone, language), current: index === last })),
      nextHeading: t('status.nextHeading'),
      next: t(`status.next.${request.stage}` as MessageKey),
      expert: expert && {
        heading: t('mail.accepted.expertHeading'),
        rows: [
          { label: t('mail.label.name'), value: expert.name },
          ...(expert.headline ? [{ label: t('mail.label.headline'), value: expert.headline }] : []),
          { label: t('mail.label.languages'), value: languageNames(expert.languages, language, 'conjunction') },
          { label: t('mail.label.email'), value: expert.email, href: `mailto:${expert.email}` },
        ],
      },
      slots: slots.length > 0 && {
        heading: t('status.slots.heading'),
        intro: t('status.slots.intro', { zone: timeZone }),
        venue: venueRows({ location: request.proposal?.location, meetingUrl: request.proposal?.meetingUrl }, reader),
        action: `${base}/pick`,
        choices: slots.map((slot) => ({ id: slot.id, label: t('mail.slots.pickLink', { when: formatInstant(slot.startsAt, timeZone, language), minutes: slot.durationMinutes }) })),
      },
      schedule: request.schedule && actions.calendar && {
        heading: t('status.schedule.heading'),
        rows: venueRows(request.schedule, reader),
        calendar: { href: `${base}/calendar.ics`, label: t('status.schedule.calendar') },
      },
      feedback: actions.rateable && feedbackForm(t, base, state),
      cancel: actions.cancellable && { href: `${base}/cancel`, label: t('status.cancel.link') },
    };
  });
}

function feedbackForm(t: Translate, base: string, state: PageState) {
  const chosen = state.values?.rating ?? '';
  const errors = [...(state.errors ?? [])].map(([field, message]) => ({ id: field === 'rating' ? 'rating-1' : field, label: t(`status.feedback.${field === 'rating' ? 'rating' : 'comment'}`), message }));
  return {
    heading: t('status.feedback.heading'),
    intro: t('status.feedback.intro'),
    action: `${base}/feedback`,
    errorHeading: t('form.errorSummary', { count: errors.length }),
    errors,
    rating: { legend: t('status.feedback.rating'), error: state.errors?.get('rating'), options: [1, 2, 3, 4, 5].map((value) => ({ value: String(value), label: t('mail.rating.choice', { rating: String(value) }), checked: chosen === String(value) })) },
    comment: { label: t('status.feedback.comment'), value: state.values?.comment ?? '', error: state.errors?.get('comment'), maxLength: COMMENT_MAX },
    button: t('status.feedback.button'),
  };
}

/** The cancel step: why, and one button; a link back to the status page. */
function sendCancel(req: Request, res: Response, subject: StatusSubject, state: PageState = {}): void {
  const base = pathOf(tokenOf(req));
  sendHostedPage(req, res, state.status ?? 200, 'status-cancel', (t) => ({
    title: t('status.cancel.title'),
    intro: t('status.cancel.intro', { title: subject.request.title }),
    action: `${base}/cancel`,
    errorHeading: t('form.errorSummary', { count: state.errors?.size ?? 0 }),
    errors: [...(state.errors ?? [])].map(([, message]) => ({ id: 'reason', label: t('status.cancel.reason'), message })),
    reason: { label: t('status.cancel.reason'), hint: t('status.cancel.hint'), value: state.values?.reason ?? '', error: state.errors?.get('reason'), maxLength: REASON_MAX },
    button: t('status.cancel.button'),
    back: { href: base, label: t('status.cancel.back') },
  }));
}

/** The fields' problems, worded for the page; a rating is a choice among five, whatever zod says about it. */
function fieldErrors(error: z.ZodError, t: Translate): Map<string, string> {
  return new Map(pageFieldErrors(error, t).map(({ field, message }) => [field, field === 'rating' ? t('form.error.choice') : message]));
}

/**
 * The request's status page `/r/{token}` (issue 11 item 3), linked from the request-received mail. GET only reads;
 * the buttons POST to `/r/{token}/pick`, `/cancel` and `/feedback`, are accepted only from this site's own pages,
 * act through the API's services as the request's owner, and redirect (303) back with a message; a refused form is
 * shown again (400) with the problem beside its field, and a step the request no longer allows shows the page again
 * (409) saying so. An unknown, tampered or expired token gets a 404 page.
 */
export function statusPageRouter(status: RequestStatus, options: { publicBaseUrl: string; limitPerMinute: number }): Router {
  const router = express.Router();
  const formsOnly = [sameOrigin({ also: [options.publicBaseUrl] })];
  const redirectDone = (req: Request, res: Response, done: Done) => res.redirect(303, `${pathOf(tokenOf(req))}?done=${done}`);
  router.use(privatePage);
  // Per address, as for /a/*: guessing tokens and pressing buttons are both bounded.
  router.use(
    rateLimitPerAddress(options.limitPerMinute, (req, res) => {
      choosePageLanguage(req, res, acceptedLanguage(req));
      sendHostedPage(req, res, 429, 'message', (t) => ({ title: t('status.title'), text: t('form.error.tooManyAttempts'), failed: true }));
    }),
  );

  router.get('/:token', async (req, res) => {
    const subject = await subjectOf(status, req, res);
    if (subject) await sendStatus(status, req, res, subject);
  });

  router.get('/:token/calendar.ics', async (req, res) => {
    const subject = await subjectOf(status, req, res);
    if (!subject) return;
    if (!subject.request.schedule) return sendHostedPage(req, res, 404, 'message', (t) => ({ title: t('status.noCalendar.title'), text: t('status.noCalendar.text'), failed: true }));
    const content = await status.calendar(subject, languageOfPage(res));
    res.type('text/calendar; charset=utf-8').setHeader('Content-Disposition', 'attachment; filename="consultation.ics"');
    res.send(content);
  });

  router.get('/:token/cancel', async (req, res) => {
    const subject = await subjectOf(status, req, res);
    if (!subject) return;
    // Nothing left to cancel (cancelled, completed, closed): the status page says where the request is.
    if (!statusActions(subject.request, new Date()).cancellable) return res.redirect(303, pathOf(tokenOf(req)));
    sendCancel(req, res, subject);
  });

  router.post('/:token/pick', ...formsOnly, express.urlencoded(FORM_LIMITS), async (req, res) => {
    const subject = await subjectOf(status, req, res);
    if (!subject) return;
    await status.pick(subject, text(req.body, 'slotId'));
    redirectDone(req, res, 'picked');
  });

  router.post('/:token/cancel', ...formsOnly, express.urlencoded(FORM_LIMITS), async (req, res) => {
    const subject = await subjectOf(status, req, res);
    if (!subject) return;
    const values = { reason: text(req.body, 'reason') };
    const parsed = cancelInputSchema.safeParse(formToInput(values));
    if (!parsed.success) return sendCancel(req, res, subject, { status: 400, values, errors: fieldErrors(parsed.error as z.ZodError, translatorFor(languageOfPage(res))) });
    await status.cancel(subject, parsed.data.reason);
    redirectDone(req, res, 'cancelled');
  });

  router.post('/:token/feedback', ...formsOnly, express.urlencoded(FORM_LIMITS), async (req, res) => {
    const subject = await subjectOf(status, req, res);
    if (!subject) return;
    const values = { rating: text(req.body, 'rating'), comment: text(req.body, 'comment') };
    const parsed = feedbackInputSchema.safeParse(formToInput(values, { numbers: ['rating'] }));
    if (!parsed.success) return sendStatus(status, req, res, subject, { status: 400, values, errors: fieldErrors(parsed.error as z.ZodError, translatorFor(languageOfPage(res))) });
    await status.feedback(subject, parsed.data);
    redirectDone(req, res, 'rated');
  });

  router.use(statusFailure(status));
  return router;
}

/**
 * Failures as pages, never JSON: a step the request no longer allows shows the status page again (409) saying so; a
 * POST from another site (403) or a body the parser refuses (400) a message page; anything else is logged and a
 * "nothing was changed" page (500).
 */
function statusFailure(status: RequestStatus): ErrorRequestHandler {
  return async (error, req, res, next) => {
    if (res.headersSent) return next(error);
    try {
      // Read again: the page shows the request as it is now, in its contact's language (a refused POST never chose one).
      const subject = await status.open(tokenOf(req));
      choosePageLanguage(req, res, subject?.request.contact.language ?? acceptedLanguage(req));
      if (error instanceof AppError && error.code === 'conflict' && subject) {
        return await sendStatus(status, req, res, subject, { status: 409, notice: translatorFor(languageOfPage(res))('status.error.changed') });
      }
      const code = error instanceof AppError ? error.status : (error as { status?: unknown }).status;
      if (typeof code === 'number' && code >= 400 && code < 500) {
        const message = error instanceof AppError && error.code === 'forbidden' ? 'form.error.foreign' : 'form.error.unreadable';
        return sendHostedPage(req, res, code === 403 ? 403 : 400, 'message', (t) => ({ title: t('status.title'), text: t(message), failed: true }));
      }
      req.log.error({ err: error }, 'status page failed');
      sendHostedPage(req, res, 500, 'message', (t) => ({ title: t('page.link.error.title'), text: t('page.link.error.text'), failed: true }));
    } catch (failure) {
      next(failure);
    }
  };
}
