import type { Request, RequestHandler, Response } from 'express';
import { isMailLanguage, MAIL_LANGUAGES, type MailLanguage } from '../domain/people';
import { acceptedLanguage } from '../http/pages';

/** The cookie that remembers a visitor's choice from the language switcher. */
export const LANGUAGE_COOKIE = 'lang';
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

/** A `lang=xx` pair from the Cookie header (RFC 6265 §4.2), without a cookie library for one value. */
function cookieLanguage(req: Request): string | undefined {
  const header = req.get('Cookie');
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const [name, value] = pair.trim().split('=');
    if (name === LANGUAGE_COOKIE) return value;
  }
  return undefined;
}

/**
 * The language of a hosted page (issue 11): `?lang=` first (and then remembered in a cookie), then the cookie, then
 * `fallback` (a status page's contact's language, else the visitor's `Accept-Language` among the five the service
 * writes, English otherwise). Stored in `res.locals.language`, sent as `Content-Language`.
 */
export function choosePageLanguage(req: Request, res: Response, fallback: MailLanguage): MailLanguage {
  const asked = typeof req.query.lang === 'string' ? req.query.lang : undefined;
  const remembered = cookieLanguage(req);
  let language: MailLanguage;
  if (asked !== undefined && isMailLanguage(asked)) {
    language = asked;
    if (asked !== remembered) {
      res.cookie(LANGUAGE_COOKIE, asked, { maxAge: YEAR_MS, sameSite: 'lax', httpOnly: true, secure: req.secure, path: '/' });
    }
  } else if (remembered !== undefined && isMailLanguage(remembered)) language = remembered;
  else language = fallback;
  res.locals.language = language;
  res.setHeader('Content-Language', language);
  res.vary('Accept-Language');
  res.vary('Cookie');
  return language;
}

/** choosePageLanguage with the visitor's Accept-Language as the fallback, as middleware. */
export const pageLanguage: RequestHandler = (req, res, next) => {
  choosePageLanguage(req, res, acceptedLanguage(req));
  next();
};

export const languageOfPage = (res: Response): MailLanguage => res.locals.language as MailLanguage;

/**
 * This page in `language`: its path and query with `lang=` set (`/request?lang=pl`,
 * `/embed/request?partner=…&lang=pl`), so a page that needs its query (the embedded form's partner) keeps it.
 */
export function pageUrlIn(req: Request, language: MailLanguage): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(req.query)) if (name !== 'lang' && typeof value === 'string') query.append(name, value);
  query.append('lang', language);
  return `${req.baseUrl}${req.path}?${query.toString()}`;
}

/** The switcher's links: this page in each language (pageUrlIn), each named in its own language. */
export function languageSwitcher(req: Request, current: MailLanguage): Array<{ code: MailLanguage; name: string; href: string; current: boolean }> {
  return MAIL_LANGUAGES.map((code) => ({
    code,
    name: new Intl.DisplayNames([code], { type: 'language' }).of(code) ?? code,
    href: pageUrlIn(req, code),
    current: code === current,
  }));
}
