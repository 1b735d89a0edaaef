import { invitationLinkState, type ActionPurpose, type LinkState } from '../domain/action-links';
import { AppError } from '../errors';
import { expertRepository, type ExpertRecord } from '../experts/expert.repository';
import type { Principal } from '../http/principal';
import { invitationRepository, type InvitationRecord } from '../invitations/invitation.repository';
import type { InvitationService } from '../invitations/invitation.service';
import { requestRepository, type RequestRecord } from '../requests/request.repository';
import { actionTokenRepository, type ActionTokenRecord } from './action-token.repository';
import { hashToken, TOKEN_SHAPE } from './action-tokens';

/** What a link is about and what it can do now; `unknown` for a token that is malformed, tampered, never issued or erased. */
export type LinkView =
  | { state: 'unknown' }
  | { state: LinkState; purpose: ActionPurpose; token: ActionTokenRecord; invitation: InvitationRecord; request: RequestRecord; expert: ExpertRecord };

/** What a POST did: the action, or why it did nothing (`unavailable`: the service refused although the link was ready). */
export type LinkOutcome =
  | { done: true; view: Extract<LinkView, { token: ActionTokenRecord }>; invitation: InvitationRecord }
  | { done: false; view: LinkView | (Omit<Extract<LinkView, { token: ActionTokenRecord }>, 'state'> & { state: 'unavailable' }) };

export type ActionLinkService = ReturnType<typeof createActionLinkService>;

/**
 * The one-click links behind `/a/{token}` (issue 10 item 4). `inspect` only reads (GET shows); `act` performs the
 * link's action through the same service call the API makes, as the expert the link stands for (POST acts).
 */
export function createActionLinkService(deps: { invitations: Pick<InvitationService, 'accept' | 'decline'> }) {
  async function inspect(raw: string, now = new Date()): Promise<LinkView> {
    if (!TOKEN_SHAPE.test(raw)) return { state: 'unknown' };
    const token = await actionTokenRepository.findById(hashToken(raw));
    if (!token) return { state: 'unknown' };
    const invitation = await invitationRepository.findById(token.subjectId);
    const [request, expert] = invitation ? await Promise.all([requestRepository.findById(invitation.requestId), expertRepository.findById(token.partyId)]) : [];
    if (!invitation || !request || !expert || invitation.expertId !== token.partyId) return { state: 'unknown' };
    return { state: invitationLinkState({ token, invitation, request }, now), purpose: token.purpose, token, invitation, request, expert };
  }

  /** The expert the link stands for, as the API would see their own key; the key id names the link, never the token. */
  const principalFor = (token: ActionTokenRecord): Principal => ({ role: 'expert', keyId: `link:${token.id.slice(0, 12)}`, ownerId: token.partyId, expertId: token.partyId });

  return {
    inspect,

    /**
     * Performs the link's action once. The token is marked used first, as the single writer of its revision
     * (src/infra/claims.ts), so of concurrent POSTs exactly one acts and the others answer `used`. When the action then
     * fails, the token is given back (whether the invitation can still be answered is decided at the next use); an
     * unexpected error is rethrown after that.
     */
    async act(raw: string, input: { reason?: string }, now = new Date()): Promise<LinkOutcome> {
      const view = await inspect(raw, now);
      if (view.state !== 'ready' || !('token' in view)) return { done: false, view };
      const used = await actionTokenRepository.markUsed(view.token, now);
      // Another request holds the token's revision: it is using the link right now (its write may not be visible yet).
      if (!used) return { done: false, view: { ...view, state: 'used' } };
      try {
        const principal = principalFor(view.token);
        const invitation =
          view.purpose === 'accept_invitation'
            ? await deps.invitations.accept(principal, view.invitation.id, now)
            : await deps.invitations.decline(principal, view.invitation.id, input.reason, now);
        return { done: true, view: { ...view, token: used }, invitation };
      } catch (error) {
        await actionTokenRepository.markUnused(used);
        if (!(error instanceof AppError && error.code === 'conflict')) throw error;
        const after = await inspect(raw, now);
        return { done: false, view: after.state === 'ready' && 'token' in after ? { ...after, state: 'unavailable' } : after };
      }
    },
  };
}
