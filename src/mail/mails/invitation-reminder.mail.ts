import type { MailLanguage } from '../../domain/people';
import { hoursLeft } from '../../domain/reminders';
import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';
import type { RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { requestRows, signature } from './common';
import { stopRemindersBlocks } from './stop-reminders';

export interface InvitationReminderInput {
  invitation: { expiresAt: Date };
  request: RequestRecord;
  expert: { name: string; language: MailLanguage; timeZone: string };
  /** New one-click links (`<PUBLIC_BASE_URL>/a/<token>`): Accept, Decline, and the one that turns reminders off. */
  links: { accept: string; decline: string; stopReminders: string };
  /** When the reminder is written: the time left is counted from it. */
  now: Date;
}

/**
 * "Your invitation expires soon", to an expert who has not answered, in their language: Accept and Decline first (as
 * in the invitation), then when it expires in their zone (named) and the time left in whole hours, the request's
 * summary, and last the link that turns reminders off.
 */
export function invitationReminderMail(input: InvitationReminderInput): ComposedMail {
  const { invitation, request, expert } = input;
  const t = translatorFor(expert.language);
  const values = { title: request.title, organization: request.organization.name };
  const hours = hoursLeft(invitation.expiresAt, input.now);
  return compose(expert.language, t('mail.invitationReminder.subject', { ...values, hours }), [
    {
      links: [
        { label: t('mail.invitation.acceptLink'), href: input.links.accept },
        { label: t('mail.invitation.declineLink'), href: input.links.decline },
      ],
    },
    { paragraph: t('mail.greeting', { name: expert.name }) },
    { paragraph: t('mail.invitationReminder.intro', values) },
    { paragraph: `${t('mail.invitation.expiry', { expiresAt: formatInstant(invitation.expiresAt, expert.timeZone, expert.language) })} ${t('mail.invitation.timeLeft', { hours })}` },
    { heading: t('mail.invitation.requestHeading') },
    { rows: requestRows(request, expert.language) },
    { paragraph: t('mail.invitationReminder.linkNote') },
    ...stopRemindersBlocks(expert.language, input.links.stopReminders),
    ...signature(expert.language),
  ]);
}
