import type { Config } from '../config';
import type { Logger } from '../logger';
import { HOUSEKEEPING_EVERY_MS, housekeepingJob } from './housekeeping.job';
import { createQueueSystem, type JobHandler, type QueueSystem } from './queue-system';

/** Every background job the service runs; each has exactly one handler. */
export const JOB_NAMES = ['housekeeping'] as const;
export type JobName = (typeof JOB_NAMES)[number];
export type JobHandlers = Record<JobName, JobHandler>;
export type Queues = QueueSystem<JobName>;

export function createQueues(config: Config, redisUrl: string, logger: Logger): Queues {
  return createQueueSystem({ redisUrl, prefix: `${config.QUEUE_PREFIX}:${config.NODE_ENV}`, names: JOB_NAMES, logger });
}

export function jobHandlers(logger: Logger): JobHandlers {
  return { housekeeping: housekeepingJob(logger) };
}

/** Starts the workers and the recurring jobs; bull keeps one schedule per repeat key, so every instance may call this. */
export async function startWorkers(queues: Queues, logger: Logger): Promise<void> {
  queues.startWorkers(jobHandlers(logger));
  await queues.queue('housekeeping').add({}, { repeat: { every: HOUSEKEEPING_EVERY_MS }, jobId: 'housekeeping' });
}
