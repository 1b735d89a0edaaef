import request from 'supertest';
import { buildApplication } from '../../src/composition';
import { loadConfig } from '../../src/config';
import type { ReadinessChecks } from '../../src/http/health.routes';
import { pingDatabase } from '../../src/infra/database';
import { createQueues } from '../../src/jobs/queues';
import { createLogger } from '../../src/logger';
import { bearer, createExpert } from '../helpers/scenario';
import { startTestContext, testEnvironment, type TestContext, captureLogLines } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

interface LogEntry {
  level: number;
  msg: string;
  err?: unknown;
  req?: { url?: string };
  res?: { statusCode?: number };
  [field: string]: unknown;
}

/** The app on the test's database with a debug-level logger whose lines the test reads; `stop` closes it. */
function appWithCapturedLogs(readiness: ReadinessChecks = { database: pingDatabase }) {
  const { lines, stream: sink } = captureLogLines();
  const config = loadConfig(testEnvironment({ LOG_LEVEL: 'debug', MONGODB_DB_NAME: context.config.MONGODB_DB_NAME, ADMIN_API_KEY: context.adminKey }));
  const logger = createLogger('debug', sink);
  const queues = createQueues(config, config.REDIS_URL, logger);
  const built = buildApplication({ config, logger, redisUrl: config.REDIS_URL, readiness, queues });
  return {
    app: built.app,
    text: () => lines.join('\n'),
    entries: () => lines.map((line) => JSON.parse(line) as LogEntry),
    async stop() {
      await queues.close();
      await built.close();
    },
  };
}

describe('credentials in query strings', () => {
  it.each(['api_key', 'API_KEY', 'apikey', 'key', 'token', 'access_token', 'secret', 'password', 'sig', 'X-Amz-Signature'])(
    'never writes ?%s=… to the log or into a problem',
    async (name) => {
      const logged = appWithCapturedLogs();
      const admin = bearer(context.adminKey);
      const secret = context.adminKey;
      try {
        const expert = await createExpert(context.app, admin);
        // A single-object GET ignores the parameter, a list refuses it (400), and an unknown route 404s.
        await request(logged.app).get(`/v1/experts/${expert.id}?${name}=${secret}`).set(admin).expect(200);
        const refused = await request(logged.app).get(`/v1/experts?${name}=${encodeURIComponent(secret)}&limit=5`).set(admin).expect(400);
        const missing = await request(logged.app).get(`/v1/nothing-here?${name}=${secret}`).set(admin).expect(404);
        for (const body of [refused.body, missing.body]) expect(JSON.stringify(body)).not.toContain(secret);
        expect(missing.body.instance).toBe(`/v1/nothing-here?${name}=[redacted]`);
      } finally {
        await logged.stop();
      }
      expect(logged.text()).not.toContain(secret);
      const urls = logged.entries().flatMap((entry) => (entry.req?.url ? [entry.req.url] : []));
      expect(urls).toContain(`/v1/experts?${name}=[redacted]&limit=5`);
    },
  );

  it('redacts this service\'s own keys under any parameter name', async () => {
    const logged = appWithCapturedLogs();
    const key = `ck_${'0'.repeat(24)}_${'k'.repeat(43)}`;
    try {
      await request(logged.app).get(`/v1/experts?q=${key}`).set(bearer(context.adminKey)).expect(400);
    } finally {
      await logged.stop();
    }
    expect(logged.text()).not.toContain(key);
  });
});

describe('long If-Match values', () => {
  it('are cut short in problem details and logs', async () => {
    const logged = appWithCapturedLogs();
    const admin = bearer(context.adminKey);
    const pasted = `"${'s3cr3t-'.repeat(20)}"`;
    try {
      const expert = await createExpert(context.app, admin);
      const response = await request(logged.app).patch(`/v1/experts/${expert.id}`).set(admin).set('If-Match', pasted).send({ headline: 'Changed' }).expect(412);
      expect(response.body.detail).not.toContain(pasted);
      expect(JSON.stringify(response.body)).not.toContain('s3cr3t-'.repeat(10));
    } finally {
      await logged.stop();
    }
    expect(logged.text()).not.toContain('s3cr3t-'.repeat(10));
  });
});

describe('readiness in the logs', () => {
  it('logs going not-ready once at warn and the recovery once at info; the probes themselves stay below error', async () => {
    let redisUp = false;
    const logged = appWithCapturedLogs({
      database: pingDatabase,
      redis: async () => {
        if (!redisUp) throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
      },
    });
    try {
      for (let i = 0; i < 3; i += 1) {
        const response = await request(logged.app).get('/readyz').expect(503);
        expect(response.body).toMatchObject({ code: 'not_ready', checks: { database: 'ok', redis: 'unavailable' } });
      }
      redisUp = true;
      for (let i = 0; i < 2; i += 1) await request(logged.app).get('/readyz').expect(200);
    } finally {
      await logged.stop();
    }

    const entries = logged.entries();
    expect(entries.filter((entry) => entry.level >= 50)).toEqual([]);
    expect(logged.text()).not.toMatch(/"stack"/);
    const warnings = entries.filter((entry) => entry.level === 40);
    expect(warnings).toEqual([expect.objectContaining({ msg: 'not ready: redis unavailable', unavailable: { redis: 'connect ECONNREFUSED 127.0.0.1:6390' } })]);
    const recoveries = entries.filter((entry) => entry.msg.startsWith('ready again'));
    expect(recoveries).toEqual([expect.objectContaining({ level: 30, previouslyUnavailable: ['redis'] })]);
    const probes = entries.filter((entry) => entry.res?.statusCode === 503);
    expect(probes).toHaveLength(3);
    for (const probe of probes) expect(probe).toMatchObject({ level: 20, msg: 'request completed' });
    for (const probe of probes) expect(probe.err).toBeUndefined();
  });
});
