import request, { type Response } from 'supertest';
import { loadConfig } from '../../src/config';
import { api } from '../helpers/contract';
import { bearer, createExpert } from '../helpers/scenario';
import { buildTestApp, startTestContext, testEnvironment, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

/** An app of its own (own limiter counters) on the same database, with RATE_LIMIT_PER_MINUTE=2: 2 per key, 20 per address. */
function smallLimitApp() {
  return buildTestApp(loadConfig(testEnvironment({ RATE_LIMIT_PER_MINUTE: '2', MONGODB_DB_NAME: context.config.MONGODB_DB_NAME, ADMIN_API_KEY: context.adminKey })));
}

const LIMIT_PROBLEM = { type: '/problems/rate-limited', status: 429, code: 'rate_limited', detail: 'Rate limit exceeded; retry after the number of seconds in Retry-After' };

function expectRefusalHeaders(response: Response, limit: number): void {
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(response.headers['ratelimit']).toMatch(new RegExp(`^limit=${limit}, remaining=0, reset=\\d+$`));
  expect(response.headers['ratelimit-policy']).toBe(`${limit};w=60`);
  const retryAfter = Number(response.headers['retry-after']);
  expect(Number.isInteger(retryAfter) && retryAfter >= 0 && retryAfter <= 60).toBe(true);
  expect(response.headers['cache-control']).toBe('no-store');
}

describe('rate limits', () => {
  it('per key: RateLimit fields on every answer, then 429 with Retry-After and the rate-limited problem', async () => {
    const limited = smallLimitApp();
    try {
      const admin = bearer(context.adminKey);
      const first = await api(limited.app).get('/v1/experts').set(admin).expect(200);
      expect(first.headers['ratelimit']).toMatch(/^limit=2, remaining=1, reset=\d+$/);
      expect(first.headers['ratelimit-policy']).toBe('2;w=60');
      await api(limited.app).get('/v1/experts').set(admin).expect(200);
      const refused = await api(limited.app).get('/v1/experts').set(admin).expect(429);
      expectRefusalHeaders(refused, 2);
      expect(refused.body).toMatchObject(LIMIT_PROBLEM);
    } finally {
      await limited.close();
    }
  });

  it('per address: the same headers and problem, before the key is checked or the body read', async () => {
    const limited = smallLimitApp();
    try {
      for (let i = 0; i < 20; i += 1) await request(limited.app).get('/v1/experts').expect(401);
      const refused = await api(limited.app).get('/v1/experts').set(bearer(context.adminKey)).expect(429);
      expectRefusalHeaders(refused, 20);
      expect(refused.body).toMatchObject(LIMIT_PROBLEM);
      // Malformed JSON would be a 400 if it were parsed first.
      const withBody = await request(limited.app).post('/v1/experts').set(bearer(context.adminKey)).set('Content-Type', 'application/json').send('{"name": ').expect(429);
      expect(withBody.body.code).toBe('rate_limited');
    } finally {
      await limited.close();
    }
  });
});

describe('request bodies', () => {
  it('are not read without a valid key: malformed, oversized or non-JSON bodies get 401', async () => {
    const bodies: Array<[contentType: string, body: string]> = [
      ['application/json', '{"name": '],
      ['application/json', JSON.stringify({ text: 'x'.repeat(200 * 1024) })],
      ['text/plain', 'hello'],
    ];
    for (const [contentType, body] of bodies) {
      for (const auth of [{}, bearer('ck_000000000000000000000000_not-a-key-at-all-not-a-key-at-all-not-a-k')]) {
        const response = await request(context.app).post('/v1/experts').set(auth).set('Content-Type', contentType).send(body).expect(401);
        expect(response.body.code).toBe('unauthenticated');
      }
    }
  });
});

describe('Cache-Control', () => {
  it('is no-store on authenticated answers, on 401s and on every problem', async () => {
    const admin = bearer(context.adminKey);
    const expert = await createExpert(context.app, admin);
    const read = await api(context.app).get(`/v1/experts/${expert.id}`).set(admin).expect(200);
    expect(read.headers['cache-control']).toBe('no-store');
    const unauthenticated = await api(context.app).get(`/v1/experts/${expert.id}`).expect(401);
    expect(unauthenticated.headers['cache-control']).toBe('no-store');
    const missing = await request(context.app).get('/no/such/page').expect(404);
    expect(missing.headers['cache-control']).toBe('no-store');
    const metrics = await request(context.app).get('/metrics').set(admin).expect(200);
    expect(metrics.headers['cache-control']).toBe('no-store');
    const board = await request(context.app).get('/admin/queues/api/queues').set(admin).expect(200);
    expect(board.headers['cache-control']).toBe('no-store');
  });

  it('is left to caches on public documents and the liveness probe', async () => {
    for (const path of ['/healthz', '/openapi.yaml']) {
      const response = await request(context.app).get(path).expect(200);
      expect(response.headers['cache-control']).toBeUndefined();
    }
  });
});
