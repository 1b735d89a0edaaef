import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import type { Express } from 'express';
import type { DestinationStream } from 'pino';
import { buildApplication, type Services } from '../../src/composition';
import { loadConfig, type Config } from '../../src/config';
import type { ReadinessChecks } from '../../src/http/health.routes';
import { connectDatabase, disconnectDatabase, pingDatabase } from '../../src/infra/database';
import { deleteRedisKeys, pingRedis } from '../../src/infra/redis';
import { createQueues, type Queues } from '../../src/jobs/queues';
import { jobHandlers } from '../../src/jobs/workers';
import { createLogger } from '../../src/logger';
import { dropAllDatabases } from '../../src/infra/partitions';

export interface TestContext {
  app: Express;
  config: Config;
  services: Services;
  queues: Queues;
  adminKey: string;
  close(): Promise<void>;
}

export const uniqueSuffix = (): string => randomBytes(6).toString('hex');

/** A stream for a pino logger whose JSON lines the test reads from `lines`. */
export function captureLogLines(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}


export function testEnvironment(overrides: Record<string, string> = {}): Record<string, string> {
  const mongodbUri = process.env.TEST_MONGODB_URI;
  const redisUrl = process.env.TEST_REDIS_URL;
  if (!mongodbUri || !redisUrl) throw new Error('integration tests need the jest global setup (TEST_MONGODB_URI, TEST_REDIS_URL)');
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    MONGODB_URI: mongodbUri,
    MONGODB_DB_NAME: `t_${uniqueSuffix()}`,
    REDIS_URL: redisUrl,
    QUEUE_PREFIX: `test-${uniqueSuffix()}`,
    DATA_DIR: process.env.TEST_DATA_DIR ?? '/tmp',
    ADMIN_API_KEY: `admin-${uniqueSuffix()}-${uniqueSuffix()}`,
    // Mail has its own tests (test/api/mail-*.test.ts with a real SMTP server); elsewhere it would only add jobs.
    MAIL: 'off',
    ...overrides,
  };
}

/** A full application (services, routes, queues under the config's prefix); `close` releases its connections. */
export function buildTestApp(config: Config, readiness?: ReadinessChecks, logTo?: DestinationStream) {
  const logger = createLogger(config.LOG_LEVEL, logTo);
  const queues = createQueues(config, config.REDIS_URL, logger);
  const application = buildApplication({
    config,
    logger,
    redisUrl: config.REDIS_URL,
    readiness: readiness ?? { database: pingDatabase, redis: () => pingRedis(config.REDIS_URL) },
    queues,
  });
  return {
    ...application,
    queues,
    logger,
    async close() {
      application.services.reconciler.stop();
      await queues.close();
      await application.close();
    },
  };
}

/**
 * The real app on the real database and Redis: each test file gets its own database (dropped at the end) and queue
 * prefix. With `workers`, the background jobs run in this process as they do in the service (the periodic
 * reconciler stays off unless a test runs it).
 */
export async function startTestContext(overrides: Record<string, string> = {}, options: { workers?: boolean; logTo?: DestinationStream } = {}): Promise<TestContext> {
  const config = loadConfig(testEnvironment(overrides));
  await connectDatabase(config.MONGODB_URI!, config.MONGODB_DB_NAME);
  const application = buildTestApp(config, undefined, options.logTo);
  await application.services.matching.warmUp();
  if (options.workers) application.queues.startWorkers(jobHandlers(application.services, application.logger, config));
  return {
    app: application.app,
    config,
    services: application.services,
    queues: application.queues,
    adminKey: config.ADMIN_API_KEY!,
    async close() {
      await application.close();
      await deleteRedisKeys(config.REDIS_URL, `${config.QUEUE_PREFIX}:*`);
      await dropAllDatabases();
      await disconnectDatabase();
    },
  };
}
