import type { ExpertRecord } from '../experts/expert.repository';
import { languageOf, timeZoneOf } from '../experts/expert.presenter';
import type { Logger } from '../logger';
import type { RequestRecord } from '../requests/request.repository';
import type { IssueLinks, LinkToIssue } from '../links/action-tokens';
import type { MailOutbox } from './mail-outbox';
import { invitationMail } from './mails/invitation.mail';
import { requestReceivedMail } from './mails/request-received.mail';
import { invitationAcceptedMail } from './mails/invitation-accepted.mail';
import { invitationWithdrawnMail, type WithdrawalReason } from './mails/invitation-withdrawn.mail';
import { requestUnmatchedMail } from './mails/request-unmatched.mail';
import type { ExclusionSummary, MatchReason } from '../domain/matching';
import { recordWithLinks, safeRecorder } from './recording';
import { LINK_TTL_MS } from '../domain/action-links';

export const contactRecipient = (requestId: string): string => `contact:${requestId}`;
export const expertRecipient = (expertId: string): string => `expert:${expertId}`;

export type MailNotifications = ReturnType<typeof createMailNotifications>;

/** The contact's status-page link (`view_request`), 30 days from `now`: the received mail's, and a fresh one in later mails to the contact. */
export const statusLinkFor = (requestId: string, now: Date): LinkToIssue => ({
  purpose: 'view_request',
  subjectId: requestId,
  partyRole: 'contact',
  partyId: requestId,
  expiresAt: new Date(now.getTime() + LINK_TTL_MS),
});

/**
 * Which mails the lifecycle's changes cause, rendered in each recipient's language and recorded in the outbox (by a
 * mail-record job off the request path, src/mail/deferred-mail.ts, or by the change itself when that job cannot be
 * queued). Recording never fails the change that causes it (it is logged; the change already happened), while
 * erasure does fail loudly: a copy of personal data must not be left behind silently. Without an outbox (`MAIL=off`)
 * nothing is recorded.
 */
export function createMailNotifications(deps: {
  outbox: MailOutbox | undefined;
  logger: Logger;
  settings: { ttlSeconds: number; maxInvitations: number };
  findExpert: (id: string) => Promise<ExpertRecord | undefined>;
  reasonsFor: (request: RequestRecord, expertId: string) => MatchReason[];
  /** What kept the best-scoring experts not yet invited from the request (the matching engine's exclusions). */
  whatWouldHelp: (request: RequestRecord) => ExclusionSummary;
  /** Makes one-click links; `dropLinks` deletes tokens whose mail was not recorded (nobody holds them). */
  issueLinks: IssueLinks;
  dropLinks: (tokenIds: readonly string[]) => Promise<void>;
}) {
  const log = deps.logger.child({ component: 'mail' });

  const recordSafely = safeRecorder(deps.outbox, log);

  return {
    /** "Request received" to the request's contact, if it has one, with the link to the request's status page. */
    received: (request: RequestRecord, now = new Date()) =>
      recordSafely('request received', { requestId: request.id }, async (outbox) => {
        const { contact } = request;
        if (!contact) return;
        await recordWithLinks(
          { outbox, issueLinks: deps.issueLinks, dropLinks: deps.dropLinks },
          { eventKey: `request.received:${request.id}`, recipient: contactRecipient(request.id) },
          [statusLinkFor(request.id, now)],
          ([statusLink]) => ({
            kind: 'request_received',
            requestId: request.id,
            to: contact.email,
            language: contact.language,
            ...requestReceivedMail(request, contact, deps.settings, statusLink),
          }),
        );
      }),

    /** The invitation, to the invited expert (keyed like the `invitation.created` event). */
    invitationCreated: (invitation: { id: string; expertId: string; expiresAt: Date; createdAt: Date }, request: RequestRecord) =>
      recordSafely('invitation', { invitationId: invitation.id }, async (outbox) => {
        const expert = await deps.findExpert(invitation.expertId);
        if (!expert) return;
        const language = languageOf(expert);
        const party = { partyRole: 'expert' as const, partyId: expert.id, subjectId: invitation.id, expiresAt: invitation.expiresAt };
        const issued = await deps.issueLinks([
          { purpose: 'accept_invitation', ...party },
          { purpose: 'decline_invitation', ...party },
        ]);
        let recorded = false;
        try {
          recorded = await outbox.record({
            eventKey: `invitation.created:${invitation.id}`,
            recipient: expertRecipient(expert.id),
            kind: 'invitation',
            requestId: request.id,
            to: expert.email,
            language,
            ...invitationMail({
              invitation,
              request,
              expert: { name: expert.name, language, timeZone: timeZoneOf(expert) },
              reasons: deps.reasonsFor(request, expert.id),
              links: { accept: issued.urls[0]!, decline: issued.urls[1]! },
            }),
          });
        } finally {
          // Recorded before (a job run twice): the links in the stored mail stay the ones that work.
          if (!recorded) await deps.dropLinks(issued.tokenIds);
        }
      }),

    /**
     * "An expert accepted", to the request's contact (keyed like the `invitation.accepted` event): the expert's name,
     * headline, languages and e-mail, which the organisation learns only now.
     */
    invitationAccepted: (invitation: { id: string; expertId: string }, request: RequestRecord, now = new Date()) =>
      recordSafely('invitation accepted', { invitationId: invitation.id }, async (outbox) => {
        const { contact } = request;
        if (!contact) return;
        const expert = await deps.findExpert(invitation.expertId);
        if (!expert) return;
        await recordWithLinks(
          { outbox, issueLinks: deps.issueLinks, dropLinks: deps.dropLinks },
          { eventKey: `invitation.accepted:${invitation.id}`, recipient: contactRecipient(request.id) },
          [statusLinkFor(request.id, now)],
          ([statusLink]) => ({
            kind: 'invitation_accepted',
            requestId: request.id,
            to: contact.email,
            language: contact.language,
            ...invitationAcceptedMail(request, contact, { name: expert.name, headline: expert.headline, languages: expert.languages, email: expert.email }, statusLink),
          }),
        );
      }),

    /** "No longer needed", to an expert whose pending invitation was withdrawn because another accepted or the request was cancelled. */
    invitationWithdrawn: (invitation: { id: string; expertId: string }, request: RequestRecord, reason: WithdrawalReason) =>
      recordSafely('invitation withdrawn', { invitationId: invitation.id }, async (outbox) => {
        const expert = await deps.findExpert(invitation.expertId);
        if (!expert) return;
        const language = languageOf(expert);
        await outbox.record({
          eventKey: `invitation.withdrawn:${invitation.id}`,
          recipient: expertRecipient(expert.id),
          kind: 'invitation_withdrawn',
          requestId: request.id,
          to: expert.email,
          language,
          ...invitationWithdrawnMail(request, { name: expert.name, language }, reason),
        });
      }),

    /** "No expert found", to the request's contact, keyed like the `request.unmatched` event it goes with (`eventKey`). */
    requestUnmatched: (request: RequestRecord, eventKey: string) =>
      recordSafely('request unmatched', { requestId: request.id }, async (outbox) => {
        if (!request.contact) return;
        await outbox.record({
          eventKey,
          recipient: contactRecipient(request.id),
          kind: 'request_unmatched',
          requestId: request.id,
          to: request.contact.email,
          language: request.contact.language,
          ...requestUnmatchedMail(request, request.contact, deps.whatWouldHelp(request)),
        });
      }),

    contactErased: async (requestId: string) => void (await deps.outbox?.eraseRecipient(contactRecipient(requestId))),
    expertErased: async (expertId: string) => void (await deps.outbox?.eraseRecipient(expertRecipient(expertId))),
    mailsToExpert: async (expertId: string) => (deps.outbox ? deps.outbox.listFor(expertRecipient(expertId)) : []),
  };
}
