import { createHash } from 'node:crypto';
import { Types } from 'mongoose';
import { emailLookupKey } from '../experts/email-address';
import type { Principal } from '../http/principal';
import type { IssueLinks } from '../links/action-tokens';
import { contactRecipient } from '../mail/mail-notifications';
import type { MailOutbox } from '../mail/mail-outbox';
import { requestConfirmationMail } from '../mail/mails/request-confirmation.mail';
import { requestDraftRepository, type RequestDraft } from './request-draft.repository';
import type { RequestRecord } from './request.repository';
import type { RequestInput } from './request.schemas';
import { resolveContact, type RequestService } from './request.service';

/** How long a confirmation link of the hosted form works; an unconfirmed draft is deleted after it. */
export const DRAFT_TTL_MS = 24 * 60 * 60 * 1000;

/** A request from the hosted form, which always names its contact. */
export type HostedRequestInput = RequestInput & { contact: NonNullable<RequestInput['contact']> };

/**
 * The owner of requests filed through the hosted form: one per contact address (compared as emailLookupKey does), so
 * the open-request cap of requesters counts per organisation's address, and the id names no person.
 */
export const hostedOwnerId = (email: string): string => `hosted:${createHash('sha256').update(emailLookupKey(email)).digest('hex').slice(0, 24)}`;

/**
 * Who files a confirmed draft: the address's own owner (a requester), or for the embedded form the partner (a
 * partner, so its webhooks fire and the partners' open-request cap applies).
 */
const draftPrincipal = (draft: RequestDraft): Principal =>
  draft.ownerRole === 'partner' ? { role: 'partner', keyId: 'embed-form', ownerId: draft.ownerId } : { role: 'requester', keyId: 'hosted-form', ownerId: draft.ownerId };

const isDuplicateKey = (error: unknown): boolean => (error as { code?: unknown }).code === 11000;

export type HostedRequests = ReturnType<typeof createHostedRequests>;

/**
 * Submits a draft of the hosted form as its request (same id), as the API would for a requester key, so matching runs
 * as for any request: the POST of its confirmation link. A confirmation repeated after a crash between the two writes
 * finds the request filed and only removes the draft. AppError `too_many_open_requests` when the address's cap is full.
 */
export async function confirmDraft(requests: Pick<RequestService, 'submit' | 'get'>, draft: RequestDraft, now = new Date()): Promise<RequestRecord> {
  const principal = draftPrincipal(draft);
  let request: RequestRecord;
  try {
    request = await requests.submit(principal, draft.input, now, draft.id);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    request = await requests.get(principal, draft.id);
  }
  await requestDraftRepository.delete(draft.id);
  return request;
}

/**
 * Requests filed by people through the hosted form (issue 11 item 2), with double opt-in: `file` keeps a draft and
 * mails its contact a confirmation link (confirmDraft does the rest). Needs the mail outbox: without mail
 * (`MAIL=off`) nobody could confirm, and the form is not offered.
 */
export function createHostedRequests(deps: {
  outbox: MailOutbox;
  issueLinks: IssueLinks;
  dropLinks: (tokenIds: readonly string[]) => Promise<void>;
}) {
  return {
    /**
     * Keeps the draft (its id is the request's to be) and records the confirmation mail with its link. With
     * `partnerOwnerId` (the embedded form), the request will belong to that partner rather than to the address.
     */
    async file(input: HostedRequestInput, options: { partnerOwnerId?: string } = {}, now = new Date()): Promise<void> {
      const id = new Types.ObjectId().toHexString();
      const expiresAt = new Date(now.getTime() + DRAFT_TTL_MS);
      const owner = options.partnerOwnerId ? { ownerId: options.partnerOwnerId, ownerRole: 'partner' as const } : { ownerId: hostedOwnerId(input.contact.email) };
      await requestDraftRepository.insert({ id, input, ...owner, expiresAt });
      const contact = resolveContact(input.contact, input.languages);
      const issued = await deps.issueLinks([{ purpose: 'confirm_request', subjectId: id, partyRole: 'contact', partyId: id, expiresAt }]);
      try {
        await deps.outbox.record({
          eventKey: `request.draft:${id}`,
          recipient: contactRecipient(id),
          kind: 'request_confirmation',
          requestId: id,
          to: contact.email,
          language: contact.language,
          ...requestConfirmationMail(input, contact, issued.urls[0]!),
        });
      } catch (error) {
        await deps.dropLinks(issued.tokenIds);
        await requestDraftRepository.delete(id);
        throw error;
      }
    },
  };
}

