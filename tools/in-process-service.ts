// The service started inside a benchmark's own process on a fresh data folder (embedded FerretDB, or MONGODB_URI /
// FERRETDB_POSTGRESQL_URL as elsewhere), listening on a free loopback port, with limits lifted for load.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildApplication } from '../src/composition';
import { loadConfig } from '../src/config';
import { deleteRedisKeys } from '../src/infra/redis';
import { createQueues } from '../src/jobs/queues';
import { startWorkers } from '../src/jobs/workers';
import { createLogger } from '../src/logger';
import { startRuntime } from '../src/runtime';

export interface ApiAnswer {
  id: string;
  key?: string;
  ownerId?: string;
  stage?: string;
  items?: unknown[];
  nextCursor?: string | null;
}

/**
 * Starts the service as `main.ts` does (the matching index warmed; workers when asked; the list indexes are left to
 * the caller, which may fill the database first) and returns its base URL, an API caller
 * that throws on any non-2xx answer, and `stop`, which stops everything and removes the data folder and queue keys.
 */
export async function startInProcessService(name: string, options: { workers: boolean }) {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), `consult-${name}-`));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ADMIN_API_KEY: `${name}-admin-${randomBytes(12).toString('hex')}`,
    QUEUE_PREFIX: `${name}-${randomBytes(4).toString('hex')}`,
    RATE_LIMIT_PER_MINUTE: '100000000',
    MAX_OPEN_REQUESTS_PER_PARTNER: '100000000',
  });
  const logger = createLogger(config.LOG_LEVEL);
  const runtime = await startRuntime(config, logger);
  const queues = createQueues(config, runtime.redisUrl, logger);
  const application = buildApplication({ config, logger, redisUrl: runtime.redisUrl, readiness: runtime.readiness, queues });
  const server = createServer(application.app);
  const stop = async () => {
    await new Promise((resolve) => (server.listening ? server.close(resolve) : resolve(undefined)));
    application.services.reconciler.stop();
    await queues.close();
    await application.close();
    await runtime.stop();
    await deleteRedisKeys(config.REDIS_URL, `${config.QUEUE_PREFIX}:*`).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await application.services.matching.warmUp();
    if (options.workers) await startWorkers(queues, application.services, logger, config);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  } catch (error) {
    await stop();
    throw error;
  }
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (method: string, url: string, key: string, body?: unknown): Promise<ApiAnswer> => {
    const response = await fetch(`${base}${url}`, { method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${await response.text()}`);
    return response.json() as Promise<ApiAnswer>;
  };
  return { config, application, base, call, adminKey: config.ADMIN_API_KEY!, stop };
}
