import type { MailLanguage } from '../../domain/people';
import { translatorFor } from '../../i18n/i18n';
import type { RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { signature } from './common';

/** Why a pending invitation was withdrawn: another expert accepted the request, or it was cancelled. */
export type WithdrawalReason = 'taken' | 'cancelled';

/**
 * "The request no longer needs you", to an expert whose pending invitation was withdrawn, in their language. It names
 * the request they were invited to and nothing of the expert who took it.
 */
export function invitationWithdrawnMail(request: RequestRecord, expert: { name: string; language: MailLanguage }, reason: WithdrawalReason): ComposedMail {
  const t = translatorFor(expert.language);
  const values = { title: request.title, organization: request.organization.name };
  return compose(expert.language, t('mail.withdrawn.subject', values), [
    { paragraph: t('mail.greeting', { name: expert.name }) },
    { paragraph: t('mail.withdrawn.intro', { ...values, reason }) },
    { paragraph: t('mail.withdrawn.nothingToDo') },
    ...signature(expert.language),
  ]);
}
