import { invitationLinkState } from '../../domain/action-links';
import { expertRepository, type ExpertRecord } from '../../experts/expert.repository';
import { languageOf, timeZoneOf } from '../../experts/expert.presenter';
import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';
import { parseInput } from '../../http/validate';
import { invitationRepository, type InvitationRecord } from '../../invitations/invitation.repository';
import { declineInputSchema } from '../../invitations/invitation.schemas';
import type { InvitationService } from '../../invitations/invitation.service';
import { requestRows } from '../../mail/mails/common';
import type { MatchReason } from '../../domain/matching';
import { localiseReasons } from '../../matching/reason-messages';
import { requestRepository, type RequestRecord } from '../../requests/request.repository';
import { principalFor, type LinkHandler, type RefusalMessage } from '../link-handler';

interface InvitationSubject {
  invitation: InvitationRecord;
  request: RequestRecord;
  expert: ExpertRecord;
}

const DECLINE_REASON_MAX = 1000;

/**
 * The Accept and Decline links of an invitation mail (purposes `accept_invitation`, `decline_invitation`): the
 * subject is the invitation, the party the invited expert; acting calls the invitation service as that expert. The
 * confirmation page shows what the mail did: the request's summary and description, and why the expert was matched
 * (`reasonsFor`, the matching engine's verdict now, worded for the expert in their language).
 */
export function invitationAnswerLink(
  kind: 'accept' | 'decline',
  invitations: Pick<InvitationService, 'accept' | 'decline'>,
  reasonsFor: (request: RequestRecord, expertId: string) => readonly MatchReason[],
): LinkHandler<InvitationSubject, { reason?: string }> {
  return {
    async load(token) {
      const invitation = await invitationRepository.findById(token.subjectId);
      if (!invitation || invitation.expertId !== token.partyId) return undefined;
      const [request, expert] = await Promise.all([requestRepository.findById(invitation.requestId), expertRepository.findById(token.partyId)]);
      return request && expert ? { invitation, request, expert } : undefined;
    },

    reader: ({ expert }) => ({ language: languageOf(expert), timeZone: timeZoneOf(expert) }),

    state: (token, { invitation, request }, now) => invitationLinkState({ token, invitation, request }, now),

    confirmation(_token, { invitation, request, expert }, reader, now) {
      const t = translatorFor(reader.language);
      const hours = Math.max(1, Math.round((invitation.expiresAt.getTime() - now.getTime()) / 3_600_000));
      return {
        title: t(`page.link.${kind}.title`),
        intro: t(`page.link.${kind}.intro`, { organization: request.organization.name }),
        heading: t('mail.invitation.requestHeading'),
        rows: requestRows(request, reader.language),
        paragraphs: [request.description],
        list: { heading: t('mail.invitation.whyHeading'), items: localiseReasons(reasonsFor(request, expert.id), reader.language, 'expert').map((reason) => reason.message) },
        notes: [`${t('mail.invitation.expiry', { expiresAt: formatInstant(invitation.expiresAt, reader.timeZone, reader.language) })} ${t('mail.invitation.timeLeft', { hours })}`],
        fields: kind === 'decline' ? [{ name: 'reason', label: t('page.link.decline.reason'), kind: 'textarea', maxLength: DECLINE_REASON_MAX }] : [],
        button: t(`page.link.${kind}.button`),
      };
    },

    parse: (form) => (kind === 'decline' ? parseInput(declineInputSchema, form, 'body') : {}),

    async act(token, { invitation }, input, now) {
      const principal = principalFor(token);
      if (kind === 'accept') await invitations.accept(principal, invitation.id, now);
      else await invitations.decline(principal, invitation.id, input.reason, now);
    },

    done(_token, { request }, reader) {
      const t = translatorFor(reader.language);
      const done = kind === 'accept' ? 'accepted' : 'declined';
      return { title: t(`page.link.${done}.title`), text: t(`page.link.${done}.text`, { title: request.title, organization: request.organization.name }) };
    },

    refusal(refusal, _token, { invitation }, reader): RefusalMessage | undefined {
      if (refusal === 'expired') return { key: 'expired', values: { expiresAt: formatInstant(invitation.expiresAt, reader.timeZone, reader.language) } };
      if (refusal === 'answered') return { key: 'answered', values: { status: invitation.status } };
      if (refusal === 'invalid') return { key: 'decline.invalid', values: { max: DECLINE_REASON_MAX } };
      return undefined;
    },
  };
}
