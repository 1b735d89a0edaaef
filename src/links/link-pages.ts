import type { Response } from 'express';
import type { LinkState } from '../domain/action-links';
import type { MailLanguage } from '../domain/people';
import { languageOf, timeZoneOf } from '../experts/expert.presenter';
import { formatInstant } from '../i18n/dates';
import { translatorFor, type MessageKey, type MessageValues } from '../i18n/i18n';
import { sendPage } from '../http/pages';
import { requestRows } from '../mail/mails/common';
import type { LinkOutcome, LinkView } from './action-link.service';

/** Why a link did nothing: its page and status. Unknown or tampered 404; used or expired 410 (gone for good); the invitation or request moved on 409. */
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

type KnownView = Extract<LinkView, { token: unknown }>;

/** Why a link that did not act did nothing, and what it is about when the token is known. */
export function refusalOf(view: LinkView | Extract<LinkOutcome, { done: false }>['view']): { refusal: LinkRefusal; known?: Pick<KnownView, 'expert' | 'invitation'> } {
  if (!('token' in view)) return { refusal: 'unknown' };
  return { refusal: view.state === 'ready' ? 'unknown' : view.state, known: view };
}

const footer = (language: MailLanguage) => translatorFor(language)('page.footer');

/** The confirmation page a GET shows: the request's summary and one button (a form that POSTs to the same URL). */
export function sendConfirmation(res: Response, view: KnownView): void {
  const language = languageOf(view.expert);
  const t = translatorFor(language);
  const kind = view.purpose === 'accept_invitation' ? 'accept' : 'decline';
  const hours = Math.max(1, Math.round((view.invitation.expiresAt.getTime() - Date.now()) / 3_600_000));
  sendPage(res, 200, 'links/confirm', {
    language,
    title: t(`page.link.${kind}.title`),
    footer: footer(language),
    intro: t(`page.link.${kind}.intro`, { organization: view.request.organization.name }),
    requestHeading: t('mail.invitation.requestHeading'),
    rows: requestRows(view.request, language),
    expiry: `${t('mail.invitation.expiry', { expiresAt: formatInstant(view.invitation.expiresAt, timeZoneOf(view.expert), language) })} ${t('mail.invitation.timeLeft', { hours })}`,
    reasonLabel: kind === 'decline' ? t('page.link.decline.reason') : undefined,
    button: t(`page.link.${kind}.button`),
  });
}

/** The page after a POST that acted. */
export function sendDone(res: Response, outcome: Extract<LinkOutcome, { done: true }>): void {
  const { view } = outcome;
  const language = languageOf(view.expert);
  const t = translatorFor(language);
  const kind = view.purpose === 'accept_invitation' ? 'accepted' : 'declined';
  sendPage(res, 200, 'links/message', {
    language,
    title: t(`page.link.${kind}.title`),
    footer: footer(language),
    text: t(`page.link.${kind}.text`, { title: view.request.title, organization: view.request.organization.name }),
  });
}

/**
 * A page saying why the link did nothing and what to do, in the expert's language when the link is known (else
 * `fallback`, from Accept-Language), with REFUSAL_STATUS's status.
 */
export function sendRefusal(res: Response, refusal: LinkRefusal, known: Pick<KnownView, 'expert' | 'invitation'> | undefined, fallback: MailLanguage): void {
  const language = known ? languageOf(known.expert) : fallback;
  const t = translatorFor(language);
  const values: MessageValues =
    refusal === 'expired' && known
      ? { expiresAt: formatInstant(known.invitation.expiresAt, timeZoneOf(known.expert), language) }
      : refusal === 'answered' && known
        ? { status: known.invitation.status }
        : refusal === 'invalid'
          ? { max: 1000 }
          : {};
  sendPage(res, REFUSAL_STATUS[refusal], 'links/message', {
    language,
    title: t(`page.link.${refusal}.title` as MessageKey),
    footer: footer(language),
    text: t(`page.link.${refusal}.text` as MessageKey, values),
    failed: true,
  });
}
