import type { Job } from 'bull';
import type { Logger } from '../logger';
import { purgeExpiredIdempotencyRecords } from '../idempotency/idempotency.service';
import type { AuditWorkloads } from '../consultations/workload-audit';
import type { AuditOpenRequests } from '../requests/open-request-audit';
import { purgeClaimsBefore } from '../infra/claims';
import { outboxRepository } from '../webhooks/outbox.repository';
import { actionTokenRepository } from '../links/action-token.repository';
import { requestDraftRepository } from '../requests/request-draft.repository';
import { expertDraftRepository } from '../experts/expert-draft.repository';
import { expertSessions } from '../sessions/expert-sessions';

export const HOUSEKEEPING_EVERY_MS = 60 * 60 * 1000;

/** Claims only matter while their writer runs; an hour is far beyond any write. */
const CLAIM_RETENTION_MS = 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
/** An expired link keeps saying "expired" (410) for this long before it becomes unknown (404). */
const EXPIRED_LINK_RETENTION_MS = 30 * DAY_MS;

/**
 * Drops idempotency records past their 24 h window, spent claims, action-link tokens 30 days past their expiry,
 * unconfirmed drafts of the hosted request and join forms past theirs (they hold a contact's or expert's address), expired expert sessions, and
 * webhook deliveries and events that ended more than `webhookRetentionDays` ago (FerretDB has no TTL indexes, so this is a job); then audits the experts' workload
 * counters and the owners' open-request counts against a recount.
 */
export function housekeepingJob(logger: Logger, settings: { webhookRetentionDays: number; auditWorkloads: AuditWorkloads; auditOpenRequests: AuditOpenRequests }) {
  return async (job: Job) => {
    const now = Date.now();
    const idempotencyRecords = await purgeExpiredIdempotencyRecords();
    const claims = await purgeClaimsBefore(new Date(now - CLAIM_RETENTION_MS));
    const actionTokens = await actionTokenRepository.purgeExpiredBefore(new Date(now - EXPIRED_LINK_RETENTION_MS));
    const requestDrafts = await requestDraftRepository.purgeExpiredBefore(new Date(now));
    const expertDrafts = await expertDraftRepository.purgeExpiredBefore(new Date(now));
    const sessions = await expertSessions.purgeExpiredBefore(new Date(now));
    const webhooks = await outboxRepository.purgeFinishedBefore(new Date(now - settings.webhookRetentionDays * DAY_MS));
    const purged = { idempotencyRecords, claims, actionTokens, requestDrafts, expertDrafts, sessions, webhookDeliveries: webhooks.deliveries, webhookEvents: webhooks.events };
    const workloads = await settings.auditWorkloads();
    const openRequests = await settings.auditOpenRequests();
    logger.info({ jobId: job.id, ...purged, workloads, openRequests }, 'housekeeping: purged what has expired, audited counters');
    return { ...purged, workloads, openRequests };
  };
}
