import type { Config } from '../config';
import type { Logger } from '../logger';
import { createQueueSystem, type JobHandler, type QueueSystem } from './queue-system';

/** Every background job the service runs; each has exactly one handler. */
export const JOB_NAMES = ['housekeeping', 'match-request', 'invitation-expiry', 'invitation-reminder', 'consultation-reminder', 'webhook-delivery', 'mail-record', 'mail-delivery'] as const;
export type JobName = (typeof JOB_NAMES)[number];
export type JobHandlers = Record<JobName, JobHandler>;
export type Queues = QueueSystem<JobName>;

/**
 * Mail is background work: one mail job at a time per process leaves the cores to the requests being answered; four
 * at a time took about a third of the accepts' throughput on 2 cores in `npm run load` (README, load figures).
 */
const CONCURRENCY: Partial<Record<JobName, number>> = { 'mail-record': 1, 'mail-delivery': 1 };

export function createQueues(config: Config, redisUrl: string, logger: Logger): Queues {
  return createQueueSystem({ redisUrl, prefix: `${config.QUEUE_PREFIX}:${config.NODE_ENV}`, names: JOB_NAMES, concurrency: CONCURRENCY, logger });
}
