import path from 'node:path';
import express, { type RequestHandler, type Response } from 'express';
import { Eta } from 'eta';
import { MAIL_LANGUAGES, type MailLanguage } from '../domain/people';
import { PROJECT_ROOT } from '../infra/project-root';

/** Where page templates live (`views/*.eta`, beside `seed/` and `openapi.yaml`, so the built service finds them too). */
export const VIEWS_DIR = path.join(PROJECT_ROOT, 'views');

/**
 * Server-side pages for people (action links now, the hosted pages later): Eta templates with `autoEscape` on, so
 * `<%= %>` escapes every value as HTML and only `<%~ %>` (used for the layout's body) writes markup. Eta was chosen
 * over Nunjucks for having no dependencies and its own TypeScript types; templates are cached once compiled.
 * Templates carry no inline scripts or styles: helmet's CSP stays strict, and forms work without JavaScript.
 */
const eta = new Eta({ views: VIEWS_DIR, autoEscape: true, cache: true, autoTrim: false });

export interface PageData {
  language: MailLanguage;
  title: string;
  [field: string]: unknown;
}

/** Renders `views/<template>.eta` as a complete page with `status`. */
export function sendPage(res: Response, status: number, template: string, data: PageData): void {
  res.status(status).type('html').send(eta.render(`./${template}`, data));
}

/** The reader's language from `Accept-Language` (RFC 9110 §12.5.4) among the five the service writes; English otherwise. */
export function acceptedLanguage(req: express.Request): MailLanguage {
  const chosen = req.acceptsLanguages([...MAIL_LANGUAGES]);
  return chosen && (MAIL_LANGUAGES as readonly string[]).includes(chosen) ? (chosen as MailLanguage) : 'en';
}

/** Pages about one person's business (a link acts for them): never stored by a cache, never sent on as a Referer. */
export const privatePage: RequestHandler = (_req, res, next) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
  next();
};

/** The pages' one stylesheet (`views/assets/`), cacheable for a day. */
export const pageAssets = (): RequestHandler => express.static(path.join(VIEWS_DIR, 'assets'), { maxAge: '1d', index: false });
