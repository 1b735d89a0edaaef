import type { Job } from 'bull';
import type { Logger } from '../logger';
import { purgeExpiredIdempotencyRecords } from '../idempotency/idempotency.service';

export const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;

/** Drops idempotency records past their 24 h window (FerretDB has no TTL indexes, so this runs as a job). */
export function housekeepingJob(logger: Logger) {
  return async (job: Job) => {
    const purged = await purgeExpiredIdempotencyRecords();
    logger.info({ jobId: job.id, purged }, 'housekeeping: purged idempotency records');
    return { purged };
  };
}
