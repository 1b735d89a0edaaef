import { historyEntry, transition, type LifecycleEvent } from '../domain/lifecycle';
import { UNDERWAY_STAGES, type Stage } from '../domain/stages';
import { AppError, notFound } from '../errors';
import type { EmitEvent, EventType } from '../events';
import type { ExpertRecord, ExpertWorkload } from '../experts/expert.repository';
import type { Workloads } from './expert-workload';
import type { Principal } from '../http/principal';
import type { InvitationService } from '../invitations/invitation.service';
import type { Scheduler } from '../jobs/scheduler';
import type { MatchingService } from '../matching/matching.service';
import type { ConsultationSchedule, RequestRecord, RequestStore } from '../requests/request.repository';
import { actorOf } from '../requests/request.service';
import { holdsPendingInvitation, partyOf, SYSTEM } from './party';

export const REMINDER_LEAD_MS = 24 * 60 * 60 * 1000;

/**
 * Schedules the reminder of a scheduled request, REMINDER_LEAD_MS before it starts. Its schedule step is the length
 * of its history: only a schedule step leads to `scheduled` or stays in it, so each (re)schedule has its own.
 */
export const scheduleReminder = (scheduler: Scheduler, request: RequestRecord & { schedule: ConsultationSchedule }) =>
  scheduler.remindConsultation(request.id, { startsAt: request.schedule.startsAt, step: request.history.length }, new Date(request.schedule.startsAt.getTime() - REMINDER_LEAD_MS));

export type ConsultationService = ReturnType<typeof createConsultationService>;

export function createConsultationService(deps: {
  /** Every read and write of requests (writes keep the request index current). */
  store: RequestStore;
  autoInvite: boolean;
  matching: MatchingService;
  invitations: InvitationService;
  scheduler: Scheduler;
  emit: EmitEvent;
  expertChanged: (expert: ExpertRecord) => void | Promise<void>;
  workloads: Workloads;
  /** Records the "no expert found" mail with the `request.unmatched` event; never fails. */
  mail: { requestUnmatched(request: RequestRecord, eventKey: string): Promise<void> };
  /** Records the calendar mails of a (re)schedule and of a cancellation (src/mail/scheduling-notifications.ts); never fails. */
  scheduling: { scheduled(request: RequestRecord): Promise<void>; cancelled(request: RequestRecord): Promise<void> };
  /**
   * The reminder, rating and feedback mails (src/mail/reminder-notifications.ts). The reminder throws on failure (its
   * job is retried); the other two never fail.
   */
  followUpMail: {
    consultationReminder(request: RequestRecord, step: number): Promise<unknown>;
    consultationCompleted(request: RequestRecord): Promise<void>;
    feedbackGiven(request: RequestRecord): Promise<void>;
  };
}) {
  const eventKey = (type: EventType, request: RequestRecord) => `${type}:${request.id}:h${request.history.length}`;
  /** Keyed by the history entry the event reports, so emitting it again (a job run twice) stores it once. */
  const emitFor = (type: EventType, request: RequestRecord, data: Record<string, unknown> = {}) =>
    deps.emit({ type, requestId: request.id, ownerId: request.ownerId, data: { requestId: request.id, stage: request.stage, ...data }, dedupeKey: eventKey(type, request) });

  /** The `request.matched` or `request.unmatched` event for the request's stage, and the unmatched mail with the latter. */
  async function emitMatchOutcome(request: RequestRecord, data: Record<string, unknown> = {}) {
    const type = request.stage === 'matched' ? 'request.matched' : 'request.unmatched';
    await emitFor(type, request, data);
    if (type === 'request.unmatched') await deps.mail.requestUnmatched(request, eventKey(type, request));
  }

  /** Changes the accepted expert's workload and updates the directory and the matching index. */
  async function touch(expertId: string | undefined, delta: Partial<ExpertWorkload>) {
    const expert = expertId ? await deps.workloads.change(expertId, delta) : undefined;
    if (expert) await deps.expertChanged(expert);
  }

  /**
   * Checks who may do what in the stage the request is in, then moves it with one conditional update. When another
   * write lands first (a background job moving it from matched to unmatched, say), the step is checked again against
   * the request as it is now and retried while it is still allowed.
   */
  async function advance(principal: Principal, requestId: string, event: LifecycleEvent, set: Record<string, unknown> | ((request: RequestRecord) => Record<string, unknown>), now: Date, note?: string): Promise<RequestRecord> {
    const read = await deps.store.findById(requestId);
    const pendingInvitee = read !== undefined && (await holdsPendingInvitation(principal, read, now));
    const moved = await deps.store.updateWithRetry(
      requestId,
      (request) => {
        const party = request && partyOf(principal, request, pendingInvitee);
        if (!request || !party) throw notFound('Request');
        const entry = historyEntry(transition(request.stage, event, party), actorOf(principal), now, note);
        return { stage: request.stage, change: { entry, set: typeof set === 'function' ? set(request) : set } };
      },
      read,
    );
    if (!moved) throw new AppError('conflict', 'The request changed meanwhile; read it and try again');
    return moved;
  }

  return {
    /**
     * The matching job. Idempotent and resumable: a request still in `submitted` is matched, and a matched request
     * that auto-invite has not yet invited anyone for gets its first invitation.
     */
    async runMatching(requestId: string, now = new Date()): Promise<Stage | undefined> {
      let request = await deps.store.findById(requestId);
      if (request?.stage === 'submitted') {
        const candidates = deps.matching.candidatesFor(request, 10).length;
        const event = candidates > 0 ? 'match_found' : 'no_match';
        const note = candidates > 0 ? `${candidates >= 10 ? '10 or more' : candidates} feasible candidates` : 'no feasible candidate';
        const moved = await deps.store.updateInStage(request, 'submitted', { entry: historyEntry(transition('submitted', event, 'system'), SYSTEM, now, note) });
        if (moved) await emitMatchOutcome(moved, { candidates });
        request = moved;
      } else if (request && request.history.length === 2 && (request.stage === 'matched' || request.stage === 'unmatched')) {
        // A run after one that moved the request and stopped before emitting: the event is stored once either way.
        await emitMatchOutcome(request, { candidates: deps.matching.candidatesFor(request, 10).length });
      }
      if (request?.stage === 'matched' && deps.autoInvite && request.invitationCount === 0) {
        if (deps.matching.candidatesFor(request, 1).length > 0) {
          await deps.invitations.invite(request, 'system', SYSTEM, undefined, now);
        } else {
          // Reopened with nobody feasible, or the only candidates filled up since matching: waiting would retry forever.
          const given = await deps.store.updateInStage(request, 'matched', {
            entry: historyEntry(transition('matched', 'invitations_exhausted', 'system'), SYSTEM, now, 'no feasible expert is left to invite'),
          });
          if (given) await emitMatchOutcome(given);
          request = given;
        }
      }
      return request?.stage;
    },

    /**
     * Schedules (or reschedules) the consultation. `guard`, for a slot pick, judges the request as it is when written
     * (throwing to refuse) and returns more fields to write with the schedule.
     */
    async schedule(principal: Principal, requestId: string, schedule: ConsultationSchedule, now = new Date(), guard?: (request: RequestRecord) => Record<string, unknown>): Promise<RequestRecord> {
      const moved = await advance(principal, requestId, 'schedule', guard ? (request) => ({ ...guard(request), schedule }) : { schedule }, now);
      await scheduleReminder(deps.scheduler, { ...moved, schedule });
      await emitFor('consultation.scheduled', moved, { startsAt: schedule.startsAt.toISOString(), durationMinutes: schedule.durationMinutes });
      await deps.scheduling.scheduled(moved);
      return moved;
    },

    start: (principal: Principal, requestId: string, now = new Date()) => advance(principal, requestId, 'start', {}, now),

    async complete(principal: Principal, requestId: string, summary: string, now = new Date()): Promise<RequestRecord> {
      const moved = await advance(principal, requestId, 'complete', { summary, completedAt: now }, now);
      await touch(moved.acceptedExpertId, { activeConsultations: -1 });
      await emitFor('consultation.completed', moved, { expertId: moved.acceptedExpertId });
      await deps.followUpMail.consultationCompleted(moved);
      return moved;
    },

    async giveFeedback(principal: Principal, requestId: string, feedback: { rating: number; comment?: string }, now = new Date()): Promise<RequestRecord> {
      const moved = await advance(principal, requestId, 'give_feedback', { feedback: { ...feedback, at: now } }, now);
      await touch(moved.acceptedExpertId, { ratingTotal: feedback.rating, ratingCount: 1 });
      await emitFor('request.closed', moved, { rating: feedback.rating });
      await deps.followUpMail.feedbackGiven(moved);
      return moved;
    },

    async cancel(principal: Principal, requestId: string, reason: string, now = new Date()): Promise<RequestRecord> {
      const moved = await advance(principal, requestId, 'cancel', { cancellationReason: reason }, now, reason);
      await deps.invitations.withdrawPending(moved, now);
      const wasUnderway = moved.history.at(-2)?.stage;
      if (wasUnderway && UNDERWAY_STAGES.includes(wasUnderway)) await touch(moved.acceptedExpertId, { activeConsultations: -1 });
      await emitFor('request.cancelled', moved);
      await deps.scheduling.cancelled(moved);
      return moved;
    },

    /** A new round of invitations: up to MAX_INVITATIONS more, never to an expert invited before; auto-invite resumes. */
    async reopen(principal: Principal, requestId: string, now = new Date()): Promise<RequestRecord> {
      const moved = await advance(principal, requestId, 'reopen', { invitationCount: 0 }, now, 'reopened by an admin');
      if (deps.autoInvite) await deps.scheduler.matchRequest(moved.id, `match-request:${moved.id}:r${moved.revision}`);
      return moved;
    },

    /**
     * The reminder job, for the schedule step it was set for: a later reschedule (even back to the same time) has its
     * own step and job, and this one finds nothing to do. The event and the mails to the expert and the contact are
     * stored once per step (bull may run a job twice).
     */
    async remind(requestId: string, startsAt: Date, step: number): Promise<boolean> {
      const request = await deps.store.findById(requestId);
      if (request?.stage !== 'scheduled' || request.history.length !== step || request.schedule?.startsAt.getTime() !== startsAt.getTime()) return false;
      await deps.emit({
        type: 'consultation.reminder',
        requestId,
        ownerId: request.ownerId,
        data: { requestId, startsAt: startsAt.toISOString(), expertId: request.acceptedExpertId },
        dedupeKey: `consultation.reminder:${requestId}:h${step}`,
      });
      await deps.followUpMail.consultationReminder(request, step);
      return true;
    },
  };
}
