import { effectiveInvitationStatus } from '../domain/invitations';
import type { InvalidationBus } from '../infra/invalidation-bus';
import { createListIndex, type IndexEntry } from '../infra/list-index';
import type { Logger } from '../logger';
import { invitationRepository, type InvitationRecord, type InvitationStatus } from './invitation.repository';

/** What the invitation index keeps of an invitation: `group` is its expert. */
export interface InvitationIndexEntry extends IndexEntry {
  status: InvitationStatus;
  expiresAt: Date;
}

export type InvitationIndex = ReturnType<typeof createInvitationIndex>;

export const invitationEntryOf = (invitation: Pick<InvitationRecord, 'id' | 'expertId' | 'status' | 'expiresAt' | 'revision'>): InvitationIndexEntry => ({
  id: invitation.id,
  group: invitation.expertId,
  status: invitation.status,
  expiresAt: invitation.expiresAt,
  revision: invitation.revision,
});

/** Whether an invitation is in a list of `status` (every status when undefined) as of `now` (effectiveInvitationStatus). */
export const inInvitationList = (status: InvitationStatus | undefined, now: Date) => (entry: InvitationIndexEntry): boolean =>
  !status || effectiveInvitationStatus(entry.status, entry.expiresAt, now) === status;

/** Which invitations GET /v1/invitations pages through, per expert, with status and expiry (see createListIndex). */
export const createInvitationIndex = (deps: { bus: InvalidationBus; logger: Logger }) =>
  createListIndex<InvitationIndexEntry, InvitationRecord>({
    topic: 'invitation-changed',
    ...deps,
    // Tests and tools still write invitations through invitationRepository directly: each page reads them by `_id`.
    keepDocuments: false,
    entryOf: invitationEntryOf,
    load: (id) => invitationRepository.findById(id),
    all: async function* () {
      for await (const invitation of invitationRepository.indexed()) yield invitationEntryOf(invitation);
    },
  });
