import { Types } from 'mongoose';
import { historyEntry, transition, type Party } from '../domain/lifecycle';
import type { Actor } from '../domain/stages';
import { AppError, notFound } from '../errors';
import type { EmitEvent } from '../events';
import type { ExpertRecord } from '../experts/expert.repository';
import type { Workloads } from '../consultations/expert-workload';
import type { ExpertWorkload } from '../experts/expert.repository';
import type { Principal } from '../http/principal';
import type { Scheduler } from '../jobs/scheduler';
import type { MatchingService } from '../matching/matching.service';
import { localiseExclusions } from '../matching/reason-messages';
import type { RequestRecord, RequestStore, StageChange } from '../requests/request.repository';
import { actorOf } from '../requests/request.service';
import { resolveParty, SYSTEM } from '../consultations/party';
import { effectiveInvitationStatus } from '../domain/invitations';
import { readPage } from '../infra/list-index';
import { inInvitationList, invitationEntryOf, type InvitationIndex } from './invitation-index';
import type { InvitationRecord, InvitationStatus, InvitationStore } from './invitation.repository';
import { isDuplicateKeyError } from '../infra/database';
import type { WithdrawalReason } from '../mail/mails/invitation-withdrawn.mail';

export interface InvitationSettings {
  autoInvite: boolean;
  maxInvitations: number;
  ttlSeconds: number;
}

export type InvitationService = ReturnType<typeof createInvitationService>;

/** An accept takes milliseconds; one still unfinished after this long died midway (claims go stale after 30 s). */
export const ACCEPT_IN_FLIGHT_MS = 2 * 60 * 1000;
/** Likewise for an invitation whose id is on its request but whose document was never written. */
const INVITE_IN_FLIGHT_MS = 60 * 1000;


export function createInvitationService(deps: {
  /** Every read and write of requests (writes keep the request index current). */
  store: RequestStore;
  /** Every read and write of invitations (writes keep the invitation index current). */
  invitationStore: InvitationStore;
  index: InvitationIndex;
  settings: InvitationSettings;
  matching: MatchingService;
  scheduler: Scheduler;
  emit: EmitEvent;
  expertChanged: (expert: ExpertRecord) => void | Promise<void>;
  workloads: Workloads;
  /** Records the mails these changes cause; never fails. */
  mail: {
    invitationCreated(invitation: InvitationRecord, request: RequestRecord): Promise<void>;
    invitationAccepted(invitation: InvitationRecord, request: RequestRecord): Promise<void>;
    invitationWithdrawn(invitation: InvitationRecord, request: RequestRecord, reason: WithdrawalReason): Promise<void>;
    requestUnmatched(request: RequestRecord, eventKey: string): Promise<void>;
  };
}) {
  const { settings } = deps;

  /** Changes the expert's workload and updates the directory and the matching index. */
  async function touch(expertId: string, delta: Partial<ExpertWorkload>) {
    const expert = await deps.workloads.change(expertId, delta);
    if (expert) await deps.expertChanged(expert);
  }

  const statusAt = (invitation: InvitationRecord, now: Date) => effectiveInvitationStatus(invitation.status, invitation.expiresAt, now);

  /** The request's invitations still stored as pending (some may be past expiry): read by id from the request's own list (no scan). */
  async function storedPendingOf(request: RequestRecord): Promise<InvitationRecord[]> {
    const invitations = await deps.invitationStore.findByIds(request.invitationIds);
    return invitations.filter((invitation) => invitation.status === 'pending');
  }

  /**
   * Whether the request still waits on an answer: a pending invitation, an accept in flight (its invitation is
   * `accepted` while the request is still `invited`), or an invitation being written (its id is on the request, the
   * document not yet stored; ids carry their creation time). Moving on meanwhile would strand or discard it.
   */
  async function awaitingAnswer(request: RequestRecord, now: Date): Promise<boolean> {
    const invitations = await deps.invitationStore.findByIds(request.invitationIds);
    const stored = new Set(invitations.map((invitation) => invitation.id));
    const beingWritten = request.invitationIds.some((id) => !stored.has(id) && now.getTime() - new Types.ObjectId(id).getTimestamp().getTime() < INVITE_IN_FLIGHT_MS);
    return beingWritten || invitations.some((invitation) => statusAt(invitation, now) === 'pending' || (invitation.status === 'accepted' && request.stage === 'invited'));
  }

  /**
   * The expiry job's own writes for an invitation past its expiry: stores `expired`, frees the expert's pending slot,
   * emits `invitation.expired` (stored once per invitation). Undefined when it is not past expiry or no longer pending.
   */
  async function lapse(id: string, now: Date): Promise<InvitationRecord | undefined> {
    const expired = await deps.invitationStore.closePending(id, 'expired', now);
    if (!expired) return undefined;
    await touch(expired.expertId, { pendingInvitations: -1 });
    await emitInvitation('invitation.expired', expired);
    return expired;
  }

  /**
   * Withdraws the request's pending invitations, telling each expert why (`reason`). An invitation past its expiry is
   * expired, not withdrawn: it lapses instead.
   */
  async function withdrawAllPending(request: RequestRecord, reason: WithdrawalReason, now: Date): Promise<void> {
    for (const invitation of await storedPendingOf(request)) {
      const withdrawn = await deps.invitationStore.closePending(invitation.id, 'withdrawn', now);
      if (withdrawn) {
        await touch(invitation.expertId, { pendingInvitations: -1 });
        await deps.mail.invitationWithdrawn(withdrawn, request, reason);
      } else await lapse(invitation.id, now);
    }
  }

  const emitInvitation = (type: 'invitation.created' | 'invitation.accepted' | 'invitation.declined' | 'invitation.expired', invitation: InvitationRecord) =>
    deps.emit({
      type,
      requestId: invitation.requestId,
      ownerId: invitation.requestOwnerId,
      data: { invitationId: invitation.id, requestId: invitation.requestId, expertId: invitation.expertId, status: invitation.status, expiresAt: invitation.expiresAt.toISOString() },
      dedupeKey: `${type}:${invitation.id}`,
    });

  /**
   * Offers the chosen expert one of their free slots for a pending invitation: checked and written as one step, so an
   * expert never holds more pending invitations than free slots (OWASP API6: a burst of requests cannot flood the best
   * experts). The given expert, or else the best candidates in turn; 409 when the given one is full.
   */
  async function offerSlot(request: RequestRecord, expertId: string | undefined): Promise<ExpertRecord> {
    const chosen = expertId ? [expertId] : deps.matching.candidatesFor(request, 5).map((candidate) => candidate.expertId);
    if (chosen.length === 0) throw new AppError('unprocessable', 'No feasible expert is left to invite');
    for (const candidate of chosen) {
      if (request.invitedExpertIds.includes(candidate)) throw new AppError('conflict', 'This expert has already been invited to this request');
      const verdict = deps.matching.verdictFor(request, candidate);
      if (!verdict) throw new AppError('unprocessable', 'No expert with this id', { errors: [{ path: 'expertId', message: 'no such expert' }] });
      const full = verdict.exclusions.filter((exclusion) => exclusion.code === 'invitations_full');
      if (full.length < verdict.exclusions.length) {
        const exclusions = localiseExclusions(verdict.exclusions, 'en');
        throw new AppError('unprocessable', `This expert cannot be invited: ${exclusions.map((exclusion) => exclusion.message).join('; ')}`, { exclusions });
      }
      const expert = full.length === 0 ? await deps.workloads.expertOf(candidate) : undefined;
      const offered = expert && (await deps.workloads.offerInvitationSlot(expert));
      if (offered) return offered;
    }
    throw new AppError('conflict', 'This expert already has as many pending invitations as free consultation slots; invite someone else or try later', {
      exclusions: [{ code: 'invitations_full', message: 'Pending invitations fill every free slot' }],
    });
  }

  /** Picks the expert (or checks the given one), takes an invitation slot on the request, then writes the invitation. */
  async function invite(request: RequestRecord, party: Party, actor: Actor, expertId?: string, now = new Date()): Promise<InvitationRecord> {
    const next = transition(request.stage, 'invite', party);
    if (request.invitationCount >= settings.maxInvitations) {
      throw new AppError('conflict', `This request already has the maximum of ${settings.maxInvitations} invitations`);
    }
    const offered = await offerSlot(request, expertId);
    const chosen = offered.id;

    const invitationId = new Types.ObjectId().toHexString();
    let invitation: InvitationRecord;
    try {
      const claimed = await deps.store.updateInStage(request, request.stage, {
        entry: request.stage === next ? undefined : historyEntry(next, actor, now, `invited expert ${chosen}`),
        inc: { invitationCount: 1 },
        addToSet: { invitedExpertIds: chosen, invitationIds: invitationId },
      });
      if (!claimed) throw new AppError('conflict', 'The request changed meanwhile; read it and try again');
      try {
        invitation = await deps.invitationStore.insert({
          id: invitationId,
          requestId: request.id,
          expertId: chosen,
          requestOwnerId: request.ownerId,
          expiresAt: new Date(now.getTime() + settings.ttlSeconds * 1000),
          invitedBy: actor,
        });
      } catch (error) {
        await deps.store.releaseInvitationSlot(request.id, chosen, invitationId);
        if (isDuplicateKeyError(error)) throw new AppError('conflict', 'This expert has already been invited to this request');
        throw error;
      }
    } catch (error) {
      await touch(chosen, { pendingInvitations: -1 }).catch(() => undefined);
      throw error;
    }
    await deps.expertChanged(offered);
    await deps.scheduler.expireInvitation(invitation);
    await deps.scheduler.remindInvitation(invitation);
    await emitInvitation('invitation.created', invitation);
    await deps.mail.invitationCreated(invitation, request);
    return invitation;
  }

  /** After a decline or an expiry: invite the next expert, or give up, or wait for more invitations by hand. */
  async function afterInvitationClosed(requestId: string, now: Date): Promise<void> {
    const request = await deps.store.findById(requestId);
    if (!request || request.stage !== 'invited') return;
    for (const invitation of await storedPendingOf(request)) if (statusAt(invitation, now) === 'expired') await lapse(invitation.id, now);
    if (await awaitingAnswer(request, now)) return;
    const limitReached = request.invitationCount >= settings.maxInvitations;
    if (!limitReached && settings.autoInvite && deps.matching.candidatesFor(request, 1).length > 0) {
      await invite(request, 'system', SYSTEM, undefined, now).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      });
      return;
    }
    const exhausted = limitReached || settings.autoInvite;
    const stage = transition('invited', exhausted ? 'invitations_exhausted' : 'invitations_lapsed', 'system');
    const moved = await deps.store.updateInStage(request, 'invited', {
      entry: historyEntry(stage, SYSTEM, now, exhausted ? 'no invitation was accepted' : 'the last pending invitation lapsed'),
    });
    if (moved?.stage === 'unmatched') {
      const dedupeKey = `request.unmatched:${requestId}:${moved.revision}`;
      await deps.emit({ type: 'request.unmatched', requestId, ownerId: moved.ownerId, data: { requestId, stage: 'unmatched' }, dedupeKey });
      await deps.mail.requestUnmatched(moved, dedupeKey);
    }
  }

  /** Moves the request to `accepted`, retrying while it is still `invited` and nobody accepted it. */
  const claimOpenRequest = (request: RequestRecord, change: StageChange) =>
    deps.store.updateWithRetry(request.id, (current) => (current?.stage === 'invited' && !current.acceptedExpertId ? { stage: 'invited', change } : undefined), request);

  async function ownInvitation(principal: Principal, id: string): Promise<InvitationRecord> {
    const invitation = await deps.invitationStore.findById(id);
    if (!invitation || (principal.role !== 'admin' && principal.expertId !== invitation.expertId)) throw notFound('Invitation');
    return invitation;
  }

  /**
   * Refuses an answer to an invitation that is no longer pending, naming why. One past its expiry is expired here and
   * now, as the expiry job would (so the request moves on at once), before the refusal.
   */
  async function refuseClosed(id: string, now: Date): Promise<never> {
    const current = await deps.invitationStore.findById(id);
    const status = current && statusAt(current, now);
    if (current && status === 'expired') {
      if (current.status === 'pending') await expire(id, now);
      throw new AppError('conflict', `The invitation expired at ${current.expiresAt.toISOString()}`, { invitationStatus: status, expiresAt: current.expiresAt.toISOString() });
    }
    throw new AppError('conflict', `The invitation is ${status ?? 'gone'}`, { invitationStatus: status });
  }

  /** The expiry job: does nothing when the invitation was answered (or is not due yet). */
  async function expire(id: string, now = new Date()): Promise<InvitationRecord | undefined> {
    const expired = await lapse(id, now);
    if (expired) {
      await afterInvitationClosed(expired.requestId, now);
      return expired;
    }
    // A run after one that expired it and stopped midway: finish its work (the event is stored once either way).
    const current = await deps.invitationStore.findById(id);
    if (current?.status !== 'expired') return undefined;
    await emitInvitation('invitation.expired', current);
    await afterInvitationClosed(current.requestId, now);
    return undefined;
  }

  return {
    invite,

    /**
     * The reconciler's part: requests left `invited` with nothing pending (a follow-up lost a race or a crash). An
     * accept that has not finished after ACCEPT_IN_FLIGHT_MS died midway: its invitation is withdrawn (the workload
     * audit repairs a slot it may have taken) so the request can move on.
     */
    async resumeStalled(now = new Date()): Promise<number> {
      let resumed = 0;
      for (const request of await deps.store.findInStages(['invited'])) {
        const invitations = await deps.invitationStore.findByIds(request.invitationIds);
        if (invitations.some((invitation) => statusAt(invitation, now) === 'pending')) continue;
        const inFlight = invitations.filter((invitation) => invitation.status === 'accepted');
        if (inFlight.some((invitation) => (invitation.respondedAt?.getTime() ?? 0) > now.getTime() - ACCEPT_IN_FLIGHT_MS)) continue;
        for (const abandoned of inFlight) {
          if (await deps.invitationStore.withdrawAccepted(abandoned.id)) await touch(abandoned.expertId, { pendingInvitations: -1 });
        }
        await afterInvitationClosed(request.id, now);
        resumed += 1;
      }
      return resumed;
    },

    async inviteByCaller(principal: Principal, requestId: string, expertId?: string): Promise<InvitationRecord> {
      const request = await deps.store.findById(requestId);
      const party = request && (await resolveParty(principal, request));
      if (!request || !party || party === 'invited_expert' || party === 'accepted_expert') {
        throw new AppError(request && party ? 'forbidden' : 'not_found', request && party ? 'Only the owner or an admin may invite' : 'Request not found');
      }
      return invite(request, party, actorOf(principal), expertId);
    },

    /**
     * Up to `limit` of the caller's invitations (every expert's for an admin) after `afterId` in id order; `status`
     * filters by status as of `now` (effectiveInvitationStatus). Named by the invitation index, each read by `_id`.
     */
    list(principal: Principal, status: InvitationStatus | undefined, afterId: string | undefined, limit: number, now = new Date()): Promise<InvitationRecord[]> {
      const group = principal.role === 'admin' ? undefined : principal.expertId;
      return readPage(deps.index, { group, keep: inInvitationList(status, now), afterId, wanted: limit }, deps.invitationStore.findById, invitationEntryOf);
    },

    /** Builds the invitation index from the database (start-up); the number of invitations it holds. */
    warmUp: (): Promise<number> => deps.index.warmUp(),

    /**
     * The first accept wins: first among concurrent accepts of one invitation (its revision has one writer), then
     * among rival invitations of one request (likewise). An unrelated write to the request meanwhile (a PATCH, a
     * rival's decline) does not make it lose: it retries at the new revision while the request is still open. A loser
     * is compensated (invitation reopened or withdrawn, slot given back) before it answers 409, whatever failed.
     */
    async accept(principal: Principal, id: string, now = new Date()): Promise<InvitationRecord> {
      await ownInvitation(principal, id);
      const accepted = await deps.invitationStore.closePending(id, 'accepted', now);
      if (!accepted) return refuseClosed(id, now);

      let slotTaken = false;
      const giveUp = async (invitation: 'reopen' | 'withdraw') => {
        if (invitation === 'reopen') {
          const reopened = await deps.invitationStore.reopenAccepted(id);
          // Its first expiry job may have run while it was accepted: bull would ignore that id.
          if (reopened) {
            await deps.scheduler.expireInvitation(reopened);
            await deps.scheduler.remindInvitation(reopened);
          }
        } else await deps.invitationStore.withdrawAccepted(id);
        const delta: Partial<ExpertWorkload> = { ...(invitation === 'withdraw' ? { pendingInvitations: -1 } : {}), ...(slotTaken ? { activeConsultations: -1 } : {}) };
        if (Object.keys(delta).length > 0) await touch(accepted.expertId, delta);
      };

      let claimed: RequestRecord | undefined;
      try {
        const [expert, request] = await Promise.all([deps.workloads.expertOf(accepted.expertId), deps.store.findById(accepted.requestId)]);
        if (request?.stage !== 'invited') {
          await giveUp('withdraw');
          throw new AppError('conflict', 'This request is no longer open for acceptance', { stage: request?.stage });
        }
        if (!expert || expert.status !== 'active' || !(await deps.workloads.takeSlot(expert))) {
          await giveUp('reopen');
          throw new AppError('conflict', 'The expert has no free capacity (or is paused)');
        }
        slotTaken = true;
        const party = principal.role === 'admin' ? 'admin' : 'invited_expert';
        claimed = await claimOpenRequest(request, {
          entry: historyEntry(transition('invited', 'accept', party), actorOf(principal), now),
          set: { acceptedExpertId: accepted.expertId, acceptedExpertCountry: expert.location.country, acceptedAt: now },
        });
        if (!claimed) {
          await giveUp('withdraw');
          throw new AppError('conflict', 'Another expert accepted this request first, or it is no longer open');
        }
      } catch (error) {
        if (error instanceof AppError) throw error;
        const current = await deps.store.findById(accepted.requestId).catch(() => undefined);
        if (current?.acceptedExpertId !== accepted.expertId) await giveUp('withdraw').catch(() => undefined);
        throw error;
      }
      await withdrawAllPending(claimed, 'taken', now);
      await touch(accepted.expertId, { pendingInvitations: -1 });
      await emitInvitation('invitation.accepted', accepted);
      await deps.mail.invitationAccepted(accepted, claimed);
      return accepted;
    },

    async decline(principal: Principal, id: string, reason: string | undefined, now = new Date()): Promise<InvitationRecord> {
      await ownInvitation(principal, id);
      const declined = await deps.invitationStore.closePending(id, 'declined', now, { declineReason: reason });
      if (!declined) return refuseClosed(id, now);
      await touch(declined.expertId, { pendingInvitations: -1 });
      await emitInvitation('invitation.declined', declined);
      await afterInvitationClosed(declined.requestId, now);
      return declined;
    },

    expire,

    /** Withdraws every pending invitation of a request that stopped looking (cancelled), telling each expert. */
    withdrawPending: (request: RequestRecord, now: Date) => withdrawAllPending(request, 'cancelled', now),

    /** An erased expert can answer nothing: their pending invitations are withdrawn (or lapse, when past expiry) and each request moves on. */
    async withdrawForErasedExpert(expertId: string, now = new Date()): Promise<number> {
      let withdrawn = 0;
      for (const invitation of await deps.invitationStore.find({ expertId, status: 'pending' })) {
        if (await deps.invitationStore.closePending(invitation.id, 'withdrawn', now)) withdrawn += 1;
        else if (!(await lapse(invitation.id, now))) continue;
        await afterInvitationClosed(invitation.requestId, now);
      }
      return withdrawn;
    },
  };
}
