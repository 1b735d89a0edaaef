import type { Queue } from 'bull';
import { Types } from 'mongoose';
import { Webhook, WebhookVerificationError } from 'standardwebhooks';
import { loadConfig } from '../../src/config';
import type { Principal } from '../../src/http/principal';
import { connectDatabase, disconnectDatabase } from '../../src/infra/database';
import { createInvalidationBus, type InvalidationBus } from '../../src/infra/invalidation-bus';
import { deleteRedisKeys } from '../../src/infra/redis';
import { createQueueSystem, type QueueSystem } from '../../src/jobs/queue-system';
import { webhookDeliveryJobId } from '../../src/jobs/scheduler';
import { webhookDeliveryJob } from '../../src/jobs/webhook-delivery.job';
import { createLogger } from '../../src/logger';
import type { EventType } from '../../src/webhooks/event-types';
import { createActiveEndpoints } from '../../src/webhooks/active-endpoints';
import { createOutbox, deliveryIdFor, eventIdFor, MAX_IN_FLIGHT_PER_ENDPOINT, type EnqueueDelivery, type Outbox, type OutboxEvent } from '../../src/webhooks/outbox';
import { attemptId, outboxRepository } from '../../src/webhooks/outbox.repository';
import { newSigningSecret } from '../../src/webhooks/signing';
import { createWebhookService } from '../../src/webhooks/webhook.service';
import { testEnvironment, uniqueSuffix } from '../helpers/test-context';
import { startWebhookReceiver, unusedLocalUrl, type Reply, type WebhookReceiver } from '../helpers/webhook-receiver';
import { dropAllDatabases } from '../../src/infra/partitions';

const RETRY_BASE_MS = 50;
const MAX_ATTEMPTS = 4;
const config = loadConfig(
  testEnvironment({
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_RETRY_BASE_MS: String(RETRY_BASE_MS),
    WEBHOOK_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    WEBHOOK_TIMEOUT_MS: '2000',
  }),
);
const logger = createLogger('silent');
const bus: InvalidationBus = createInvalidationBus({ redisUrl: config.REDIS_URL, namespace: config.QUEUE_PREFIX, logger });
const endpoints = createActiveEndpoints({ bus });
const webhooks = createWebhookService({ config, logger, endpoints });
const admin: Principal = { role: 'admin', keyId: 'env-admin', ownerId: 'env-admin' };

/**
 * What the service's enqueue function does: a deterministic job id and no bull-level retries (the outbox schedules
 * them). Finished jobs are dropped, since bull ignores an add whose job id it still holds, even a finished one.
 */
const enqueueOn =
  (queue: Queue): EnqueueDelivery =>
  async (deliveryId, attempt, delayMs, deferred) =>
    void (await queue.add({ deliveryId, attempt }, { jobId: webhookDeliveryJobId(deliveryId, attempt, deferred), delay: delayMs, attempts: 1, removeOnComplete: true, removeOnFail: true }));

/** An enqueue function that only remembers its calls: the test runs `deliver` itself. */
function recordingEnqueue() {
  const calls: Array<[deliveryId: string, attempt: number, delayMs: number]> = [];
  const enqueue: EnqueueDelivery = async (deliveryId, attempt, delayMs) => void calls.push([deliveryId, attempt, delayMs]);
  return { calls, enqueue };
}

let queues: QueueSystem<'webhook-delivery'>;
let outbox: Outbox;
const receivers: WebhookReceiver[] = [];
const jobPayloads: unknown[] = [];

beforeAll(async () => {
  await connectDatabase(config.MONGODB_URI!, config.MONGODB_DB_NAME);
  queues = createQueueSystem({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, names: ['webhook-delivery'] as const, logger });
  outbox = createOutbox({ config, logger, enqueueDelivery: enqueueOn(queues.queue('webhook-delivery')), endpoints });
  const deliveryJob = webhookDeliveryJob(outbox);
  queues.startWorkers({
    'webhook-delivery': (job) => {
      jobPayloads.push(job.data);
      return deliveryJob(job);
    },
  });
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await queues.close();
  await bus.close();
  await deleteRedisKeys(config.REDIS_URL, `${config.QUEUE_PREFIX}:*`);
  await dropAllDatabases();
  await disconnectDatabase();
});

async function receiver(...replies: Reply[]): Promise<WebhookReceiver> {
  const started = await startWebhookReceiver(replies.length > 0 ? replies : undefined);
  receivers.push(started);
  return started;
}

const partner = (): Principal => ({ role: 'partner', keyId: uniqueSuffix(), ownerId: new Types.ObjectId().toHexString() });

function eventFor(ownerId: string, type: EventType = 'request.matched'): OutboxEvent {
  const requestId = new Types.ObjectId().toHexString();
  return { type, requestId, ownerId, data: { requestId, stage: 'matched', candidates: 3 }, dedupeKey: `${type}:${requestId}:2` };
}

/** Emits a fresh event of `owner` through `emitter` and returns the id of its delivery to `endpointId`. */
async function emitFor(emitter: Outbox, owner: Principal, endpointId: string, type: EventType = 'request.matched'): Promise<string> {
  const event = eventFor(owner.ownerId, type);
  await emitter.emit(event);
  return deliveryIdFor(eventIdFor(event.dedupeKey), endpointId);
}

async function eventually<Value>(read: () => Promise<Value>, done: (value: Value) => boolean, timeoutMs = 5000): Promise<Value> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const deliveriesOf = (principal: Principal, endpointId: string) => webhooks.deliveries(principal, endpointId, 100);
const settledDeliveries = (principal: Principal, endpointId: string, count = 1) =>
  eventually(
    () => deliveriesOf(principal, endpointId),
    (list) => list.length === count && list.every((delivery) => delivery.status !== 'pending'),
  );

describe('webhook delivery', () => {
  it('signs each delivery so that a Standard Webhooks library verifies the raw body', async () => {
    const hook = await receiver(204);
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: hook.url, events: ['request.matched'] });
    const event = eventFor(owner.ownerId);

    await outbox.emit(event);
    const [received] = await hook.waitFor(1);
    const headers = received!.headers as Record<string, string>;

    expect(new Webhook(endpoint.secret).verify(received!.body, headers)).toEqual({ type: 'request.matched', timestamp: expect.any(String), data: event.data });
    expect(headers['webhook-id']).toBe(eventIdFor(event.dedupeKey));
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(() => new Webhook(newSigningSecret()).verify(received!.body, headers)).toThrow(WebhookVerificationError);

    const [delivery] = await settledDeliveries(owner, endpoint.id);
    expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 1, nextAttemptAt: null, attempts: [{ attempt: 1, statusCode: 204 }] });
    expect(jobPayloads).toContainEqual({ deliveryId: delivery!.id, attempt: 1 });
    expect(JSON.stringify(jobPayloads)).not.toContain(event.requestId);
  });

  it('does nothing when a finished delivery or an attempt that is not the next one is run again', async () => {
    const hook = await receiver(200);
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: hook.url, events: ['request.matched'] });
    await outbox.emit(eventFor(owner.ownerId));
    const [delivery] = await settledDeliveries(owner, endpoint.id);

    await outbox.deliver(delivery!.id, 1);
    await outbox.deliver(delivery!.id, 2);
    await outbox.deliver('evt_unknown:000000000000000000000000', 1);
    expect(hook.received).toHaveLength(1);
  });

  it('retries with exponential backoff until the receiver answers 2xx', async () => {
    const hook = await receiver(500, 500, 200);
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: hook.url, events: ['request.matched'] });

    await outbox.emit(eventFor(owner.ownerId));
    const [delivery] = await settledDeliveries(owner, endpoint.id);

    expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 3, nextAttemptAt: null });
    expect(delivery!.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 500, 200]);
    const [first, second, third] = delivery!.attempts.map((attempt) => attempt.at.getTime());
    expect(second! - first!).toBeGreaterThanOrEqual(RETRY_BASE_MS);
    expect(third! - second!).toBeGreaterThanOrEqual(RETRY_BASE_MS * 4);
    expect(new Set(hook.received.map((request) => request.headers['webhook-id'])).size).toBe(1);
  });

  it('counts network errors as failed attempts and gives up after WEBHOOK_MAX_ATTEMPTS', async () => {
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: await unusedLocalUrl(), events: ['request.matched'] });

    await outbox.emit(eventFor(owner.ownerId));
    const [delivery] = await settledDeliveries(owner, endpoint.id);

    expect(delivery).toMatchObject({ status: 'failed', attemptCount: MAX_ATTEMPTS, nextAttemptAt: null });
    expect(delivery!.attempts).toHaveLength(MAX_ATTEMPTS);
    for (const attempt of delivery!.attempts) {
      expect(attempt.statusCode).toBeUndefined();
      expect(attempt.error).toMatch(/ECONNREFUSED/);
    }
  });

  it('abandons an attempt after WEBHOOK_TIMEOUT_MS', async () => {
    const hook = await receiver('no answer');
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: hook.url, events: ['request.matched'] });
    const { calls, enqueue } = recordingEnqueue();
    const impatient = createOutbox({ config: { ...config, WEBHOOK_TIMEOUT_MS: 200 }, logger, enqueueDelivery: enqueue, endpoints });

    const deliveryId = await emitFor(impatient, owner, endpoint.id);
    await impatient.deliver(deliveryId, 1);

    const [delivery] = await deliveriesOf(owner, endpoint.id);
    expect(hook.received).toHaveLength(1);
    expect(delivery).toMatchObject({ status: 'pending', attemptCount: 1, attempts: [{ attempt: 1, error: 'timed out after 200 ms' }] });
    expect(delivery!.attempts[0]!.durationMs).toBeGreaterThanOrEqual(190);
    expect(calls).toContainEqual([deliveryId, 2, expect.any(Number)]);
    await webhooks.remove(owner, endpoint.id);
  });

  it('disables the endpoint on 410 Gone and sends it nothing more until it is re-enabled', async () => {
    const gone = await receiver(410);
    const active = await receiver(204);
    const owner = partner();
    const goneEndpoint = await webhooks.register(owner, { url: gone.url, events: ['invitation.created'] });
    const activeEndpoint = await webhooks.register(owner, { url: active.url, events: ['invitation.created'] });

    await outbox.emit(eventFor(owner.ownerId, 'invitation.created'));
    const [goneDelivery] = await settledDeliveries(owner, goneEndpoint.id);
    expect(goneDelivery).toMatchObject({ status: 'failed', attemptCount: 1, attempts: [{ statusCode: 410 }] });
    expect(await webhooks.get(owner, goneEndpoint.id)).toMatchObject({ status: 'disabled', disabledAt: expect.any(Date) });

    await outbox.emit(eventFor(owner.ownerId, 'invitation.created'));
    await active.waitFor(2);
    expect(gone.received).toHaveLength(1);
    expect(await deliveriesOf(owner, goneEndpoint.id)).toHaveLength(1);
    await settledDeliveries(owner, activeEndpoint.id, 2);

    const enabled = await webhooks.enable(owner, goneEndpoint.id);
    expect(enabled.status).toBe('active');
    expect(enabled).not.toHaveProperty('disabledAt');
    await outbox.emit(eventFor(owner.ownerId, 'invitation.created'));
    await gone.waitFor(2);
    expect(await settledDeliveries(owner, goneEndpoint.id, 2)).toHaveLength(2);
  });

  it('delivers an event emitted twice with the same dedupe key once', async () => {
    const hook = await receiver(204);
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: hook.url, events: ['request.matched'] });
    const event = eventFor(owner.ownerId);
    const other = eventFor(owner.ownerId);

    await Promise.all([outbox.emit(event), outbox.emit({ ...event })]);
    await outbox.emit({ ...event, data: { changed: true } });
    await outbox.emit(other);

    await settledDeliveries(owner, endpoint.id, 2);
    const ids = hook.received.map((request) => request.headers['webhook-id']);
    expect(ids.sort()).toEqual([eventIdFor(event.dedupeKey), eventIdFor(other.dedupeKey)].sort());
  });

  it('sends an owner only the events of its own requests; an admin endpoint receives every owner\'s', async () => {
    const [hookA, hookB, hookAdmin] = await Promise.all([receiver(), receiver(), receiver()]);
    const [ownerA, ownerB] = [partner(), partner()];
    const endpointA = await webhooks.register(ownerA, { url: hookA.url, events: ['consultation.scheduled'] });
    const endpointB = await webhooks.register(ownerB, { url: hookB.url, events: ['consultation.scheduled'] });
    const adminEndpoint = await webhooks.register(admin, { url: hookAdmin.url, events: ['consultation.scheduled'] });
    const [eventA, eventB] = [eventFor(ownerA.ownerId, 'consultation.scheduled'), eventFor(ownerB.ownerId, 'consultation.scheduled')];

    await Promise.all([outbox.emit(eventA), outbox.emit(eventB)]);

    await settledDeliveries(admin, adminEndpoint.id, 2);
    const [deliveriesA, deliveriesB] = await Promise.all([settledDeliveries(ownerA, endpointA.id), settledDeliveries(ownerB, endpointB.id)]);
    expect(deliveriesA.map((delivery) => delivery.eventId)).toEqual([eventIdFor(eventA.dedupeKey)]);
    expect(deliveriesB.map((delivery) => delivery.eventId)).toEqual([eventIdFor(eventB.dedupeKey)]);
    expect(hookA.received.map((request) => request.headers['webhook-id'])).toEqual([eventIdFor(eventA.dedupeKey)]);
    expect(hookAdmin.received).toHaveLength(2);
    await webhooks.remove(admin, adminEndpoint.id);
  });

  it('refuses at delivery time a URL that now resolves to a private address, without sending', async () => {
    const hook = await receiver(204);
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: hook.url, events: ['request.matched'] });
    const { calls, enqueue } = recordingEnqueue();
    const strict = createOutbox({ config: { ...config, WEBHOOK_ALLOW_PRIVATE: false }, logger, enqueueDelivery: enqueue, endpoints });

    const deliveryId = await emitFor(strict, owner, endpoint.id);
    await strict.deliver(deliveryId, 1);

    const [delivery] = await deliveriesOf(owner, endpoint.id);
    expect(hook.received).toHaveLength(0);
    expect(delivery!.attempts).toEqual([expect.objectContaining({ attempt: 1, error: expect.stringMatching(/^not sent: .*private/) })]);
    expect(delivery!.attempts[0]!.statusCode).toBeUndefined();
    expect(calls).toContainEqual([deliveryId, 2, expect.any(Number)]);
    await webhooks.remove(owner, endpoint.id);
  });

  it('finishes the bookkeeping of an attempt recorded by a run that stopped, without sending again', async () => {
    const hook = await receiver(204);
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: hook.url, events: ['request.matched'] });
    const stopped = createOutbox({ config, logger, enqueueDelivery: recordingEnqueue().enqueue, endpoints });
    const deliveryId = await emitFor(stopped, owner, endpoint.id);
    await outboxRepository.insertAttempt({ id: attemptId(deliveryId, 1), deliveryId, endpointId: endpoint.id, attempt: 1, at: new Date(), durationMs: 12, statusCode: 200 });

    await stopped.deliver(deliveryId, 1);

    expect(hook.received).toHaveLength(0);
    expect(await deliveriesOf(owner, endpoint.id)).toEqual([expect.objectContaining({ status: 'delivered', attemptCount: 1 })]);
  });
});

describe('delivery slots', () => {
  it('lets a slow endpoint hold at most MAX_IN_FLIGHT_PER_ENDPOINT slots, deferring its other deliveries uncounted', async () => {
    const timeoutMs = 8000;
    const slowConfig = { ...config, WEBHOOK_TIMEOUT_MS: timeoutMs };
    const slotQueues = createQueueSystem({ redisUrl: config.REDIS_URL, prefix: `${config.QUEUE_PREFIX}:slots`, names: ['webhook-delivery'] as const, logger });
    const slotOutbox = createOutbox({ config: slowConfig, logger, enqueueDelivery: enqueueOn(slotQueues.queue('webhook-delivery')), endpoints });
    slotQueues.startWorkers({ 'webhook-delivery': webhookDeliveryJob(slotOutbox) });
    const [slow, fast] = [await receiver('no answer'), await receiver(204)];
    const [slowOwner, fastOwner] = [partner(), partner()];
    const slowEndpoint = await webhooks.register(slowOwner, { url: slow.url, events: ['request.matched'] });
    const fastEndpoint = await webhooks.register(fastOwner, { url: fast.url, events: ['request.matched'] });

    try {
      const started = Date.now();
      for (let i = 0; i < 4; i += 1) await slotOutbox.emit(eventFor(slowOwner.ownerId));
      for (let i = 0; i < 4; i += 1) await slotOutbox.emit(eventFor(fastOwner.ownerId));

      await fast.waitFor(4, timeoutMs / 2);
      expect(Date.now() - started).toBeLessThan(timeoutMs);
      const delivered = await settledDeliveries(fastOwner, fastEndpoint.id, 4);
      expect(delivered.map((delivery) => delivery.status)).toEqual(['delivered', 'delivered', 'delivered', 'delivered']);
      expect(slow.received.length).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_ENDPOINT);
      const waiting = await deliveriesOf(slowOwner, slowEndpoint.id);
      expect(waiting.map((delivery) => [delivery.status, delivery.attemptCount, delivery.attempts.length])).toEqual(Array(4).fill(['pending', 0, 0]));
    } finally {
      await webhooks.remove(slowOwner, slowEndpoint.id);
      await slow.close();
      await slotQueues.close();
    }
  });
});

describe('the webhook reconciler (reenqueueDue)', () => {
  it('sends a delivery whose enqueue failed at emit time; emit itself does not fail', async () => {
    const hook = await receiver(204);
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: hook.url, events: ['request.cancelled'] });
    const redisDown = createOutbox({ config, logger, enqueueDelivery: () => Promise.reject(new Error('Redis is down')), endpoints });

    await expect(redisDown.emit(eventFor(owner.ownerId, 'request.cancelled'))).resolves.toBeUndefined();
    expect(await deliveriesOf(owner, endpoint.id)).toEqual([expect.objectContaining({ status: 'pending', attemptCount: 0 })]);

    expect(await outbox.reenqueueDue()).toBeGreaterThanOrEqual(1);
    await hook.waitFor(1);
    await settledDeliveries(owner, endpoint.id);
  });

  it('re-sends a pending delivery whose job was lost from Redis', async () => {
    const hook = await receiver(204);
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: hook.url, events: ['request.closed'] });
    // A second queue on its own prefix with no worker: its job waits in Redis until the test deletes it.
    const lostPrefix = `test-${uniqueSuffix()}`;
    const lostQueue = createQueueSystem({ redisUrl: config.REDIS_URL, prefix: lostPrefix, names: ['webhook-delivery'] as const, logger }).queue('webhook-delivery');
    try {
      await createOutbox({ config, logger, enqueueDelivery: enqueueOn(lostQueue), endpoints }).emit(eventFor(owner.ownerId, 'request.closed'));
      expect(await lostQueue.getJobCounts()).toMatchObject({ waiting: 1 });
      await deleteRedisKeys(config.REDIS_URL, `${lostPrefix}:*`);
      expect(await lostQueue.getJobCounts()).toMatchObject({ waiting: 0 });

      expect(await outbox.reenqueueDue()).toBeGreaterThanOrEqual(1);
      await hook.waitFor(1);
      expect(await settledDeliveries(owner, endpoint.id)).toEqual([expect.objectContaining({ status: 'delivered' })]);
    } finally {
      await lostQueue.close();
      await deleteRedisKeys(config.REDIS_URL, `${lostPrefix}:*`);
    }
  });

  it('leaves deliveries that are not due yet alone', async () => {
    const owner = partner();
    const endpoint = await webhooks.register(owner, { url: await unusedLocalUrl(), events: ['consultation.reminder'] });
    const { calls, enqueue } = recordingEnqueue();
    const recorder = createOutbox({ config, logger, enqueueDelivery: enqueue, endpoints });
    const deliveryId = await emitFor(recorder, owner, endpoint.id, 'consultation.reminder');

    const callsFor = () => calls.filter(([id]) => id === deliveryId);
    await recorder.reenqueueDue(new Date(Date.now() - 60_000));
    expect(callsFor()).toEqual([[deliveryId, 1, 0]]);
    await recorder.reenqueueDue();
    expect(callsFor()).toEqual([
      [deliveryId, 1, 0],
      [deliveryId, 1, 0],
    ]);
    await webhooks.remove(owner, endpoint.id);
  });
});
