import type { Express } from 'express';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { bearer, createKey } from '../helpers/scenario';
import { buildTestApp, startTestContext, testEnvironment, type TestContext } from '../helpers/test-context';

// The queue board is an HTML application outside the JSON API (and outside openapi.yaml), so plain supertest.
let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

describe('/admin/queues', () => {
  it('asks a browser for credentials when none are sent', async () => {
    const response = await request(context.app).get('/admin/queues').expect(401);
    expect(response.headers['www-authenticate']).toMatch(/^Basic realm="queues"/);
  });

  it('refuses a partner key with 403', async () => {
    const partner = await createKey(context.app, bearer(context.adminKey), { role: 'partner' });
    await request(context.app).get('/admin/queues').set(partner).expect(403);
  });

  it('shows the board to an admin, by bearer key or as the Basic password', async () => {
    const page = await request(context.app).get('/admin/queues').set(bearer(context.adminKey)).expect(200);
    expect(page.text).toMatch(/<html/i);
    const basic = Buffer.from(`admin:${context.adminKey}`).toString('base64');
    const queues = await request(context.app).get('/admin/queues/api/queues').set('Authorization', `Basic ${basic}`).expect(200);
    expect(queues.body.queues.map((queue: { name: string }) => queue.name).sort()).toEqual(
      ['consultation-reminder', 'housekeeping', 'invitation-expiry', 'invitation-reminder', 'mail-delivery', 'mail-record', 'match-request', 'webhook-delivery'],
    );
  });
});

describe('state-changing board requests from another site', () => {
  const basicAdmin = () => `Basic ${Buffer.from(`admin:${context.adminKey}`).toString('base64')}`;
  const waitingHousekeeping = async () => (await context.queues.queue('housekeeping').getJobCounts()).waiting;
  const addJob = (app: Express) => request(app).post('/admin/queues/api/queues/housekeeping/add').send({ name: 'board-test', data: {} });

  it.each([
    ['a foreign Origin', { Origin: 'https://attacker.example' }],
    ['Origin: null', { Origin: 'null' }],
    ['an Origin with another port', { Origin: 'http://board.example:8081' }],
    ['Sec-Fetch-Site: cross-site', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site', { 'Sec-Fetch-Site': 'same-site' }],
  ])('refuses %s with 403 problem+json, even with an admin\'s Basic credentials, and adds no job', async (_name, headers) => {
    const before = await waitingHousekeeping();
    const response = await addJob(context.app).set('Host', 'board.example:8080').set('Authorization', basicAdmin()).set(headers).expect(403);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 403, code: 'forbidden' });
    expect(response.body.detail).toMatch(/^Refused: a POST from another (origin|site)/);
    expect(await waitingHousekeeping()).toBe(before);
  });

  it('accepts a same-origin browser request and adds the job', async () => {
    const before = await waitingHousekeeping();
    await addJob(context.app)
      .set('Host', 'board.example:8080')
      .set('Origin', 'http://board.example:8080')
      .set('Sec-Fetch-Site', 'same-origin')
      .set('Authorization', basicAdmin())
      .expect(200);
    expect(await waitingHousekeeping()).toBe(before + 1);
  });

  it('accepts Origin: null with Sec-Fetch-Site: same-origin, as a page under Referrer-Policy: no-referrer posts its own form', async () => {
    const before = await waitingHousekeeping();
    await addJob(context.app).set('Origin', 'null').set('Sec-Fetch-Site', 'same-origin').set('Authorization', basicAdmin()).expect(200);
    expect(await waitingHousekeeping()).toBe(before + 1);
  });

  it('accepts a script with a Bearer key and neither header', async () => {
    const before = await waitingHousekeeping();
    await addJob(context.app).set(bearer(context.adminKey)).expect(200);
    expect(await waitingHousekeeping()).toBe(before + 1);
  });

  it('lets a cross-site GET through: reading changes nothing', async () => {
    await request(context.app).get('/admin/queues/api/queues').set('Authorization', basicAdmin()).set('Sec-Fetch-Site', 'cross-site').expect(200);
  });

  it('judges the origin by the forwarded scheme and host only when TRUST_PROXY is set', async () => {
    const behindProxy = async (trustProxy: 'true' | 'false') => {
      const built = buildTestApp(loadConfig(testEnvironment({ TRUST_PROXY: trustProxy, QUEUE_PREFIX: context.config.QUEUE_PREFIX, ADMIN_API_KEY: context.adminKey })));
      try {
        return await addJob(built.app)
          .set('Host', '10.0.0.5:3000')
          .set('X-Forwarded-Proto', 'https')
          .set('X-Forwarded-Host', 'board.example')
          .set('Origin', 'https://board.example')
          .set('Authorization', basicAdmin());
      } finally {
        await built.close();
      }
    };
    const before = await waitingHousekeeping();
    expect((await behindProxy('true')).status).toBe(200);
    expect((await behindProxy('false')).status).toBe(403);
    expect(await waitingHousekeeping()).toBe(before + 1);
  });
});
