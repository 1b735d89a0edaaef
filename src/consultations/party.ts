import type { Party } from '../domain/lifecycle';
import { effectiveInvitationStatus } from '../domain/invitations';
import type { Actor } from '../domain/stages';
import type { Principal } from '../http/principal';
import { invitationRepository } from '../invitations/invitation.repository';
import type { RequestRecord } from '../requests/request.repository';

export const SYSTEM: Actor = { role: 'system' };

/**
 * The part a caller plays in a request's lifecycle; undefined when the request is none of their business. An expert
 * counts as `invited_expert` only while `pendingInvitee` (their invitation is pending and not past expiry): after
 * declining, being withdrawn or letting it expire they are nobody to the request (OWASP API1/API3: access follows the
 * current relationship, not a past one).
 */
export function partyOf(principal: Principal, request: RequestRecord, pendingInvitee: boolean): Party | undefined {
  if (principal.role === 'admin') return 'admin';
  if ((principal.role === 'partner' || principal.role === 'requester') && request.ownerId === principal.ownerId) return 'owner';
  if (principal.role === 'expert' && principal.expertId) {
    if (request.acceptedExpertId === principal.expertId) return 'accepted_expert';
    if (pendingInvitee) return 'invited_expert';
  }
  return undefined;
}

/**
 * Whether the calling expert holds a pending, unexpired invitation to the request at `now`. Reads the request's own
 * invitations by `_id` (a handful; never a scan), and only for an expert who was ever invited and is not the accepted one.
 */
export async function holdsPendingInvitation(principal: Principal, request: RequestRecord, now = new Date()): Promise<boolean> {
  const expertId = principal.role === 'expert' ? principal.expertId : undefined;
  if (!expertId || request.acceptedExpertId === expertId || !request.invitedExpertIds.includes(expertId)) return false;
  const invitations = await invitationRepository.findByIds(request.invitationIds);
  return invitations.some((invitation) => invitation.expertId === expertId && effectiveInvitationStatus(invitation.status, invitation.expiresAt, now) === 'pending');
}

/** partyOf with the caller's invitation looked up. */
export async function resolveParty(principal: Principal, request: RequestRecord, now = new Date()): Promise<Party | undefined> {
  return partyOf(principal, request, await holdsPendingInvitation(principal, request, now));
}
