import { Types } from 'mongoose';
import { historyEntry, transition, type Party } from '../domain/lifecycle';
import type { Actor } from '../domain/stages';
import { AppError, notFound } from '../errors';
import type { EmitEvent } from '../events';
import { expertRepository, type ExpertRecord } from '../experts/expert.repository';
import { changeWorkload, takeSlot } from '../consultations/expert-workload';
import type { ExpertWorkload } from '../experts/expert.repository';
import type { Principal } from '../http/principal';
import type { Scheduler } from '../jobs/scheduler';
import type { MatchingService } from '../matching/matching.service';
import { requestRepository, type RequestRecord } from '../requests/request.repository';
import { actorOf } from '../requests/request.service';
import { partyOf, SYSTEM } from '../consultations/party';
import { invitationRepository, type InvitationRecord, type InvitationStatus } from './invitation.repository';
import { isDuplicateKeyError } from '../infra/database';

export interface InvitationSettings {
  autoInvite: boolean;
  maxInvitations: number;
  ttlSeconds: number;
}

export type InvitationService = ReturnType<typeof createInvitationService>;


export function createInvitationService(deps: {
  settings: InvitationSettings;
  matching: MatchingService;
  scheduler: Scheduler;
  emit: EmitEvent;
  expertChanged: (expert: ExpertRecord) => void | Promise<void>;
}) {
  const { settings } = deps;

  /** Changes the expert's workload and updates the directory and the matching index. */
  async function touch(expertId: string, delta: Partial<ExpertWorkload>) {
    const expert = await changeWorkload(expertId, delta);
    if (expert) await deps.expertChanged(expert);
  }

  /** The request's invitations that are still pending: read by id from the request's own list (no scan). */
  async function pendingOf(request: RequestRecord): Promise<InvitationRecord[]> {
    const invitations = await invitationRepository.findByIds(request.invitationIds);
    return invitations.filter((invitation) => invitation.status === 'pending');
  }

  async function withdrawAllPending(request: RequestRecord, now: Date): Promise<void> {
    for (const invitation of await pendingOf(request)) {
      if (await invitationRepository.closePending(invitation.id, 'withdrawn', now)) await touch(invitation.expertId, { pendingInvitations: -1 });
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

  /** Picks the expert (or checks the given one), takes an invitation slot on the request, then writes the invitation. */
  async function invite(request: RequestRecord, party: Party, actor: Actor, expertId?: string, now = new Date()): Promise<InvitationRecord> {
    const next = transition(request.stage, 'invite', party);
    if (request.invitationCount >= settings.maxInvitations) {
      throw new AppError('conflict', `This request already has the maximum of ${settings.maxInvitations} invitations`);
    }
    const chosen = expertId ?? deps.matching.candidatesFor(request, 1)[0]?.expertId;
    if (!chosen) throw new AppError('unprocessable', 'No feasible expert is left to invite');
    if (request.invitedExpertIds.includes(chosen)) throw new AppError('conflict', 'This expert has already been invited to this request');
    const verdict = deps.matching.verdictFor(request, chosen);
    if (!verdict) throw new AppError('unprocessable', 'No expert with this id', { errors: [{ path: 'expertId', message: 'no such expert' }] });
    if (!verdict.feasible) {
      throw new AppError('unprocessable', `This expert cannot be invited: ${verdict.exclusions.map((exclusion) => exclusion.message).join('; ')}`, {
        exclusions: verdict.exclusions,
      });
    }

    const invitationId = new Types.ObjectId().toHexString();
    const claimed = await requestRepository.updateInStage(request, request.stage, {
      entry: request.stage === next ? undefined : historyEntry(next, actor, now, `invited expert ${chosen}`),
      inc: { invitationCount: 1 },
      addToSet: { invitedExpertIds: chosen, invitationIds: invitationId },
    });
    if (!claimed) throw new AppError('conflict', 'The request changed meanwhile; read it and try again');

    let invitation: InvitationRecord;
    try {
      invitation = await invitationRepository.insert({
        id: invitationId,
        requestId: request.id,
        expertId: chosen,
        requestOwnerId: request.ownerId,
        expiresAt: new Date(now.getTime() + settings.ttlSeconds * 1000),
        invitedBy: actor,
      });
    } catch (error) {
      await requestRepository.releaseInvitationSlot(request.id, chosen, invitationId);
      if (isDuplicateKeyError(error)) throw new AppError('conflict', 'This expert has already been invited to this request');
      throw error;
    }
    await touch(chosen, { pendingInvitations: 1 });
    await deps.scheduler.expireInvitation(invitation.id, invitation.expiresAt);
    await emitInvitation('invitation.created', invitation);
    return invitation;
  }

  /** After a decline or an expiry: invite the next expert, or give up, or wait for more invitations by hand. */
  async function afterInvitationClosed(requestId: string, now: Date): Promise<void> {
    const request = await requestRepository.findById(requestId);
    if (!request || request.stage !== 'invited') return;
    if ((await pendingOf(request)).length > 0) return;
    const limitReached = request.invitationCount >= settings.maxInvitations;
    if (!limitReached && settings.autoInvite && deps.matching.candidatesFor(request, 1).length > 0) {
      await invite(request, 'system', SYSTEM, undefined, now).catch((error: unknown) => {
        if (!(error instanceof AppError && error.code === 'conflict')) throw error;
      });
      return;
    }
    const exhausted = limitReached || settings.autoInvite;
    const stage = transition('invited', exhausted ? 'invitations_exhausted' : 'invitations_lapsed', 'system');
    const moved = await requestRepository.updateInStage(request, 'invited', {
      entry: historyEntry(stage, SYSTEM, now, exhausted ? 'no invitation was accepted' : 'the last pending invitation lapsed'),
    });
    if (moved?.stage === 'unmatched') {
      await deps.emit({ type: 'request.unmatched', requestId, ownerId: moved.ownerId, data: { requestId, stage: 'unmatched' }, dedupeKey: `request.unmatched:${requestId}:${moved.revision}` });
    }
  }

  async function ownInvitation(principal: Principal, id: string): Promise<InvitationRecord> {
    const invitation = await invitationRepository.findById(id);
    if (!invitation || (principal.role !== 'admin' && principal.expertId !== invitation.expertId)) throw notFound('Invitation');
    return invitation;
  }

  async function closedAlready(id: string): Promise<never> {
    const current = await invitationRepository.findById(id);
    throw new AppError('conflict', `The invitation is ${current?.status ?? 'gone'}`, { invitationStatus: current?.status });
  }

  return {
    invite,

    /** The reconciler's part: requests left `invited` with nothing pending (a follow-up lost a race or a crash). */
    async resumeStalled(now = new Date()): Promise<number> {
      let resumed = 0;
      for (const request of await requestRepository.findInStages(['invited'])) {
        if ((await pendingOf(request)).length > 0) continue;
        await afterInvitationClosed(request.id, now);
        resumed += 1;
      }
      return resumed;
    },

    async inviteByCaller(principal: Principal, requestId: string, expertId?: string): Promise<InvitationRecord> {
      const request = await requestRepository.findById(requestId);
      const party = request && partyOf(principal, request);
      if (!request || !party || party === 'invited_expert' || party === 'accepted_expert') {
        throw new AppError(request && party ? 'forbidden' : 'not_found', request && party ? 'Only the owner or an admin may invite' : 'Request not found');
      }
      return invite(request, party, actorOf(principal), expertId);
    },

    async list(principal: Principal, status: InvitationStatus | undefined, afterId: string | undefined, limit: number) {
      const expertId = principal.role === 'admin' ? undefined : principal.expertId;
      return invitationRepository.find({ ...(expertId ? { expertId } : {}), ...(status ? { status } : {}) }, afterId, limit);
    },

    /**
     * The first accept wins: first among concurrent accepts of one invitation (its revision has one writer), then
     * among rival invitations of one request (likewise). A loser's changes are undone before it answers 409.
     */
    async accept(principal: Principal, id: string, now = new Date()): Promise<InvitationRecord> {
      await ownInvitation(principal, id);
      const accepted = await invitationRepository.closePending(id, 'accepted', now, { notExpiredAt: now });
      if (!accepted) return closedAlready(id);

      const [expert, request] = await Promise.all([expertRepository.findById(accepted.expertId), requestRepository.findById(accepted.requestId)]);
      if (!expert || expert.status !== 'active' || !(await takeSlot(expert))) {
        await invitationRepository.reopenAccepted(id);
        throw new AppError('conflict', 'The expert has no free capacity (or is paused)');
      }
      const party = principal.role === 'admin' ? 'admin' : 'invited_expert';
      const claimed =
        request &&
        (await requestRepository.updateInStage(request, 'invited', {
          entry: historyEntry(transition(request.stage, 'accept', party), actorOf(principal), now),
          set: { acceptedExpertId: accepted.expertId, acceptedExpertCountry: expert.location.country, acceptedAt: now },
        }).catch(() => undefined));
      if (!claimed) {
        await invitationRepository.withdrawAccepted(id);
        await touch(accepted.expertId, { pendingInvitations: -1, activeConsultations: -1 });
        throw new AppError('conflict', 'Another expert accepted this request first, or it is no longer open');
      }
      await withdrawAllPending(claimed, now);
      await touch(accepted.expertId, { pendingInvitations: -1 });
      await emitInvitation('invitation.accepted', accepted);
      return accepted;
    },

    async decline(principal: Principal, id: string, reason: string | undefined, now = new Date()): Promise<InvitationRecord> {
      await ownInvitation(principal, id);
      const declined = await invitationRepository.closePending(id, 'declined', now, { declineReason: reason });
      if (!declined) return closedAlready(id);
      await touch(declined.expertId, { pendingInvitations: -1 });
      await emitInvitation('invitation.declined', declined);
      await afterInvitationClosed(declined.requestId, now);
      return declined;
    },

    /** The expiry job: does nothing when the invitation was answered (or is not due yet). */
    async expire(id: string, now = new Date()): Promise<InvitationRecord | undefined> {
      const expired = await invitationRepository.closePending(id, 'expired', now, { dueBy: now });
      if (!expired) return undefined;
      await touch(expired.expertId, { pendingInvitations: -1 });
      await emitInvitation('invitation.expired', expired);
      await afterInvitationClosed(expired.requestId, now);
      return expired;
    },

    /** Withdraws every pending invitation of a request that stopped looking (cancelled). */
    withdrawPending: withdrawAllPending,
  };
}
