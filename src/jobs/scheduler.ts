import type { JobOptions } from 'bull';
import { invitationReminderAt } from '../domain/reminders';
import type { Logger } from '../logger';
import { mailRecordJobId, type MailRecordJob } from '../mail/deferred-mail';
import type { Queues } from './queues';

const ENQUEUE_TIMEOUT_MS = 1000;

/**
 * One attempt's job id. A deferred attempt is re-added by the job still running under the plain id, which bull would
 * ignore, so it gets a suffix of its own.
 */
export const webhookDeliveryJobId = (deliveryId: string, attempt: number, deferred = false): string =>
  `webhook-delivery:${deliveryId}:${attempt}${deferred ? `:deferred-${Date.now()}` : ''}`;

/**
 * Puts work on the queues without ever blocking a caller on Redis: the database already holds the truth, so when
 * Redis is slow or down the job is logged as not scheduled and the reconciler schedules it later.
 * Job ids are deterministic, so scheduling the same work twice runs it once; bull also ignores an id whose job already
 * ran, so work that can be needed again after it ran carries what it is for (a revision, a schedule step) in its id.
 */
export function createScheduler(queues: Queues, logger: Logger) {
  /** True when the job is on the queue; false when Redis failed or did not answer in time (it may still land). */
  async function add(name: Parameters<Queues['queue']>[0], data: Record<string, unknown>, options: JobOptions): Promise<boolean> {
    const added = queues.queue(name).add(data, options);
    const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ENQUEUE_TIMEOUT_MS).unref());
    try {
      if ((await Promise.race([added, timeout])) !== 'timeout') return true;
      logger.warn({ queue: name, jobId: options.jobId }, 'job not scheduled yet: Redis is slow or down');
    } catch (error) {
      logger.warn({ queue: name, jobId: options.jobId, err: String(error) }, 'job not scheduled: the reconciler will retry');
    }
    return false;
  }
  const enqueue = async (...args: Parameters<typeof add>): Promise<void> => void (await add(...args));
  const delayUntil = (at: Date) => Math.max(0, at.getTime() - Date.now());

  return {
    /** True while a job with this id waits, runs or is delayed (a backlog is not lost work). */
    async isQueued(name: Parameters<Queues['queue']>[0], jobId: string): Promise<boolean> {
      const job = await queues.queue(name).getJob(jobId);
      if (!job) return false;
      return ['waiting', 'active', 'delayed', 'paused'].includes(await job.getState());
    },
    matchRequest: (requestId: string, jobId = `match-request:${requestId}`) => enqueue('match-request', { requestId }, { jobId }),
    /** One job per revision at which the invitation became pending: an accept given back reopens it after its first job may have run. */
    expireInvitation: (invitation: { id: string; revision: number; expiresAt: Date }, jobId = expiryJobId(invitation)) =>
      enqueue('invitation-expiry', { invitationId: invitation.id }, { jobId, delay: delayUntil(invitation.expiresAt) }),
    /**
     * Like the expiry job, one per revision at which the invitation became pending; none when its time to answer is
     * 24 h or less (invitationReminderAt). Due in the past (a reopened invitation, a repair) means at once.
     */
    remindInvitation: (invitation: { id: string; revision: number; createdAt: Date; expiresAt: Date }) => {
      const at = invitationReminderAt(invitation);
      return at ? enqueue('invitation-reminder', { invitationId: invitation.id }, { jobId: invitationReminderJobId(invitation), delay: delayUntil(at) }) : Promise.resolve();
    },
    /**
     * One job per schedule step (`step`: the length of the request's history once scheduled): a schedule moved away
     * and back to the same time needs a new reminder although the first one ran and found nothing to do.
     */
    remindConsultation: (requestId: string, schedule: { startsAt: Date; step: number }, remindAt: Date) =>
      enqueue(
        'consultation-reminder',
        { requestId, startsAt: schedule.startsAt.toISOString(), step: schedule.step },
        { jobId: `consultation-reminder:${requestId}:h${schedule.step}`, delay: delayUntil(remindAt) },
      ),
    deliverWebhook: (deliveryId: string, attempt: number, delayMs: number, deferred = false) =>
      // The attempt history lives in the database; a kept job record would make bull ignore the reconciler's re-add.
      enqueue('webhook-delivery', { deliveryId, attempt }, { jobId: webhookDeliveryJobId(deliveryId, attempt, deferred), delay: delayMs, attempts: 1, removeOnComplete: true, removeOnFail: true }),
    /** Records (and sends) one of the lifecycle's mails off the request path; false when it could not be queued, so the caller records it itself. */
    recordMail: (job: MailRecordJob) => add('mail-record', job, { jobId: mailRecordJobId(job), attempts: 1, removeOnComplete: true, removeOnFail: true }),
    /** Like webhook deliveries: one job per attempt, the retries scheduled by the mail outbox itself. */
    deliverMail: (mailId: string, attempt: number, delayMs: number) =>
      enqueue('mail-delivery', { mailId, attempt }, { jobId: `mail-delivery:${mailId}:${attempt}`, delay: delayMs, attempts: 1, removeOnComplete: true, removeOnFail: true }),
  };
}

/** The id of the expiry job of an invitation as it is now (pending since `revision`). */
export const expiryJobId = (invitation: { id: string; revision: number }) => `invitation-expiry:${invitation.id}:r${invitation.revision}`;

/** The id of the reminder job of an invitation as it is now (pending since `revision`). */
export const invitationReminderJobId = (invitation: { id: string; revision: number }) => `invitation-reminder:${invitation.id}:r${invitation.revision}`;

export type Scheduler = ReturnType<typeof createScheduler>;
