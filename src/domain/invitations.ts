/** The states of an invitation; `pending` is the only one that can still change by an answer. */
export const INVITATION_STATUSES = ['pending', 'accepted', 'declined', 'expired', 'withdrawn'] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

/**
 * An invitation's status at `now`: a `pending` one whose `expiresAt` is at or before `now` is `expired`, whether or
 * not the expiry job has stored that yet (the job only tidies up: it stores the state, frees the slot, emits the
 * event). Every read and every write decides with this, so a backlog of jobs never makes an expired invitation
 * answerable or shows it as pending.
 */
export function effectiveInvitationStatus(stored: InvitationStatus, expiresAt: Date, now: Date): InvitationStatus {
  return stored === 'pending' && expiresAt.getTime() <= now.getTime() ? 'expired' : stored;
}
