import request from 'supertest';
import { loadConfig } from '../../src/config';
import { pingDatabase } from '../../src/infra/database';
import { createLogger } from '../../src/logger';
import { buildApplication } from '../../src/composition';
import { createQueues } from '../../src/jobs/queues';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey } from '../helpers/scenario';
import { startTestContext, testEnvironment, type TestContext, captureLogLines } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

describe('GET /metrics', () => {
  it('gives admins Prometheus text labelled by route template, not by raw URL', async () => {
    const admin = bearer(context.adminKey);
    const expert = await createExpert(context.app, admin);
    await api(context.app).get(`/v1/experts/${expert.id}`).set(admin).expect(200);
    const response = await api(context.app).get('/metrics').set(admin).expect(200);
    expect(response.text).toMatch(/http_request_duration_seconds_count\{method="GET",route="\/v1\/experts\/:id",status="200"\} \d+/);
    expect(response.text).not.toContain(expert.id);
    expect(response.text).toMatch(/queue_jobs\{queue="match-request",state="waiting"\}/);
    expect(response.text).toContain('process_cpu_seconds_total');
  });

  it('is closed to everyone else on the public port', async () => {
    await api(context.app).get('/metrics').expect(401);
    const partner = await createKey(context.app, bearer(context.adminKey), { role: 'partner' });
    await api(context.app).get('/metrics').set(partner).expect(403);
  });
});

describe('logs', () => {
  it('are JSON lines with the request id and carry no keys, e-mails or bios', async () => {
    const { lines, stream: sink } = captureLogLines();
    const config = loadConfig(testEnvironment({ LOG_LEVEL: 'debug', MONGODB_DB_NAME: context.config.MONGODB_DB_NAME, ADMIN_API_KEY: context.adminKey }));
    const logger = createLogger('debug', sink);
    const queues = createQueues(config, config.REDIS_URL, logger);
    const logged = buildApplication({ config, logger, redisUrl: config.REDIS_URL, readiness: { database: pingDatabase }, queues });
    const email = 'private.person@example.org';
    const bio = 'A very personal biography that must never reach a log line.';
    await request(logged.app)
      .post('/v1/experts')
      .set(bearer(context.adminKey))
      .set('X-Request-Id', 'log-test-1')
      .send({ name: 'Private Person', email, bio, skills: ['ceramics'], languages: ['sv'], location: { country: 'SE' } })
      .expect(201);
    await request(logged.app).post('/v1/experts').set(bearer(context.adminKey)).send({ email: 'not-an-email' }).expect(400);
    await queues.close();
    await logged.close();

    expect(lines.length).toBeGreaterThan(0);
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed.some((entry) => (entry.req as { id?: string } | undefined)?.id === 'log-test-1')).toBe(true);
    const everything = lines.join('\n');
    for (const secret of [email, bio, context.adminKey]) expect(everything).not.toContain(secret);
  });
});
