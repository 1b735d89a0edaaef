import type { Party } from '../domain/lifecycle';
import type { Actor } from '../domain/stages';
import type { Principal } from '../http/principal';
import type { RequestRecord } from '../requests/request.repository';

export const SYSTEM: Actor = { role: 'system' };

/** The part a caller plays in a request's lifecycle; undefined when the request is none of their business. */
export function partyOf(principal: Principal, request: RequestRecord): Party | undefined {
  if (principal.role === 'admin') return 'admin';
  if ((principal.role === 'partner' || principal.role === 'requester') && request.ownerId === principal.ownerId) return 'owner';
  if (principal.role === 'expert' && principal.expertId) {
    if (request.acceptedExpertId === principal.expertId) return 'accepted_expert';
    if (request.invitedExpertIds.includes(principal.expertId)) return 'invited_expert';
  }
  return undefined;
}
