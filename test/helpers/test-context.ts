import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import mongoose from 'mongoose';
import { createApp } from '../../src/app';
import { loadConfig, type Config } from '../../src/config';
import { connectDatabase, disconnectDatabase, pingDatabase } from '../../src/infra/database';
import { pingRedis } from '../../src/infra/redis';
import { createLogger } from '../../src/logger';

export interface TestContext {
  app: Express;
  config: Config;
  databaseName: string;
  close(): Promise<void>;
}

export const uniqueSuffix = (): string => randomBytes(6).toString('hex');

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
    ...overrides,
  };
}

/** The real app on the real database: each test file gets its own database, dropped at the end. */
export async function startTestContext(overrides: Record<string, string> = {}): Promise<TestContext> {
  const config = loadConfig(testEnvironment(overrides));
  await connectDatabase(config.MONGODB_URI!, config.MONGODB_DB_NAME);
  const logger = createLogger(config.LOG_LEVEL);
  const app = createApp({
    config,
    logger,
    readiness: { database: pingDatabase, redis: () => pingRedis(config.REDIS_URL) },
  });
  return {
    app,
    config,
    databaseName: config.MONGODB_DB_NAME,
    async close() {
      await mongoose.connection.dropDatabase();
      await disconnectDatabase();
    },
  };
}
