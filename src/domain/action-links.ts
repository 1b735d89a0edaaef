import { effectiveInvitationStatus, type InvitationStatus } from './invitations';
import { pickState, type Proposal } from './proposals';
import type { HistoryEntry, Stage } from './stages';

/**
 * What a one-click link may do. Each purpose names its subject (an invitation for the two answers, the request for a
 * slot pick or a rating, the person for `stop_reminders`) and the party the link acts for: an expert, or a request's
 * contact (the organisation, acting as the request's owner). `confirm_request`: the contact of a request filed
 * through the hosted form confirms it (double opt-in). `view_request`: the request's contact opens its status page
 * (`/r/{token}`, issue 11 item 3), whose buttons act as the request's owner. `sign_in`: an expert signs in to the
 * hosted pages (issue 11 item 7). `confirm_expert`: a person who signed up at `/experts/join` confirms their address,
 * which creates the profile (subject and party: the sign-up draft, whose id the expert takes).
 */
export const ACTION_PURPOSES = ['accept_invitation', 'decline_invitation', 'confirm_request', 'pick_slot', 'rate', 'stop_reminders', 'view_request', 'sign_in', 'confirm_expert'] as const;
export type ActionPurpose = (typeof ACTION_PURPOSES)[number];

/** The purposes of `/a/{token}` links (one confirmation page, one button); `view_request` opens the status page instead. */
export type ButtonPurpose = Exclude<ActionPurpose, 'view_request'>;

/** Whom a link acts for: an expert (party id: the expert's id) or a request's contact (party id: the request's id). */
export const PARTY_ROLES = ['expert', 'contact'] as const;
export type PartyRole = (typeof PARTY_ROLES)[number];

/** Purposes that change state: their links work once (ARCHITECTURE.md "Reaching people"). */
export const SINGLE_USE_PURPOSES: ReadonlySet<ActionPurpose> = new Set(['accept_invitation', 'decline_invitation', 'confirm_request', 'pick_slot', 'rate', 'sign_in', 'confirm_expert']);

/** How long a sign-in link to the hosted pages works (issue 11 item 7). */
export const SIGN_IN_LINK_TTL_MS = 15 * 60 * 1000;

/**
 * The checks every link starts with (pure): a single-use link that was used is `used`, one past its own expiry is
 * `expired`; undefined when neither holds and the purpose's own rule decides.
 */
export function tokenState(token: { usedAt?: Date; expiresAt: Date }, now: Date): 'used' | 'expired' | undefined {
  if (token.usedAt) return 'used';
  if (token.expiresAt.getTime() <= now.getTime()) return 'expired';
  return undefined;
}

/**
 * What a link can do now. `ready`: the action is still possible. `used`: a single-use link already did it.
 * `expired`: past the link's or the invitation's expiry. `answered`: the expert answered the invitation another way
 * (the API, the other link). `taken`: another expert accepted the request. `closed`: the request no longer needs an
 * answer (cancelled, or the invitation was withdrawn for any other reason).
 */
export type LinkState = 'ready' | 'used' | 'expired' | 'answered' | 'taken' | 'closed';

export interface LinkFacts {
  token: { usedAt?: Date; expiresAt: Date };
  invitation: { status: InvitationStatus; expiresAt: Date; expertId: string };
  request: { stage: Stage; acceptedExpertId?: string };
}

/**
 * The state of an invitation link at `now` (pure). A token dies when the state it was issued for changes (Django's
 * password-reset tokens): it is `ready` only while its invitation is pending and unexpired and its request still
 * waits for an answer. Checked in this order: used, expired, then how the invitation or request moved on.
 */
export function invitationLinkState(facts: LinkFacts, now: Date): LinkState {
  const { token, invitation, request } = facts;
  const status = effectiveInvitationStatus(invitation.status, invitation.expiresAt, now);
  const gate = tokenState(token, now) ?? (status === 'expired' ? 'expired' : undefined);
  if (gate) return gate;
  if (status === 'accepted' || status === 'declined') return 'answered';
  if (request.acceptedExpertId && request.acceptedExpertId !== invitation.expertId) return 'taken';
  if (status === 'pending' && request.stage === 'invited') return 'ready';
  return 'closed';
}

/** How long a link lives when its subject sets no expiry of its own (issue 10 item 4). */
export const LINK_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** A slot's pick link expires when the slot begins, or after LINK_TTL_MS if that comes first. */
export const slotLinkExpiry = (slot: { startsAt: Date }, now: Date): Date => new Date(Math.min(slot.startsAt.getTime(), now.getTime() + LINK_TTL_MS));

/**
 * The state of a slot-pick link at `now` (pure; subject: the request, choice: the slot id). After the token's own
 * checks it follows pickState: a pick already made (through the API or another link) is `answered`; a slot that has
 * begun is `expired`; a proposal replaced, retired by another step, or a request no longer waiting for a time is
 * `closed`.
 */
export function slotLinkState(token: { usedAt?: Date; expiresAt: Date; choice?: string }, request: { stage: Stage; history: readonly HistoryEntry[]; proposal?: Proposal }, now: Date): LinkState {
  const gate = tokenState(token, now);
  if (gate) return gate;
  const state = pickState(request, token.choice ?? '', now);
  if (state === 'ready') return 'ready';
  if (state === 'picked') return 'answered';
  if (state === 'begun') return 'expired';
  return 'closed';
}

/**
 * The state of a rating link (purpose `rate`, one of five on a completed request) at `now` (pure): `ready` only while
 * the request is `completed`. Once feedback is given (through any of the five links or the API) the request is
 * `closed` and every rating link of it is `closed` too; the link that gave it is `used`.
 */
export function ratingLinkState(facts: { token: { usedAt?: Date; expiresAt: Date }; request: { stage: Stage } }, now: Date): LinkState {
  return tokenState(facts.token, now) ?? (facts.request.stage === 'completed' ? 'ready' : 'closed');
}

/**
 * The state of a link that turns reminders off (pure): `ready` until the link expires. Not single-use: turning
 * reminders off twice is harmless, and a mail provider's one-click POST (RFC 8058) may come more than once.
 */
export const stopRemindersLinkState = (token: { usedAt?: Date; expiresAt: Date }, now: Date): LinkState => tokenState(token, now) ?? 'ready';

/**
 * The state of a status-page link (purpose `view_request`) at `now` (pure): `ready` until the link expires
 * (LINK_TTL_MS after the mail that carried it). Not single-use: a person opens their status page many times, and
 * each button on it is checked by the service it calls, not by the link. A request whose contact was erased has no
 * such links left (they are deleted with the contact).
 */
export const statusLinkState = (token: { usedAt?: Date; expiresAt: Date }, now: Date): LinkState => tokenState(token, now) ?? 'ready';
