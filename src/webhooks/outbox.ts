import { createHash } from 'node:crypto';
import type { Config } from '../config';
import type { LifecycleEventMessage } from '../events';
import type { Logger } from '../logger';
import { attemptId, outboxRepository, type AttemptRecord, type DeliveryRecord } from './outbox.repository';
import { retryDelayMs, verdictOf } from './retry-policy';
import { signatureHeaders } from './signing';
import { sendWebhook } from './webhook-sender';
import type { ActiveEndpoints } from './active-endpoints';
import { webhookEndpointRepository, type WebhookEndpointRecord } from './webhook.repository';
import { webhookDeliveries } from '../infra/metrics';

/** `data` carries ids, stages and times only: it is sent to partners and kept in the outbox, never personal data. */
export type OutboxEvent = LifecycleEventMessage;
/** `deferred`: the same attempt again, after a busy endpoint made it wait (the job id must differ from the running one's). */
export type EnqueueDelivery = (deliveryId: string, attempt: number, delayMs: number, deferred?: boolean) => Promise<void>;
export type Outbox = ReturnType<typeof createOutbox>;

/** Also the `webhook-id` partners see: the same for every attempt, so they can drop a message they already handled. */
export const eventIdFor = (dedupeKey: string): string => `evt_${createHash('sha256').update(dedupeKey).digest('hex').slice(0, 32)}`;
export const deliveryIdFor = (eventId: string, endpointId: string): string => `${eventId}:${endpointId}`;

/** Deliveries sent at once to one endpoint by one process, so a slow endpoint cannot hold every worker slot. */
export const MAX_IN_FLIGHT_PER_ENDPOINT = 2;
/** A delivery for a busy endpoint is tried again after this long, plus up to as much again at random. */
export const BUSY_ENDPOINT_RETRY_MS = 250;

const receives = (event: OutboxEvent) => (endpoint: WebhookEndpointRecord) =>
  endpoint.events.includes(event.type) && (endpoint.scope === 'all' || endpoint.ownerId === event.ownerId);

export function createOutbox(deps: { config: Config; logger: Logger; enqueueDelivery: EnqueueDelivery; endpoints: ActiveEndpoints; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'webhooks' });

  async function enqueue(deliveryId: string, attempt: number, delayMs: number, deferred = false): Promise<void> {
    try {
      await deps.enqueueDelivery(deliveryId, attempt, delayMs, deferred);
    } catch (error) {
      log.warn({ deliveryId, attempt, err: String(error) }, 'webhook delivery not enqueued: the reconciler will retry');
    }
  }

  /** The event as first stored: an emit again of the same dedupe key gets the first one's endpoints, not today's. */
  async function storedEvent(event: OutboxEvent) {
    const endpointIds = (await deps.endpoints.list()).filter(receives(event)).map((endpoint) => endpoint.id);
    const { type, requestId, ownerId, data } = event;
    return outboxRepository.insertEvent({ id: eventIdFor(event.dedupeKey), type, requestId, ownerId, data, occurredAt: now(), endpointIds });
  }

  /** Sends attempt `n` and records it; undefined when there is no longer anything to send or anywhere to send it. */
  async function attempt(delivery: DeliveryRecord, n: number): Promise<AttemptRecord | undefined> {
    const [endpoint, event] = await Promise.all([webhookEndpointRepository.findById(delivery.endpointId), outboxRepository.findEvent(delivery.eventId)]);
    if (!endpoint || endpoint.status !== 'active' || !event) return undefined;
    const body = JSON.stringify({ type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });
    const at = now();
    const outcome = await sendWebhook({
      url: endpoint.url,
      headers: signatureHeaders(endpoint.secret, event.id, at, body),
      body,
      timeoutMs: deps.config.WEBHOOK_TIMEOUT_MS,
      allowPrivate: deps.config.WEBHOOK_ALLOW_PRIVATE,
    });
    return outboxRepository.insertAttempt({ id: attemptId(delivery.id, n), deliveryId: delivery.id, endpointId: endpoint.id, attempt: n, at, ...outcome });
  }

  const inFlightByEndpoint = new Map<string, number>();
  const sending = new Set<string>();

  /**
   * `attempt`, unless this process is already sending this delivery (that run finishes it: 'skipped') or already sends
   * MAX_IN_FLIGHT_PER_ENDPOINT deliveries to its endpoint ('deferred': the same attempt is queued again shortly, not
   * counted as an attempt).
   */
  async function attemptUnlessBusy(delivery: DeliveryRecord, n: number): Promise<AttemptRecord | undefined | 'skipped' | 'deferred'> {
    if (sending.has(delivery.id)) return 'skipped';
    const inFlight = inFlightByEndpoint.get(delivery.endpointId) ?? 0;
    if (inFlight >= MAX_IN_FLIGHT_PER_ENDPOINT) {
      log.debug({ deliveryId: delivery.id, attempt: n }, 'webhook delivery deferred: its endpoint is busy');
      await enqueue(delivery.id, n, BUSY_ENDPOINT_RETRY_MS + Math.round(Math.random() * BUSY_ENDPOINT_RETRY_MS), true);
      return 'deferred';
    }
    sending.add(delivery.id);
    inFlightByEndpoint.set(delivery.endpointId, inFlight + 1);
    try {
      return await attempt(delivery, n);
    } finally {
      sending.delete(delivery.id);
      const left = (inFlightByEndpoint.get(delivery.endpointId) ?? 1) - 1;
      if (left > 0) inFlightByEndpoint.set(delivery.endpointId, left);
      else inFlightByEndpoint.delete(delivery.endpointId);
    }
  }

  /** Applies a recorded attempt to its delivery. Safe to repeat: a run interrupted after recording is finished by the next one. */
  async function settle(delivery: DeliveryRecord, recorded: AttemptRecord): Promise<void> {
    const verdict = verdictOf(recorded.statusCode);
    webhookDeliveries.inc({ outcome: verdict });
    log.info({ deliveryId: delivery.id, attempt: recorded.attempt, statusCode: recorded.statusCode, error: recorded.error, verdict }, 'webhook attempt');
    if (verdict === 'gone') {
      await webhookEndpointRepository.disable(delivery.endpointId, now());
      await deps.endpoints.changed();
    }
    if (verdict !== 'failed' || recorded.attempt >= deps.config.WEBHOOK_MAX_ATTEMPTS) {
      const status = verdict === 'delivered' ? 'delivered' : 'failed';
      await outboxRepository.updateDelivery(delivery.id, { status, attemptCount: recorded.attempt, nextAttemptAt: null });
      return;
    }
    const failedAt = recorded.at.getTime() + recorded.durationMs;
    const nextAttemptAt = new Date(failedAt + retryDelayMs(recorded.attempt, deps.config.WEBHOOK_RETRY_BASE_MS));
    await outboxRepository.updateDelivery(delivery.id, { attemptCount: recorded.attempt, nextAttemptAt });
    await enqueue(delivery.id, recorded.attempt + 1, Math.max(0, nextAttemptAt.getTime() - now().getTime()));
  }

  return {
    /** Records the event and one delivery per subscribed active endpoint, then enqueues them. Emitting the same dedupe key again changes nothing. */
    async emit(event: OutboxEvent): Promise<void> {
      const stored = await storedEvent(event);
      // Deliveries already there are skipped: a repeated emit only completes what an interrupted one left out.
      await Promise.all(
        stored.endpointIds.map(async (endpointId) => {
          const id = deliveryIdFor(stored.id, endpointId);
          const delivery = { id, eventId: stored.id, endpointId, eventType: stored.type, status: 'pending' as const, attemptCount: 0, nextAttemptAt: stored.occurredAt };
          if (await outboxRepository.insertDelivery(delivery)) await enqueue(id, 1, 0);
        }),
      );
    },

    /**
     * The job body. Does nothing for a finished delivery or an attempt that is not the next one; defers the attempt
     * while its endpoint is busy in this process.
     */
    async deliver(deliveryId: string, attemptNumber: number): Promise<void> {
      const delivery = await outboxRepository.findDelivery(deliveryId);
      if (!delivery || delivery.status !== 'pending' || delivery.attemptCount + 1 !== attemptNumber) return;
      const recorded = (await outboxRepository.findAttempt(deliveryId, attemptNumber)) ?? (await attemptUnlessBusy(delivery, attemptNumber));
      if (recorded === 'skipped' || recorded === 'deferred') return;
      if (recorded) {
        await settle(delivery, recorded);
        return;
      }
      log.info({ deliveryId }, 'webhook delivery cancelled: the endpoint is disabled or removed');
      await outboxRepository.updateDelivery(deliveryId, { status: 'cancelled', nextAttemptAt: null });
    },

    /** The reconciler: enqueues the next attempt of every pending delivery that is due, e.g. because its job was lost. */
    async reenqueueDue(at: Date = now()): Promise<number> {
      const due = await outboxRepository.findDue(at);
      await Promise.all(due.map((delivery) => enqueue(delivery.id, delivery.attemptCount + 1, 0)));
      return due.length;
    },
  };
}
