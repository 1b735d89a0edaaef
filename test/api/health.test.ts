import request from 'supertest';
import { loadConfig } from '../../src/config';
import { findFreePort } from '../../src/infra/free-port';
import { pingRedis } from '../../src/infra/redis';
import { pingDatabase } from '../../src/infra/database';
import { buildTestApp, startTestContext, testEnvironment, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

describe('GET /healthz', () => {
  it('answers 200 while the process is alive', async () => {
    const response = await request(context.app).get('/healthz').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('answers 200 when the database and Redis answer', async () => {
    const response = await request(context.app).get('/readyz').expect(200);
    expect(response.body).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok' } });
  });

  it('answers 503 problem+json naming the dependency that is down', async () => {
    const deadPort = await findFreePort();
    const { app, close } = buildTestApp(loadConfig(testEnvironment()), {
      database: pingDatabase,
      redis: () => pingRedis(`redis://127.0.0.1:${deadPort}`, 300),
    });
    const response = await request(app).get('/readyz').expect(503).expect('Content-Type', /application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 503, code: 'not_ready', checks: { database: 'ok', redis: 'unavailable' } });
    await close();
  });
});

describe('errors as problem+json', () => {
  it('answers an unknown route with 404 problem+json', async () => {
    const response = await request(context.app).get('/no/such/route').expect(404).expect('Content-Type', /application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 404, code: 'not_found', title: 'Not found', instance: '/no/such/route' });
    expect(response.body.detail).toContain('GET /no/such/route');
  });

  // Bodies are read only behind authentication, so these go to an API route with the admin key.
  it('answers malformed JSON with 400 problem+json and no stack trace', async () => {
    const response = await request(context.app)
      .post('/v1/experts')
      .set('Authorization', `Bearer ${context.adminKey}`)
      .set('Content-Type', 'application/json')
      .send('{"name": ')
      .expect(400)
      .expect('Content-Type', /application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 400, code: 'malformed_json' });
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await request(context.app)
      .post('/v1/experts')
      .set('Authorization', `Bearer ${context.adminKey}`)
      .set('Content-Type', 'text/plain')
      .send('hello')
      .expect(415);
    expect(response.body.code).toBe('unsupported_media_type');
  });

  it('refuses a body over 100 kB with 413', async () => {
    const big = JSON.stringify({ text: 'x'.repeat(101 * 1024) });
    const response = await request(context.app)
      .post('/v1/experts')
      .set('Authorization', `Bearer ${context.adminKey}`)
      .set('Content-Type', 'application/json')
      .send(big)
      .expect(413);
    expect(response.body.code).toBe('payload_too_large');
  });
});

describe('request ids', () => {
  it('echoes a caller X-Request-Id in the response and in problems', async () => {
    const response = await request(context.app).get('/missing').set('X-Request-Id', 'partner-abc.123').expect(404);
    expect(response.headers['x-request-id']).toBe('partner-abc.123');
    expect(response.body.requestId).toBe('partner-abc.123');
  });

  it('replaces an unsafe X-Request-Id with a generated one', async () => {
    const response = await request(context.app).get('/healthz').set('X-Request-Id', 'bad id <script>').expect(200);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets helmet security headers', async () => {
    const response = await request(context.app).get('/healthz').expect(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['x-powered-by']).toBeUndefined();
  });
});
