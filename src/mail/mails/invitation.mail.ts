import type { MatchReason } from '../../domain/matching';
import type { MailLanguage } from '../../domain/people';
import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';
import { reasonMessage } from '../../matching/reason-messages';
import type { RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { requestRows, signature } from './common';

export interface InvitationMailInput {
  invitation: { id: string; expiresAt: Date; createdAt: Date };
  request: RequestRecord;
  expert: { name: string; language: MailLanguage; timeZone: string };
  /** Why the engine matched the expert, as codes and parameters; rendered here in the expert's language. */
  reasons: readonly MatchReason[];
  /** The expert's one-click links (`<PUBLIC_BASE_URL>/a/<token>`). */
  links: { accept: string; decline: string };
}

/**
 * The invitation, to the expert in their language: the Accept and Decline links first (in that order, before anything
 * else, in both parts), then the request's summary, why they were matched, and when the invitation expires in their
 * own zone (named).
 */
export function invitationMail(input: InvitationMailInput): ComposedMail {
  const { invitation, request, expert } = input;
  const t = translatorFor(expert.language);
  const organization = request.organization.name;
  const hours = Math.max(1, Math.round((invitation.expiresAt.getTime() - invitation.createdAt.getTime()) / 3_600_000));
  return compose(expert.language, t('mail.invitation.subject', { title: request.title, organization }), [
    {
      links: [
        { label: t('mail.invitation.acceptLink'), href: input.links.accept },
        { label: t('mail.invitation.declineLink'), href: input.links.decline },
      ],
    },
    { paragraph: t('mail.greeting', { name: expert.name }) },
    { paragraph: t('mail.invitation.intro', { organization }) },
    { heading: t('mail.invitation.requestHeading') },
    { rows: requestRows(request, expert.language) },
    { paragraph: request.description },
    ...(input.reasons.length > 0 ? [{ heading: t('mail.invitation.whyHeading') }, { list: input.reasons.map((reason) => reasonMessage(reason, expert.language, 'expert')) }] : []),
    { paragraph: `${t('mail.invitation.expiry', { expiresAt: formatInstant(invitation.expiresAt, expert.timeZone, expert.language) })} ${t('mail.invitation.timeLeft', { hours })}` },
    { paragraph: t('mail.invitation.linkNote') },
    ...signature(expert.language),
  ]);
}
