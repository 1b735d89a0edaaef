import express, { type Express } from 'express';
import { Types } from 'mongoose';
import { createApiKeyService } from '../../src/api-keys/api-key.service';
import { loadConfig, type Config } from '../../src/config';
import { expertRepository } from '../../src/experts/expert.repository';
import { expertInputSchema } from '../../src/experts/expert.schemas';
import { authenticate } from '../../src/http/auth';
import { jsonBody } from '../../src/http/json-body';
import { notFoundHandler, problemHandler } from '../../src/http/problem';
import { requestLogging } from '../../src/http/request-logging';
import { mountRoutes } from '../../src/http/route-table';
import { connectDatabase, disconnectDatabase } from '../../src/infra/database';
import { createInvalidationBus, type InvalidationBus } from '../../src/infra/invalidation-bus';
import { createActiveEndpoints } from '../../src/webhooks/active-endpoints';
import { createLogger } from '../../src/logger';
import { createOutbox, type EnqueueDelivery } from '../../src/webhooks/outbox';
import { webhookRoutes } from '../../src/webhooks/webhook.routes';
import { webhookEndpointRepository } from '../../src/webhooks/webhook.repository';
import { createWebhookService } from '../../src/webhooks/webhook.service';
import { api } from '../helpers/contract';
import { buildExpert, type Auth } from '../helpers/factories';
import { bearer } from '../helpers/keys';
import { testEnvironment } from '../helpers/test-context';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { dropAllDatabases } from '../../src/infra/partitions';


const config = loadConfig(testEnvironment({ WEBHOOK_ALLOW_PRIVATE: 'true' }));
const logger = createLogger('silent');
const admin = bearer(config.ADMIN_API_KEY!);
const emitted: Array<[deliveryId: string, attempt: number]> = [];
const recordEnqueue: EnqueueDelivery = async (deliveryId, attempt) => void emitted.push([deliveryId, attempt]);
const bus: InvalidationBus = createInvalidationBus({ redisUrl: config.REDIS_URL, namespace: config.QUEUE_PREFIX, logger });
const endpoints = createActiveEndpoints({ bus });
const outbox = createOutbox({ config, logger, enqueueDelivery: recordEnqueue, endpoints });

let app: Express;
let strictApp: Express;
let apiKeys: ReturnType<typeof createApiKeyService>;
const receivers: WebhookReceiver[] = [];

/** Only the webhook routes, behind the project's own middleware and the real API-key authentication. */
function webhookApp(appConfig: Config): Express {
  const built = express();
  built.use(requestLogging(logger));
  built.use(jsonBody);
  built.use('/v1', authenticate(apiKeys.authenticate));
  mountRoutes(built, webhookRoutes(createWebhookService({ config: appConfig, logger, endpoints })));
  built.use(notFoundHandler);
  built.use(problemHandler);
  return built;
}

beforeAll(async () => {
  await connectDatabase(config.MONGODB_URI!, config.MONGODB_DB_NAME);
  apiKeys = createApiKeyService({ adminApiKey: config.ADMIN_API_KEY, bus, expertExists: expertRepository.exists });
  app = webhookApp(config);
  strictApp = webhookApp({ ...config, WEBHOOK_ALLOW_PRIVATE: false });
});

afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
  await bus.close();
  await dropAllDatabases();
  await disconnectDatabase();
});

interface Key {
  auth: Auth;
  ownerId: string;
}

async function keyFor(role: 'partner' | 'requester' | 'admin'): Promise<Key> {
  const created = await apiKeys.create({ role, label: `${role} key` });
  return { auth: bearer(created.key), ownerId: created.ownerId };
}

async function expertKey(): Promise<Auth> {
  const expert = await expertRepository.insert(new Types.ObjectId().toHexString(), expertInputSchema.parse(buildExpert()));
  return bearer((await apiKeys.create({ role: 'expert', label: 'expert key', expertId: expert.id })).key);
}

const validInput = (overrides: Record<string, unknown> = {}) => ({ url: 'https://93.184.215.14/hooks/consult', events: ['request.matched', 'invitation.accepted'], ...overrides });

async function register(key: Key, overrides: Record<string, unknown> = {}) {
  const response = await api(app).post('/v1/webhooks').set(key.auth).send(validInput(overrides)).expect(201);
  return response.body as { id: string; secret: string; url: string };
}

const errorPaths = (body: { errors?: Array<{ path: string }> }) => (body.errors ?? []).map((error) => error.path).sort();

describe('POST /v1/webhooks', () => {
  it('registers an endpoint and shows its signing secret this once', async () => {
    const partner = await keyFor('partner');
    const response = await api(app).post('/v1/webhooks').set(partner.auth).send(validInput()).expect(201);

    expect(response.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{24}$/),
      url: 'https://93.184.215.14/hooks/consult',
      events: ['request.matched', 'invitation.accepted'],
      scope: 'owner',
      status: 'active',
      secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]+=*$/),
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(Buffer.from(response.body.secret.slice('whsec_'.length), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(response.headers.location).toBe(`/v1/webhooks/${response.body.id}`);

    const read = await api(app).get(`/v1/webhooks/${response.body.id}`).set(partner.auth).expect(200);
    const listed = await api(app).get('/v1/webhooks').set(partner.auth).expect(200);
    expect(read.body).toEqual({ ...response.body, secret: undefined });
    expect(JSON.stringify([read.body, listed.body])).not.toContain(response.body.secret);
  });

  it('gives each endpoint its own secret', async () => {
    const partner = await keyFor('partner');
    const [first, second] = [await register(partner), await register(partner)];
    expect(first.secret).not.toBe(second.secret);
  });

  it('registers an admin key\'s endpoint for every owner\'s events', async () => {
    for (const adminKey of [admin, (await keyFor('admin')).auth]) {
      const response = await api(app).post('/v1/webhooks').set(adminKey).send(validInput()).expect(201);
      expect(response.body.scope).toBe('all');
    }
  });

  it.each([
    ['an ftp URL', 'ftp://93.184.215.14/hooks/consult'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a bare host name', '93.184.215.14'],
  ])('rejects %s with 400 naming url', async (_name, url) => {
    const partner = await keyFor('partner');
    const response = await api(app).post('/v1/webhooks').set(partner.auth).send(validInput({ url })).expect(400);
    expect(response.body.code).toBe('validation_failed');
    expect(errorPaths(response.body)).toEqual(['url']);
  });

  it('rejects an unknown event type, naming its position', async () => {
    const partner = await keyFor('partner');
    const response = await api(app).post('/v1/webhooks').set(partner.auth).send(validInput({ events: ['request.matched', 'expert.deleted'] })).expect(400);
    expect(errorPaths(response.body)).toEqual(['events.1']);
  });

  it.each([
    ['an empty list of events', []],
    ['a repeated event', ['request.closed', 'request.closed']],
  ])('rejects %s', async (_name, events) => {
    const partner = await keyFor('partner');
    const response = await api(app).post('/v1/webhooks').set(partner.auth).send(validInput({ events })).expect(400);
    expect(errorPaths(response.body)).toEqual(['events']);
  });

  it('rejects unknown fields and missing ones, naming each', async () => {
    const partner = await keyFor('partner');
    const response = await api(app).post('/v1/webhooks').set(partner.auth).send({ url: 'https://93.184.215.14/x', secret: 'whsec_mine' }).expect(400);
    expect(errorPaths(response.body)).toEqual(['events', 'secret']);
  });

  it.each([
    ['loopback', 'http://127.0.0.1:8080/hook'],
    ['localhost', 'http://localhost/hook'],
    ['IPv6 loopback', 'http://[::1]/hook'],
    ['a private network', 'https://10.20.30.40/hook'],
    ['a private 172.16/12 address', 'https://172.31.0.1/hook'],
    ['the cloud metadata address', 'http://169.254.169.254/latest/meta-data'],
    ['a carrier-grade NAT address', 'http://100.64.0.1/hook'],
    ['an IPv6 unique local address', 'http://[fd12:3456::1]/hook'],
    ['an IPv4-mapped IPv6 loopback', 'http://[::ffff:127.0.0.1]/hook'],
    ['the unspecified address', 'http://0.0.0.0/hook'],
    ['a documentation address', 'https://203.0.113.10/hook'],
    ['a benchmarking address', 'https://198.18.0.1/hook'],
    ['a multicast address', 'http://224.0.0.1/hook'],
    ['the broadcast address', 'http://255.255.255.255/hook'],
    ['an IPv4-compatible IPv6 loopback', 'http://[::127.0.0.1]/hook'],
    ['a NAT64 address of the loopback', 'http://[64:ff9b::7f00:1]/hook'],
    ['a 6to4 address of a private network', 'http://[2002:a00:1::1]/hook'],
    ['an IPv6 documentation address', 'http://[2001:db8::1]/hook'],
    ['an IPv4-mapped public address', 'http://[::ffff:8.8.8.8]/hook'],
    ['an IPv4-translated address', 'http://[::ffff:0:a00:1]/hook'],
    ['a deprecated site-local address', 'http://[fec0::1]/hook'],
    ['an IPv6 link-local address', 'http://[fe80::1]/hook'],
    ['an IPv6 multicast address', 'http://[ff02::1]/hook'],
    ['the IPv6 unspecified address', 'http://[::]/hook'],
    ['a local-use NAT64 address', 'http://[64:ff9b:1::a00:1]/hook'],
    ['a discard-only address', 'http://[100::1]/hook'],
    ['a Teredo address', 'http://[2001::1]/hook'],
    ['an IPv6 benchmarking address', 'http://[2001:2::1]/hook'],
    ['an ORCHIDv2 address', 'http://[2001:20::1]/hook'],
    ['the new IPv6 documentation block', 'http://[3fff::1]/hook'],
    ['an SRv6 SID address', 'http://[5f00::1]/hook'],
    ['unassigned IPv6 space outside 2000::/3', 'http://[c000::1]/hook'],
    ['the deprecated 6to4 relay anycast', 'http://192.88.99.1/hook'],
    ['an IETF protocol assignment', 'http://192.0.0.9/hook'],
  ])('refuses %s with 422 naming url unless WEBHOOK_ALLOW_PRIVATE is set', async (_name, url) => {
    const partner = await keyFor('partner');
    const response = await api(strictApp).post('/v1/webhooks').set(partner.auth).send(validInput({ url })).expect(422);
    expect(response.body.code).toBe('unprocessable');
    expect(errorPaths(response.body)).toEqual(['url']);
    expect(response.body.detail).not.toMatch(/\d+\.\d+\.\d+\.\d+/);
  });

  it.each([
    ['a public IPv4 address', 'https://93.184.215.14/hook'],
    ['a public IPv6 address next to the IETF block', 'https://[2001:4860:4860::8888]/hook'],
    ['a public IPv6 address', 'https://[2a00:1450:4001:80b::200e]/hook'],
    ['the AS112 IPv6 service (globally reachable)', 'https://[2620:4f:8000::1]/hook'],
    ['the AS112 IPv4 service (globally reachable)', 'https://192.31.196.1/hook'],
  ])('accepts %s without WEBHOOK_ALLOW_PRIVATE', async (_name, url) => {
    const partner = await keyFor('partner');
    const response = await api(strictApp).post('/v1/webhooks').set(partner.auth).send(validInput({ url })).expect(201);
    expect(response.body.url).toBe(url);
  });

  it('is for partners and admins: requester and expert keys get 403, no key 401', async () => {
    await api(app).post('/v1/webhooks').set((await keyFor('requester')).auth).send(validInput()).expect(403);
    await api(app).post('/v1/webhooks').set(await expertKey()).send(validInput()).expect(403);
    const response = await api(app).post('/v1/webhooks').send(validInput()).expect(401);
    expect(response.body.code).toBe('unauthenticated');
  });
});

describe('GET /v1/webhooks', () => {
  it('lists only the caller\'s own endpoints; an admin sees every owner\'s', async () => {
    const [partnerA, partnerB] = [await keyFor('partner'), await keyFor('partner')];
    const [endpointA, endpointB] = [await register(partnerA), await register(partnerB)];

    const listA = await api(app).get('/v1/webhooks').set(partnerA.auth).expect(200);
    expect(listA.body).toEqual({ items: [expect.objectContaining({ id: endpointA.id, scope: 'owner' })], nextCursor: null });

    const all = await api(app).get('/v1/webhooks?limit=100').set(admin).expect(200);
    const ids = all.body.items.map((item: { id: string }) => item.id);
    expect(ids).toEqual(expect.arrayContaining([endpointA.id, endpointB.id]));
  });

  it('pages with limit and cursor', async () => {
    const partner = await keyFor('partner');
    const created = [await register(partner), await register(partner), await register(partner)].map((endpoint) => endpoint.id);

    const first = await api(app).get('/v1/webhooks?limit=2').set(partner.auth).expect(200);
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual(created.slice(0, 2));
    const second = await api(app).get(`/v1/webhooks?limit=2&cursor=${first.body.nextCursor}`).set(partner.auth).expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: created[2] })], nextCursor: null });
  });

  it('rejects a limit over 100 and unknown query parameters', async () => {
    const partner = await keyFor('partner');
    const response = await api(app).get('/v1/webhooks?limit=101&owner=someone').set(partner.auth).expect(400);
    expect(errorPaths(response.body)).toEqual(['limit', 'owner']);
  });

  it('answers 403 to a requester key', async () => {
    await api(app).get('/v1/webhooks').set((await keyFor('requester')).auth).expect(403);
  });
});

describe('GET /v1/webhooks/{id}', () => {
  it('answers the owner and admins; another partner gets 404, requester and expert keys 403, no key 401', async () => {
    const owner = await keyFor('partner');
    const endpoint = await register(owner);
    const path = `/v1/webhooks/${endpoint.id}`;

    await api(app).get(path).set(owner.auth).expect(200);
    await api(app).get(path).set(admin).expect(200);
    const hidden = await api(app).get(path).set((await keyFor('partner')).auth).expect(404);
    expect(hidden.body.code).toBe('not_found');
    await api(app).get(path).set((await keyFor('requester')).auth).expect(403);
    await api(app).get(path).set(await expertKey()).expect(403);
    await api(app).get(path).expect(401);
  });

  it('answers 400 for an id that is not 24 hexadecimal characters, 404 for an unknown one', async () => {
    const partner = await keyFor('partner');
    const response = await api(app).get('/v1/webhooks/not-an-id').set(partner.auth).expect(400);
    expect(errorPaths(response.body)).toEqual(['id']);
    await api(app).get(`/v1/webhooks/${new Types.ObjectId().toHexString()}`).set(partner.auth).expect(404);
  });
});

describe('DELETE /v1/webhooks/{id}', () => {
  it('lets only the owner or an admin remove an endpoint', async () => {
    const owner = await keyFor('partner');
    const [mine, another] = [await register(owner), await register(owner)];

    await api(app).delete(`/v1/webhooks/${mine.id}`).set((await keyFor('partner')).auth).expect(404);
    await api(app).delete(`/v1/webhooks/${mine.id}`).set((await keyFor('requester')).auth).expect(403);
    await api(app).get(`/v1/webhooks/${mine.id}`).set(owner.auth).expect(200);

    await api(app).delete(`/v1/webhooks/${mine.id}`).set(owner.auth).expect(204, '');
    await api(app).get(`/v1/webhooks/${mine.id}`).set(owner.auth).expect(404);
    await api(app).delete(`/v1/webhooks/${mine.id}`).set(owner.auth).expect(404);
    await api(app).delete(`/v1/webhooks/${another.id}`).set(admin).expect(204);
  });

  it('stops the endpoint from getting new events', async () => {
    const owner = await keyFor('partner');
    const endpoint = await register(owner, { events: ['request.closed'] });
    await api(app).delete(`/v1/webhooks/${endpoint.id}`).set(owner.auth).expect(204);

    const requestId = new Types.ObjectId().toHexString();
    await outbox.emit({ type: 'request.closed', requestId, ownerId: owner.ownerId, data: { requestId }, dedupeKey: `request.closed:${requestId}` });
    expect(emitted.filter(([deliveryId]) => deliveryId.endsWith(endpoint.id))).toEqual([]);
  });
});

describe('POST /v1/webhooks/{id}/enable', () => {
  it('makes a disabled endpoint active again, for its owner or an admin only', async () => {
    const owner = await keyFor('partner');
    const endpoint = await register(owner);
    const path = `/v1/webhooks/${endpoint.id}/enable`;
    await webhookEndpointRepository.disable(endpoint.id, new Date());
    expect((await api(app).get(`/v1/webhooks/${endpoint.id}`).set(owner.auth).expect(200)).body.status).toBe('disabled');

    await api(app).post(path).set((await keyFor('partner')).auth).expect(404);
    await api(app).post(path).set((await keyFor('requester')).auth).expect(403);
    await api(app).post(path).expect(401);
    expect((await api(app).get(`/v1/webhooks/${endpoint.id}`).set(admin).expect(200)).body.status).toBe('disabled');

    const enabled = await api(app).post(path).set(owner.auth).expect(200);
    expect(enabled.body).toMatchObject({ id: endpoint.id, status: 'active' });
    expect(enabled.body).not.toHaveProperty('disabledAt');
    expect(enabled.body).not.toHaveProperty('secret');
    expect((await api(app).post(path).set(admin).expect(200)).body.status).toBe('active');
  });

  it('answers 404 for an unknown endpoint', async () => {
    await api(app).post(`/v1/webhooks/${new Types.ObjectId().toHexString()}/enable`).set(admin).expect(404);
  });
});

describe('GET /v1/webhooks/{id}/deliveries', () => {
  async function endpointWithTwoDeliveries() {
    const owner = await keyFor('partner');
    const receiver = await startWebhookReceiver([503]);
    receivers.push(receiver);
    const endpoint = await register(owner, { url: receiver.url, events: ['invitation.accepted'] });
    const emit = async () => {
      const requestId = new Types.ObjectId().toHexString();
      await outbox.emit({ type: 'invitation.accepted', requestId, ownerId: owner.ownerId, data: { requestId, stage: 'accepted' }, dedupeKey: `invitation.accepted:${requestId}` });
      return emitted.findLast(([deliveryId]) => deliveryId.endsWith(endpoint.id))![0];
    };
    const older = await emit();
    await outbox.deliver(older, 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const newer = await emit();
    return { owner, endpoint, older, newer };
  }

  it('lists deliveries newest first with their attempts, status codes, durations and next retry', async () => {
    const { owner, endpoint, older, newer } = await endpointWithTwoDeliveries();

    const response = await api(app).get(`/v1/webhooks/${endpoint.id}/deliveries`).set(owner.auth).expect(200);

    expect(response.body).toEqual({
      items: [
        {
          id: newer,
          eventId: newer.split(':')[0],
          eventType: 'invitation.accepted',
          status: 'pending',
          attempts: [],
          nextAttemptAt: expect.any(String),
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
        {
          id: older,
          eventId: older.split(':')[0],
          eventType: 'invitation.accepted',
          status: 'pending',
          attempts: [{ attempt: 1, at: expect.any(String), durationMs: expect.any(Number), statusCode: 503 }],
          nextAttemptAt: expect.any(String),
          createdAt: expect.any(String),
          updatedAt: expect.any(String),
        },
      ],
    });
    const [, retried] = response.body.items;
    expect(Date.parse(retried.nextAttemptAt)).toBeGreaterThanOrEqual(Date.parse(retried.attempts[0].at) + config.WEBHOOK_RETRY_BASE_MS);
  });

  it('honours limit and refuses one over 100', async () => {
    const { owner, endpoint, newer } = await endpointWithTwoDeliveries();
    const one = await api(app).get(`/v1/webhooks/${endpoint.id}/deliveries?limit=1`).set(owner.auth).expect(200);
    expect(one.body.items.map((item: { id: string }) => item.id)).toEqual([newer]);
    const tooMany = await api(app).get(`/v1/webhooks/${endpoint.id}/deliveries?limit=101`).set(owner.auth).expect(400);
    expect(errorPaths(tooMany.body)).toEqual(['limit']);
  });

  it('hides another owner\'s deliveries (404) and shows them to an admin', async () => {
    const { endpoint } = await endpointWithTwoDeliveries();
    await api(app).get(`/v1/webhooks/${endpoint.id}/deliveries`).set((await keyFor('partner')).auth).expect(404);
    const asAdmin = await api(app).get(`/v1/webhooks/${endpoint.id}/deliveries`).set(admin).expect(200);
    expect(asAdmin.body.items).toHaveLength(2);
  });
});
