import { mkdir } from 'node:fs/promises';
import Redis from 'ioredis';
import type { Config } from './config';
import { connectDatabase, disconnectDatabase, pingDatabase } from './infra/database';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './infra/embedded-database';
import { findRunningEmbeddedDatabase, registerEmbeddedDatabase } from './infra/embedded-registry';
import { ensureRedis, type RedisEndpoint } from './infra/redis';
import type { ReadinessChecks } from './http/health.routes';
import type { Logger } from './logger';

/** The infrastructure a process needs: database, Redis, and how to stop them in order. */
export interface Runtime {
  config: Config;
  logger: Logger;
  databaseUri: string;
  redisUrl: string;
  redis: Redis;
  readiness: ReadinessChecks;
  stop(): Promise<void>;
}

export async function startRuntime(config: Config, logger: Logger): Promise<Runtime> {
  const stack: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stack.reverse()) {
      await step().catch((error: unknown) => logger.warn({ err: String(error) }, 'shutdown step failed'));
    }
  };
  const announce = (message: string) => logger.info(message);

  try {
    await mkdir(config.DATA_DIR, { recursive: true });
    let databaseUri = config.MONGODB_URI ?? (await findRunningEmbeddedDatabase(config.DATA_DIR));
    if (databaseUri && !config.MONGODB_URI) logger.info('using the embedded database another process started on this data folder');
    if (!databaseUri) {
      const embedded: EmbeddedDatabase = await startEmbeddedDatabase({
        dataDir: config.DATA_DIR,
        mongodBin: config.MONGOD_BIN,
        goBin: config.GO_BIN,
        ferretDbPostgresqlUrl: config.FERRETDB_POSTGRESQL_URL,
        announce,
        onOutput: (line) => logger.warn({ component: 'embedded-database' }, line),
      });
      stack.push(() => embedded.stop());
      stack.push(await registerEmbeddedDatabase(config.DATA_DIR, embedded.uri));
      databaseUri = embedded.uri;
      logger.info({ kind: embedded.kind, pid: embedded.process.pid }, 'embedded database started');
    }
    await connectDatabase(databaseUri, config.MONGODB_DB_NAME);
    stack.push(disconnectDatabase);

    const redisEndpoint: RedisEndpoint = await ensureRedis({ url: config.REDIS_URL, dataDir: config.DATA_DIR, announce });
    stack.push(() => redisEndpoint.stop());
    const redis = new Redis(redisEndpoint.url, { maxRetriesPerRequest: 1 });
    redis.on('error', (error) => logger.warn({ err: error.message }, 'redis connection error'));
    stack.push(async () => void redis.disconnect());

    return {
      config,
      logger,
      databaseUri,
      redisUrl: redisEndpoint.url,
      redis,
      readiness: { database: pingDatabase, redis: async () => void (await redis.ping()) },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
