import express, { type ErrorRequestHandler, type Request, type Response, type Router } from 'express';
import { AppError } from '../errors';
import { acceptedLanguage, privatePage } from '../http/pages';
import { sameOrigin } from '../http/same-origin';
import type { ActionLinkService } from './action-link.service';
import { refusalOf, sendConfirmation, sendDone, sendRefusal } from './link-pages';

/** A form's empty fields are absent (a blank textarea sends `reason=`); the link's purpose parses the rest with the API's own schema. */
const formFields = (body: unknown): Record<string, unknown> => Object.fromEntries(Object.entries((body ?? {}) as Record<string, unknown>).filter(([, value]) => value !== ''));

const tokenOf = (req: Request): string => (typeof req.params.token === 'string' ? req.params.token : '');

/** Any failure under `/a` becomes a page in the reader's Accept-Language, never JSON: a person clicked a link. */
const failurePage: ErrorRequestHandler = (error, req, res, next) => {
  if (res.headersSent) return next(error);
  const language = acceptedLanguage(req);
  if (error instanceof AppError && error.code === 'forbidden') return sendRefusal(res, 'forbidden', undefined, language);
  // The form parser's refusals (too large, too many fields, a bad encoding) carry a 4xx status of their own.
  const status = (error as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500) return sendRefusal(res, 'invalid', undefined, language);
  req.log.error({ err: error }, 'action link failed');
  sendRefusal(res, 'error', undefined, language);
};

/**
 * `GET /a/{token}` shows what the link would do (never changes anything: mail scanners open links) and
 * `POST /a/{token}` does it; both answer with a page (issue 10 item 4). The POST must come from this service's own
 * page (`Origin`/`Sec-Fetch-Site`, as for the queue board): the token in the path is the secret, so a cookie-less
 * CSRF token would add nothing, but another site must not be able to press the button for the person.
 */
export function actionLinkRouter(links: ActionLinkService, options: { publicBaseUrl: string; startSession: (req: Request, res: Response, expertId: string) => Promise<void> }): Router {
  const router = express.Router();
  router.use(privatePage);
  router.get('/:token', async (req, res) => {
    const view = await links.inspect(tokenOf(req));
    if (view.state === 'ready' && 'token' in view) return sendConfirmation(res, view, acceptedLanguage(req));
    const { refusal, known } = refusalOf(view);
    sendRefusal(res, refusal, known, acceptedLanguage(req));
  });
  router.post('/:token', sameOrigin({ also: [options.publicBaseUrl] }), express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }), async (req, res) => {
    const outcome = await links.act(tokenOf(req), formFields(req.body));
    // A sign-in link's page layer starts the session and sends the expert on to their home page.
    if (outcome.done && outcome.result?.signedIn) return options.startSession(req, res, outcome.result.signedIn.expertId);
    if (outcome.done) return sendDone(res, outcome, acceptedLanguage(req));
    const { refusal, known } = refusalOf(outcome.view);
    sendRefusal(res, refusal, known, acceptedLanguage(req));
  });
  router.use(failurePage);
  return router;
}
