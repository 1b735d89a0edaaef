import Redis from 'ioredis';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, invitationsOf, requestBody, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { buildTestApp, startTestContext, testEnvironment, type TestContext } from '../helpers/test-context';
import { findFreePort } from '../../src/infra/free-port';
import { loadConfig } from '../../src/config';
import { jobHandlers } from '../../src/jobs/workers';
import { invitationRepository } from '../../src/invitations/invitation.repository';
import { createLogger } from '../../src/logger';
import type { EventType } from '../../src/webhooks/event-types';
import { WebhookEventModel } from '../../src/webhooks/outbox.model';

describe('invitation expiry with a short TTL', () => {
  let context: TestContext;
  let admin: Auth;
  beforeAll(async () => {
    context = await startTestContext({ AUTO_INVITE: 'on', INVITATION_TTL_SECONDS: '1', MAX_INVITATIONS: '2' }, { workers: true });
    admin = bearer(context.adminKey);
  });
  afterAll(() => context.close());

  it('expires each invitation, invites the next expert, and gives up after MAX_INVITATIONS', async () => {
    await Promise.all([1, 2, 3].map(() => createExpert(context.app, admin)));
    const requestId = await submitRequest(context.app, admin);
    await waitForStage(context.app, admin, requestId, 'unmatched', 10000);
    const invitations = await invitationsOf(context.app, admin, requestId);
    expect(invitations.map((invitation) => invitation.status)).toEqual(['expired', 'expired']);
    expect(new Set(invitations.map((invitation) => invitation.expertId)).size).toBe(2);
    const expired = await context.services.invitations.expire(invitations[0]!.id);
    expect(expired).toBeUndefined();
  });
});

describe('jobs run a second time after stopping midway', () => {
  let context: TestContext;
  let admin: Auth;
  beforeAll(async () => {
    context = await startTestContext({ AUTO_INVITE: 'off' }, { workers: true });
    admin = bearer(context.adminKey);
  });
  afterAll(() => context.close());

  const eventsOf = async (requestId: string, type: EventType) => (await WebhookEventModel.find({ requestId, type }).lean()).length;

  it('emits request.matched once, even when the first run stopped before emitting it', async () => {
    await createExpert(context.app, admin);
    const requestId = await submitRequest(context.app, admin);
    await waitForStage(context.app, admin, requestId, 'matched');
    expect(await eventsOf(requestId, 'request.matched')).toBe(1);

    await context.services.consultations.runMatching(requestId);
    expect(await eventsOf(requestId, 'request.matched')).toBe(1);
    await WebhookEventModel.deleteMany({ requestId, type: 'request.matched' });
    await context.services.consultations.runMatching(requestId);
    expect(await eventsOf(requestId, 'request.matched')).toBe(1);
  });

  it('emits invitation.expired when the expiry is run again after stopping before the event', async () => {
    const expert = await createExpert(context.app, admin);
    const requestId = await submitRequest(context.app, admin);
    await waitForStage(context.app, admin, requestId, 'matched');
    const invitation = (await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(admin).send({ expertId: expert.id }).expect(201)).body;
    const due = new Date(Date.parse(invitation.expiresAt) + 1000);
    await context.services.invitations.expire(invitation.id, due);
    expect(await eventsOf(requestId, 'invitation.expired')).toBe(1);

    await WebhookEventModel.deleteMany({ requestId, type: 'invitation.expired' });
    await context.services.invitations.expire(invitation.id, due);
    expect(await eventsOf(requestId, 'invitation.expired')).toBe(1);
    await context.services.invitations.expire(invitation.id, due);
    expect(await eventsOf(requestId, 'invitation.expired')).toBe(1);
  });
});

describe('the reconciler', () => {
  let context: TestContext;
  let admin: Auth;
  beforeAll(async () => {
    context = await startTestContext({ AUTO_INVITE: 'on' });
    admin = bearer(context.adminKey);
  });
  afterAll(() => context.close());

  it('re-enqueues a submitted request whose job was lost when Redis was flushed', async () => {
    await createExpert(context.app, admin);
    const partner = await createKey(context.app, admin, { role: 'partner' });
    const requestId = await submitRequest(context.app, partner);

    const redis = new Redis(context.config.REDIS_URL);
    const keys = await redis.keys(`${context.config.QUEUE_PREFIX}:*`);
    expect(keys.length).toBeGreaterThan(0);
    await redis.del(...keys);
    redis.disconnect();

    context.queues.startWorkers(jobHandlers(context.services, createLogger('silent'), context.config));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await api(context.app).get(`/v1/requests/${requestId}`).set(partner).expect(200)).body.stage).toBe('submitted');

    const counts = await context.services.reconciler.runOnce(new Date(Date.now() + 120_000));
    expect(counts.requests).toBe(1);
    await waitForStage(context.app, partner, requestId, 'invited');
  });
});

describe('the reconciler and a lost follow-up', () => {
  it('moves on a request left invited with no pending invitation', async () => {
    const context = await startTestContext({ AUTO_INVITE: 'on' });
    const admin = bearer(context.adminKey);
    await Promise.all([1, 2].map(() => createExpert(context.app, admin)));
    const requestId = await submitRequest(context.app, admin);
    await context.services.consultations.runMatching(requestId);
    const [first] = await invitationsOf(context.app, admin, requestId, 'pending');
    await invitationRepository.closePending(first!.id, 'declined', new Date());

    const counts = await context.services.reconciler.runOnce();
    expect(counts.stalled).toBe(1);
    const [next] = await invitationsOf(context.app, admin, requestId, 'pending');
    expect(next!.expertId).not.toBe(first!.expertId);
    await context.close();
  });
});

describe('when Redis is down', () => {
  it('still answers 201 to POST /v1/requests, and the work happens once Redis is back', async () => {
    const up = await startTestContext({ AUTO_INVITE: 'on' }, { workers: true });
    const admin = bearer(up.adminKey);
    await createExpert(up.app, admin);

    const deadRedis = `redis://127.0.0.1:${await findFreePort()}`;
    const sameDatabase = { MONGODB_DB_NAME: up.config.MONGODB_DB_NAME, QUEUE_PREFIX: up.config.QUEUE_PREFIX, ADMIN_API_KEY: up.adminKey };
    const down = buildTestApp(loadConfig(testEnvironment({ ...sameDatabase, REDIS_URL: deadRedis })));
    const response = await api(down.app).post('/v1/requests').set(admin).send(requestBody());
    expect(response.status).toBe(201);
    expect(response.body.stage).toBe('submitted');

    await up.services.reconciler.runOnce(new Date(Date.now() + 120_000));
    await waitForStage(up.app, admin, response.body.id, 'invited');
    await down.close();
    await up.close();
  });
});
