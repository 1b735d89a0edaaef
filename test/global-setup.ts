import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedDatabase } from '../src/infra/embedded-database';
import { ensureRedis } from '../src/infra/redis';

declare global {
  var __TEST_SERVERS_STOP__: (() => Promise<void>) | undefined;
}

/** One database server and one Redis for the whole run; each test file then uses its own database name and queue prefix. */
export default async function globalSetup(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'consult-test-'));
  const stops: Array<() => Promise<void>> = [];
  const announce = (message: string) => process.stderr.write(`\n${message}\n`);

  if (!process.env.MONGODB_URI) {
    const database = await startEmbeddedDatabase({ dataDir, mongodBin: process.env.MONGOD_BIN, goBin: process.env.GO_BIN, announce });
    stops.push(() => database.stop());
    process.env.TEST_MONGODB_URI = database.uri;
  } else {
    process.env.TEST_MONGODB_URI = process.env.MONGODB_URI;
  }

  const redis = await ensureRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', dataDir, announce });
  stops.push(() => redis.stop());
  process.env.TEST_REDIS_URL = redis.url;
  process.env.TEST_DATA_DIR = dataDir;

  globalThis.__TEST_SERVERS_STOP__ = async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
