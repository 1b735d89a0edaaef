import type { Job } from 'bull';
import type { Services } from '../composition';
import type { Config } from '../config';
import type { Logger } from '../logger';
import { HOUSEKEEPING_EVERY_MS, housekeepingJob } from './housekeeping.job';
import type { JobHandlers, Queues } from './queues';
import { mailDeliveryJob } from './mail-delivery.job';
import type { MailRecordJob } from '../mail/deferred-mail';
import { webhookDeliveryJob } from './webhook-delivery.job';

export function jobHandlers(services: Services, logger: Logger, config: Pick<Config, 'WEBHOOK_RETENTION_DAYS'>): JobHandlers {
  return {
    housekeeping: housekeepingJob(logger, { webhookRetentionDays: config.WEBHOOK_RETENTION_DAYS, auditWorkloads: services.auditWorkloads, auditOpenRequests: services.auditOpenRequests }),
    'match-request': (job: Job<{ requestId: string }>) => services.consultations.runMatching(job.data.requestId),
    'invitation-expiry': async (job: Job<{ invitationId: string }>) => ({ expired: (await services.invitations.expire(job.data.invitationId)) !== undefined }),
    'invitation-reminder': async (job: Job<{ invitationId: string }>) => ({ outcome: await services.reminderMail.invitationReminder(job.data.invitationId) }),
    'consultation-reminder': (job: Job<{ requestId: string; startsAt: string; step: number }>) =>
      services.consultations.remind(job.data.requestId, new Date(job.data.startsAt), job.data.step),
    'webhook-delivery': webhookDeliveryJob(services.outbox),
    'mail-record': async (job: Job<MailRecordJob>) => ({ outcome: await services.recordLifecycleMail(job.data) }),
    'mail-delivery': mailDeliveryJob(services.mailOutbox),
  };
}

/** Starts the workers, the recurring housekeeping and the reconciler; bull keeps one schedule per repeat key. */
export async function startWorkers(queues: Queues, services: Services, logger: Logger, config: Config): Promise<void> {
  queues.startWorkers(jobHandlers(services, logger, config));
  await queues.queue('housekeeping').add({}, { repeat: { every: HOUSEKEEPING_EVERY_MS }, jobId: 'housekeeping' });
  services.reconciler.start();
}
