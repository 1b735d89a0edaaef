import request from 'supertest';
import { bearer, createKey } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

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
      ['consultation-reminder', 'housekeeping', 'invitation-expiry', 'match-request', 'webhook-delivery'],
    );
  });
});
