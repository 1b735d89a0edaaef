import { randomBytes } from 'node:crypto';
import cookieParser from 'cookie-parser';
import { csrfSync } from 'csrf-sync';
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { AppError } from '../errors';
import type { Principal } from '../http/principal';
import type { MessageKey } from '../i18n/i18n';
import { expertSessions, SESSION_TTL_MS, type ExpertSession } from '../sessions/expert-sessions';
import { sendHostedPage } from './hosted-page';

declare module 'express-serve-static-core' {
  interface Request {
    /** The signed-in expert's session on the hosted pages, when the cookie names a live one. */
    expertSession?: ExpertSession;
  }
}

/** The session cookie: only its signed random id; the session itself is a database record. */
export const SESSION_COOKIE = 'expert_session';
/** Where a sign-in lands and a signed-out or unknown visitor is sent. */
export const EXPERT_HOME = '/experts/home';
export const EXPERT_LOGIN = '/experts/login';

/**
 * The CSRF protection of every form an expert sends while signed in: the synchroniser token pattern (OWASP) with
 * csrf-sync, the token kept in the server-side session record and sent back in the form's hidden `_csrf` field.
 * A token of another session, of an ended session, or none, is refused (403) before the form is read further.
 */
const csrf = csrfSync({
  getTokenFromState: (req) => req.expertSession?.csrfToken,
  storeTokenInState: (req, token) => {
    if (req.expertSession && typeof token === 'string') req.expertSession.csrfToken = token;
  },
  getTokenFromRequest: (req) => {
    const value: unknown = (req.body as Record<string, unknown> | undefined)?._csrf;
    return typeof value === 'string' ? value : undefined;
  },
  errorConfig: { statusCode: 403, code: 'EBADCSRFTOKEN', message: 'invalid csrf token' },
});
export const csrfProtection: RequestHandler = csrf.csrfSynchronisedProtection;
export const isCsrfError = (error: unknown): boolean => (error as { code?: unknown }).code === 'EBADCSRFTOKEN';

/** Reads cookies and signs or checks the session cookie with `secret` (cookie-parser), where sessions start or are used. */
export const sessionCookies = (secret: string): RequestHandler => cookieParser(secret);

/**
 * Loads the live session the signed cookie names into `req.expertSession` (after sessionCookies). A cookie that is
 * unsigned, tampered with, unknown or expired is ignored: the visitor is not signed in.
 */
export const expertSessionLoader: RequestHandler = async (req, _res, next) => {
  const raw: unknown = req.signedCookies?.[SESSION_COOKIE];
  if (typeof raw === 'string') req.expertSession = await expertSessions.find(raw);
  next();
};

/** The session cookie's attributes: httpOnly, SameSite=Lax, Secure outside development (or whenever the request came over https). */
const cookieOptions = (req: Request, production: boolean) => ({ httpOnly: true, sameSite: 'lax' as const, secure: production || req.secure, signed: true, path: '/' });

/**
 * Starts a session for `expertId` after a sign-in link's POST: a fresh CSRF token from csrf-sync, the record, the
 * signed cookie, and a 303 to the expert's home page.
 */
export function sessionStarter(production: boolean) {
  return async (req: Request, res: Response, expertId: string): Promise<void> => {
    const token = csrf.generateToken(req, true);
    const { raw } = await expertSessions.start(expertId, token);
    res.cookie(SESSION_COOKIE, raw, { ...cookieOptions(req, production), maxAge: SESSION_TTL_MS });
    res.redirect(303, EXPERT_HOME);
  };
}

/** Ends the visitor's session: the record goes (the cookie stops working everywhere) and the cookie is cleared. */
export async function endSession(req: Request, res: Response, production: boolean): Promise<void> {
  if (req.expertSession) await expertSessions.end(req.expertSession);
  res.clearCookie(SESSION_COOKIE, cookieOptions(req, production));
}

/** A secret for the session cookie when SESSION_SECRET is unset: random per start. */
export const sessionSecret = (configured: string | undefined): string => configured ?? randomBytes(32).toString('hex');

/** The principal a signed-in expert acts as: the same as their own API key's. The key id names the session, never its secret. */
export function principalOf(req: Request): Principal {
  const session = req.expertSession!;
  return { role: 'expert', keyId: `session:${session.id.slice(0, 12)}`, ownerId: session.expertId, expertId: session.expertId };
}

/**
 * The expert pages' failure page: a refused CSRF token, a POST from another site, or a form the parser refuses is a
 * page (titled `title`) saying so in the page's language, never a 500; anything else goes on to the app's handler.
 */
export function expertPageFailure(title: MessageKey): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const status = error instanceof AppError ? error.status : (error as { status?: unknown }).status;
    if (typeof status !== 'number' || status < 400 || status >= 500) return next(error);
    const key: MessageKey = isCsrfError(error) ? 'experts.error.csrf' : error instanceof AppError && error.code === 'forbidden' ? 'form.error.foreign' : 'form.error.unreadable';
    sendHostedPage(req, res, status === 403 ? 403 : 400, 'message', (t) => ({ title: t(title), text: t(key), failed: true }));
  };
}
