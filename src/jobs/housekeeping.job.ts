import type { Job } from 'bull';
import type { Logger } from '../logger';
import { purgeExpiredIdempotencyRecords } from '../idempotency/idempotency.service';
import { purgeClaimsBefore } from '../infra/claims';

export const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;

/** Claims only matter while their writer runs; an hour is far beyond any write. */
const CLAIM_RETENTION_MS = 60 * 60 * 1000;

/** Drops idempotency records past their 24 h window and spent claims (FerretDB has no TTL indexes, so this is a job). */
export function housekeepingJob(logger: Logger) {
  return async (job: Job) => {
    const purged = await purgeExpiredIdempotencyRecords();
    const claims = await purgeClaimsBefore(new Date(Date.now() - CLAIM_RETENTION_MS));
    logger.info({ jobId: job.id, purged, claims }, 'housekeeping: purged idempotency records and claims');
    return { purged };
  };
}
