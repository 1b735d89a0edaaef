import type { components } from '../generated/openapi';
import type { InvitationRecord } from './invitation.repository';

export function presentInvitation(invitation: InvitationRecord): components['schemas']['Invitation'] {
  return {
    id: invitation.id,
    requestId: invitation.requestId,
    expertId: invitation.expertId,
    status: invitation.status,
    expiresAt: invitation.expiresAt.toISOString(),
    ...(invitation.respondedAt ? { respondedAt: invitation.respondedAt.toISOString() } : {}),
    ...(invitation.declineReason ? { declineReason: invitation.declineReason } : {}),
    createdAt: invitation.createdAt.toISOString(),
  };
}
