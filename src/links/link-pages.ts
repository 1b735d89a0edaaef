import type { Response } from 'express';
import type { LinkState } from '../domain/action-links';
import type { MailLanguage } from '../domain/people';
import { translatorFor, type MessageKey } from '../i18n/i18n';
import { sendPage } from '../http/pages';
import type { KnownLink, LinkOutcome, LinkView } from './action-link.service';

/**
 * Why a link did nothing: its page and status. Unknown or tampered 404; used or expired 410 (gone for good); the
 * subject moved on or the service refused 409; a form that does not parse 400; a POST from another site 403.
 */
export type LinkRefusal = Exclude<LinkState, 'ready'> | 'unknown' | 'unavailable' | 'forbidden' | 'invalid' | 'error';

export const REFUSAL_STATUS: Record<LinkRefusal, number> = {
  unknown: 404,
  used: 410,
  expired: 410,
  answered: 409,
  taken: 409,
  closed: 409,
  unavailable: 409,
  forbidden: 403,
  invalid: 400,
  error: 500,
};

type Refused = LinkView | Extract<LinkOutcome, { done: false }>['view'];

/** Why a link that did not act did nothing, and the link when its token is known. */
export function refusalOf(view: Refused): { refusal: LinkRefusal; known?: Omit<KnownLink, 'state'> } {
  if (!('token' in view)) return { refusal: 'unknown' };
  return { refusal: view.state === 'ready' ? 'unknown' : view.state, known: view };
}

const footer = (language: MailLanguage) => translatorFor(language)('page.footer');

/** The confirmation page a GET shows: what the link would do and one button (a form that POSTs to the same URL). */
export function sendConfirmation(res: Response, link: KnownLink, fallback: MailLanguage): void {
  const reader = link.reader ?? { language: fallback, timeZone: 'UTC' };
  sendPage(res, 200, 'links/confirm', { language: reader.language, footer: footer(reader.language), ...link.handler.confirmation(link.token, link.subject, reader, new Date()) });
}

/** The page after a POST that acted. */
export function sendDone(res: Response, outcome: Extract<LinkOutcome, { done: true }>, fallback: MailLanguage): void {
  const { link } = outcome;
  const reader = link.reader ?? { language: fallback, timeZone: 'UTC' };
  sendPage(res, 200, 'links/message', { language: reader.language, footer: footer(reader.language), ...link.handler.done(link.token, link.subject, reader) });
}

/**
 * A page saying why the link did nothing and what to do, with REFUSAL_STATUS's status: in the reader's language when
 * the link is known, worded by its purpose where it has its own words (else `page.link.<refusal>`), and in
 * `fallback` (from Accept-Language) when it is not.
 */
export function sendRefusal(res: Response, refusal: LinkRefusal, known: Omit<KnownLink, 'state'> | undefined, fallback: MailLanguage): void {
  const reader = known?.reader ?? { language: fallback, timeZone: 'UTC' };
  const { language } = reader;
  const t = translatorFor(language);
  const message = known?.handler.refusal?.(refusal, known.token, known.subject, reader) ?? { key: refusal };
  sendPage(res, REFUSAL_STATUS[refusal], 'links/message', {
    language,
    title: t(`page.link.${message.key}.title` as MessageKey),
    footer: footer(language),
    text: t(`page.link.${message.key}.text` as MessageKey, message.values),
    failed: true,
  });
}
