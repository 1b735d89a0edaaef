import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { findFreePort } from './free-port';
import { startProcess, waitUntilReady, type ManagedProcess } from './managed-process';

const execFileAsync = promisify(execFile);

export async function pingRedis(url: string, timeoutMs = 1000): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    disconnectTimeout: 50,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
  } finally {
    client.disconnect();
  }
}

/** Removes the keys matching `pattern` (a run's own prefix, never anything else), scanning rather than KEYS. */
export async function deleteRedisKeys(redisUrl: string, pattern: string): Promise<void> {
  const redis = new Redis(redisUrl);
  try {
    for await (const keys of redis.scanStream({ match: pattern, count: 500 }) as AsyncIterable<string[]>) {
      if (keys.length > 0) await redis.del(...keys);
    }
  } finally {
    redis.disconnect();
  }
}

async function hasRedisServer(): Promise<boolean> {
  try {
    await execFileAsync('redis-server', ['--version']);
    return true;
  } catch {
    return false;
  }
}

export interface RedisEndpoint {
  url: string;
  /** Set when this process started its own redis-server. */
  process?: ManagedProcess;
  stop(): Promise<void>;
}

/** Uses the configured Redis, or starts a private redis-server under the data folder when none answers. */
export async function ensureRedis(options: { url: string; dataDir: string; announce: (message: string) => void }): Promise<RedisEndpoint> {
  try {
    await pingRedis(options.url);
    return { url: options.url, stop: async () => undefined };
  } catch (error) {
    if (!(await hasRedisServer())) {
      throw new Error(`Redis at ${options.url} is unreachable (${String(error)}) and redis-server is not installed: start Redis or set REDIS_URL.`);
    }
  }
  const port = await findFreePort();
  const dir = path.join(options.dataDir, 'redis');
  await mkdir(dir, { recursive: true });
  options.announce(`Redis at ${options.url} is unreachable; starting redis-server on 127.0.0.1:${port}`);
  const child = startProcess({
    command: 'redis-server',
    args: ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
  });
  const url = `redis://127.0.0.1:${port}`;
  try {
    await waitUntilReady('redis-server', () => pingRedis(url), child, 10000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { url, process: child, stop: () => child.stop() };
}
