import { LINK_TTL_MS } from '../domain/action-links';
import { effectiveInvitationStatus } from '../domain/invitations';
import { defaultTimeZone } from '../domain/people';
import { wantsReminders } from '../domain/reminders';
import type { ExpertRecord } from '../experts/expert.repository';
import { languageOf, timeZoneOf } from '../experts/expert.presenter';
import type { InvitationRecord } from '../invitations/invitation.repository';
import type { IssueLinks, LinkToIssue } from '../links/action-tokens';
import type { Logger } from '../logger';
import type { RequestRecord } from '../requests/request.repository';
import { contactRecipient, expertRecipient } from './mail-notifications';
import type { MailOutbox } from './mail-outbox';
import { consultationReminderMail } from './mails/consultation-reminder.mail';
import { feedbackReceivedMail } from './mails/feedback-received.mail';
import { invitationReminderMail } from './mails/invitation-reminder.mail';
import { RATINGS, ratingRequestMail } from './mails/rating-request.mail';
import { listUnsubscribeHeaders } from './mails/stop-reminders';
import { recordWithLinks, safeRecorder } from './recording';

/** Why a reminder job sent nothing, or `recorded` (`duplicate`: recorded by an earlier run of the same job). */
export type InvitationReminderOutcome = 'recorded' | 'duplicate' | 'not_pending' | 'reminders_off' | 'mail_off';

export type ReminderNotifications = ReturnType<typeof createReminderNotifications>;

/**
 * The reminders (before an invitation expires, before a consultation), the rating request after completion and the
 * feedback an expert received: rendered in each recipient's language and recorded in the outbox, keyed by event and
 * recipient like the other mails (src/mail/mail-notifications.ts). A person who turned reminders off (wantsReminders)
 * gets no reminder; other mails still go. Reminders run in jobs and throw on failure, so bull retries them; the rating
 * and feedback mails come with a lifecycle change and, like the other mails, never fail it. Without an outbox
 * (`MAIL=off`) nothing is recorded.
 */
export function createReminderNotifications(deps: {
  outbox: MailOutbox | undefined;
  logger: Logger;
  findExpert: (id: string) => Promise<ExpertRecord | undefined>;
  findInvitation: (id: string) => Promise<InvitationRecord | undefined>;
  findRequest: (id: string) => Promise<RequestRecord | undefined>;
  issueLinks: IssueLinks;
  dropLinks: (tokenIds: readonly string[]) => Promise<void>;
}) {
  const log = deps.logger.child({ component: 'mail' });
  const withLinks = (outbox: MailOutbox) => ({ outbox, issueLinks: deps.issueLinks, dropLinks: deps.dropLinks });
  // Rating and stop-reminder links have no expiry of their own subject: the common one (issue 10 item 4).
  const followUpExpiry = (now: Date) => new Date(now.getTime() + LINK_TTL_MS);
  const stopLink = (party: { partyRole: 'expert' | 'contact'; partyId: string }, now: Date): LinkToIssue => ({
    purpose: 'stop_reminders',
    subjectId: party.partyId,
    ...party,
    expiresAt: followUpExpiry(now),
  });

  const recordSafely = safeRecorder(deps.outbox, log);

  /** The consultation reminder to the accepted expert, with the organisation (and its contact, whom they may know since accepting). */
  async function remindExpert(outbox: MailOutbox, request: RequestRecord & { schedule: NonNullable<RequestRecord['schedule']> }, expert: ExpertRecord, eventKey: string, now: Date): Promise<boolean> {
    const language = languageOf(expert);
    return recordWithLinks(withLinks(outbox), { eventKey, recipient: expertRecipient(expert.id) }, [stopLink({ partyRole: 'expert', partyId: expert.id }, now)], ([stop]) => ({
      kind: 'consultation_reminder',
      requestId: request.id,
      to: expert.email,
      language,
      headers: listUnsubscribeHeaders(stop!),
      ...consultationReminderMail({
        title: request.title,
        schedule: request.schedule,
        reader: { name: expert.name, language, timeZone: timeZoneOf(expert) },
        other: { name: request.organization.name, person: request.contact?.name, email: request.contact?.email },
        stopReminders: stop!,
      }),
    }));
  }

  /** The consultation reminder to the organisation's contact, in the zone of the organisation's country, with the expert. */
  async function remindContact(outbox: MailOutbox, request: RequestRecord & { schedule: NonNullable<RequestRecord['schedule']> }, expert: ExpertRecord, eventKey: string, now: Date): Promise<boolean> {
    const contact = request.contact!;
    return recordWithLinks(withLinks(outbox), { eventKey, recipient: contactRecipient(request.id) }, [stopLink({ partyRole: 'contact', partyId: request.id }, now)], ([stop]) => ({
      kind: 'consultation_reminder',
      requestId: request.id,
      to: contact.email,
      language: contact.language,
      headers: listUnsubscribeHeaders(stop!),
      ...consultationReminderMail({
        title: request.title,
        schedule: request.schedule,
        reader: { name: contact.name, language: contact.language, timeZone: defaultTimeZone(request.organization.country) },
        other: { name: expert.name, email: expert.email },
        stopReminders: stop!,
      }),
    }));
  }

  return {
    /**
     * The invitation reminder job's work: "your invitation expires soon" to the expert, with new Accept and Decline
     * links (the invitation's own stay valid) and one that turns reminders off, once per invitation (a reopened
     * invitation is not reminded twice). Checked now, not when scheduled: an answer, an expiry, a request that moved
     * on or reminders turned off mean no mail.
     */
    async invitationReminder(invitationId: string, now = new Date()): Promise<InvitationReminderOutcome> {
      if (!deps.outbox) return 'mail_off';
      const invitation = await deps.findInvitation(invitationId);
      if (!invitation || effectiveInvitationStatus(invitation.status, invitation.expiresAt, now) !== 'pending') return 'not_pending';
      const [request, expert] = await Promise.all([deps.findRequest(invitation.requestId), deps.findExpert(invitation.expertId)]);
      if (request?.stage !== 'invited' || !expert) return 'not_pending';
      if (!wantsReminders(expert)) return 'reminders_off';
      const language = languageOf(expert);
      const party = { partyRole: 'expert' as const, partyId: expert.id };
      const answer = { ...party, subjectId: invitation.id, expiresAt: invitation.expiresAt };
      const links: LinkToIssue[] = [{ purpose: 'accept_invitation', ...answer }, { purpose: 'decline_invitation', ...answer }, stopLink(party, now)];
      const key = { eventKey: `invitation.reminder:${invitation.id}`, recipient: expertRecipient(expert.id) };
      const recorded = await recordWithLinks(withLinks(deps.outbox), key, links, ([accept, decline, stopReminders]) => ({
        kind: 'invitation_reminder',
        requestId: request.id,
        to: expert.email,
        language,
        headers: listUnsubscribeHeaders(stopReminders!),
        ...invitationReminderMail({
          invitation,
          request,
          expert: { name: expert.name, language, timeZone: timeZoneOf(expert) },
          links: { accept: accept!, decline: decline!, stopReminders: stopReminders! },
          now,
        }),
      }));
      return recorded ? 'recorded' : 'duplicate';
    },

    /**
     * The consultation reminder to the accepted expert and to the request's contact, each in their language and zone
     * (named) and each unless they turned reminders off; keyed by the schedule step like the `consultation.reminder`
     * event. The number of mails this call recorded.
     */
    async consultationReminder(request: RequestRecord, step: number, now = new Date()): Promise<number> {
      const { outbox } = deps;
      const { schedule, acceptedExpertId } = request;
      if (!outbox || !schedule || !acceptedExpertId) return 0;
      const expert = await deps.findExpert(acceptedExpertId);
      if (!expert) return 0;
      const eventKey = `consultation.reminder:${request.id}:h${step}`;
      const scheduled = { ...request, schedule };
      const sent = [
        wantsReminders(expert) && (await remindExpert(outbox, scheduled, expert, eventKey, now)),
        request.contact !== undefined && wantsReminders(request.contact) && (await remindContact(outbox, scheduled, expert, eventKey, now)),
      ];
      return sent.filter(Boolean).length;
    },

    /** After completion: the one-click rating (five links, 1 to 5) to the request's contact, if it has one. */
    consultationCompleted: (request: RequestRecord, now = new Date()) =>
      recordSafely('rating request', { requestId: request.id }, async (outbox) => {
        const { contact } = request;
        if (!contact || !request.acceptedExpertId) return;
        const expert = await deps.findExpert(request.acceptedExpertId);
        // An erased expert: there is nobody left to rate.
        if (!expert) return;
        const links = RATINGS.map((rating): LinkToIssue => ({
          purpose: 'rate',
          subjectId: request.id,
          partyRole: 'contact',
          partyId: request.id,
          choice: String(rating),
          expiresAt: followUpExpiry(now),
        }));
        const key = { eventKey: `consultation.completed:${request.id}`, recipient: contactRecipient(request.id) };
        await recordWithLinks(withLinks(outbox), key, links, (urls) => ({
          kind: 'rating_request',
          requestId: request.id,
          to: contact.email,
          language: contact.language,
          ...ratingRequestMail({ title: request.title, expert: expert.name, contact, links: urls }),
        }));
      }),

    /** The feedback the accepted expert received (rating and comment), keyed like the `request.closed` event. */
    feedbackGiven: (request: RequestRecord) =>
      recordSafely('feedback received', { requestId: request.id }, async (outbox) => {
        if (!request.feedback || !request.acceptedExpertId) return;
        const expert = await deps.findExpert(request.acceptedExpertId);
        if (!expert) return;
        const language = languageOf(expert);
        await outbox.record({
          eventKey: `request.closed:${request.id}`,
          recipient: expertRecipient(expert.id),
          kind: 'feedback_received',
          requestId: request.id,
          to: expert.email,
          language,
          ...feedbackReceivedMail({ title: request.title, organization: request.organization.name, expert: { name: expert.name, language }, feedback: request.feedback }),
        });
      }),
  };
}
