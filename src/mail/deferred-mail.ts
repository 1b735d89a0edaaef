import type { InvitationRecord } from '../invitations/invitation.repository';
import type { RequestRecord } from '../requests/request.repository';
import type { MailNotifications } from './mail-notifications';
import type { WithdrawalReason } from './mails/invitation-withdrawn.mail';

/** What a mail-record job carries: which mail, and ids (never an address, a name or a text). */
export type MailRecordJob =
  | { notification: 'received'; requestId: string }
  | { notification: 'invitationCreated'; invitationId: string }
  | { notification: 'invitationAccepted'; invitationId: string }
  | { notification: 'invitationWithdrawn'; invitationId: string; reason: WithdrawalReason }
  | { notification: 'requestUnmatched'; requestId: string; eventKey: string };

/** The mails the lifecycle's own changes cause (src/mail/mail-notifications.ts). */
export type LifecycleMail = Pick<MailNotifications, 'received' | 'invitationCreated' | 'invitationAccepted' | 'invitationWithdrawn' | 'requestUnmatched'>;

/** The id of the job that records one mail: the same mail asked for twice is one job (and one record by its key anyway). */
export const mailRecordJobId = (job: MailRecordJob): string => {
  switch (job.notification) {
    case 'received':
      return `mail-record:received:${job.requestId}`;
    case 'requestUnmatched':
      return `mail-record:unmatched:${job.eventKey}`;
    default:
      return `mail-record:${job.notification}:${job.invitationId}`;
  }
};

/**
 * The lifecycle's mails, rendered, recorded and sent off the request path: a change queues a mail-record job (ids
 * only) and answers; the job reads what the mail is about and records and sends it (mailRecordJob). When the job
 * cannot be queued (Redis down or slow), `inline` records the mail at once, as before, so none is lost; should the job
 * turn up after all, the mail's key (event, recipient) stores it once.
 */
export function deferLifecycleMail(deps: { schedule: (job: MailRecordJob) => Promise<boolean>; inline: LifecycleMail }): LifecycleMail {
  const { inline } = deps;
  const deferOr = async (job: MailRecordJob, now: () => Promise<void>) => {
    if (!(await deps.schedule(job))) await now();
  };
  return {
    received: (request, at) => deferOr({ notification: 'received', requestId: request.id }, () => inline.received(request, at)),
    invitationCreated: (invitation, request) =>
      deferOr({ notification: 'invitationCreated', invitationId: invitation.id }, () => inline.invitationCreated(invitation, request)),
    invitationAccepted: (invitation, request) =>
      deferOr({ notification: 'invitationAccepted', invitationId: invitation.id }, () => inline.invitationAccepted(invitation, request)),
    invitationWithdrawn: (invitation, request, reason) =>
      deferOr({ notification: 'invitationWithdrawn', invitationId: invitation.id, reason }, () => inline.invitationWithdrawn(invitation, request, reason)),
    requestUnmatched: (request, eventKey) =>
      deferOr({ notification: 'requestUnmatched', requestId: request.id, eventKey }, () => inline.requestUnmatched(request, eventKey)),
  };
}

/**
 * The mail-record job's body: reads the request (and invitation) by id and records the mail with `mail`, whose
 * outbox sends at once (recordAndSend). What was erased or removed meanwhile gets no mail. Never throws: like
 * recording on the request path, a failure is logged by the notifications and the change it reports stands.
 */
export function mailRecordJob(deps: {
  mail: LifecycleMail;
  findRequest: (id: string) => Promise<RequestRecord | undefined>;
  findInvitation: (id: string) => Promise<InvitationRecord | undefined>;
}) {
  const withInvitation = async (invitationId: string, record: (invitation: InvitationRecord, request: RequestRecord) => Promise<void>) => {
    const invitation = await deps.findInvitation(invitationId);
    const request = invitation && (await deps.findRequest(invitation.requestId));
    if (!invitation || !request) return 'gone';
    await record(invitation, request);
    return 'recorded';
  };
  return async (job: MailRecordJob): Promise<'recorded' | 'gone'> => {
    switch (job.notification) {
      case 'received':
      case 'requestUnmatched': {
        const request = await deps.findRequest(job.requestId);
        if (!request) return 'gone';
        await (job.notification === 'received' ? deps.mail.received(request) : deps.mail.requestUnmatched(request, job.eventKey));
        return 'recorded';
      }
      case 'invitationCreated':
        return withInvitation(job.invitationId, deps.mail.invitationCreated);
      case 'invitationAccepted':
        return withInvitation(job.invitationId, deps.mail.invitationAccepted);
      case 'invitationWithdrawn':
        return withInvitation(job.invitationId, (invitation, request) => deps.mail.invitationWithdrawn(invitation, request, job.reason));
    }
  };
}
