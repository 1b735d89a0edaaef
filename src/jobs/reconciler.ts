import { invitationRepository } from '../invitations/invitation.repository';
import type { Logger } from '../logger';
import { scheduleReminder } from '../consultations/consultation.service';
import { requestRepository } from '../requests/request.repository';
import { expiryJobId, type Scheduler } from './scheduler';

/** A submitted request is left alone this long before it counts as stuck (its own job normally runs at once). */
const GRACE_MS = 60_000;

/**
 * The database is the source of truth and Redis only schedules: this puts back on the queues whatever is due but
 * may have been lost (Redis restarted or was down when the work was created). Handlers are idempotent and job ids
 * carry a per-minute suffix, so running it on several instances, or often, does no harm.
 */
export function createReconciler(deps: {
  scheduler: Scheduler;
  reenqueueDueDeliveries: (now: Date) => Promise<number>;
  reenqueueDueMails: (now: Date) => Promise<number>;
  resumeStalledInvitations: (now: Date) => Promise<number>;
  autoInvite: boolean;
  intervalMs: number;
  logger: Logger;
}) {
  let timer: NodeJS.Timeout | undefined;

  async function runOnce(now = new Date()) {
    const round = `reconcile-${Math.floor(now.getTime() / 60000)}`;
    const waiting = [
      ...(await requestRepository.submittedBefore(new Date(now.getTime() - GRACE_MS))),
      ...(deps.autoInvite ? (await requestRepository.findInStages(['matched'])).filter((request) => request.invitationCount === 0) : []),
    ];
    const lost = [];
    for (const request of waiting) if (!(await deps.scheduler.isQueued('match-request', `match-request:${request.id}`))) lost.push(request);
    for (const request of lost) await deps.scheduler.matchRequest(request.id, `match-request:${request.id}:${round}`);

    const overdue = [];
    for (const invitation of await invitationRepository.pendingDueBy(now)) {
      if (!(await deps.scheduler.isQueued('invitation-expiry', expiryJobId(invitation)))) overdue.push(invitation);
    }
    for (const invitation of overdue) await deps.scheduler.expireInvitation(invitation, `${expiryJobId(invitation)}:${round}`);

    // Like the consultation reminders below: the job's own id, which bull ignores unless Redis lost that job.
    const awaitingReminder = await invitationRepository.pendingExpiringAfter(now);
    for (const invitation of awaitingReminder) await deps.scheduler.remindInvitation(invitation);

    const scheduled = (await requestRepository.findInStages(['scheduled'])).filter((request) => request.schedule && request.schedule.startsAt > now);
    // The same id as the schedule step's own job: bull ignores it unless Redis lost that job.
    for (const request of scheduled) await scheduleReminder(deps.scheduler, { ...request, schedule: request.schedule! });

    const deliveries = await deps.reenqueueDueDeliveries(now);
    const mails = await deps.reenqueueDueMails(now);
    const stalled = await deps.resumeStalledInvitations(now);
    const counts = { requests: lost.length, invitations: overdue.length, invitationReminders: awaitingReminder.length, reminders: scheduled.length, deliveries, mails, stalled };
    if (lost.length + overdue.length + deliveries + mails + stalled > 0) deps.logger.info(counts, 'reconciler re-enqueued work');
    return counts;
  }

  return {
    runOnce,
    start() {
      const tick = () => void runOnce().catch((error: unknown) => deps.logger.error({ err: String(error) }, 'reconciler failed'));
      tick();
      timer = setInterval(tick, deps.intervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
