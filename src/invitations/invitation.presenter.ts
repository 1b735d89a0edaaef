import type { components } from '../generated/openapi';
import { effectiveInvitationStatus } from '../domain/invitations';
import type { InvitationRecord } from './invitation.repository';

/** The invitation as of `now`: past its expiry it shows `expired` even before the expiry job has stored it. */
export function presentInvitation(invitation: InvitationRecord, now = new Date()): components['schemas']['Invitation'] {
  return {
    id: invitation.id,
    requestId: invitation.requestId,
    expertId: invitation.expertId,
    status: effectiveInvitationStatus(invitation.status, invitation.expiresAt, now),
    expiresAt: invitation.expiresAt.toISOString(),
    ...(invitation.respondedAt ? { respondedAt: invitation.respondedAt.toISOString() } : {}),
    ...(invitation.declineReason ? { declineReason: invitation.declineReason } : {}),
    createdAt: invitation.createdAt.toISOString(),
  };
}
