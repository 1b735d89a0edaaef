// `npm run bench:list`: GET /v1/requests?limit=50 over a large requests collection. Starts the service in this
// process on a fresh embedded database (FERRETDB_POSTGRESQL_URL or MONGODB_URI as elsewhere), writes
// BENCH_LIST_REQUESTS (100,000) requests straight into the collection across 100 owners and every stage, builds the
// request index as start-up does, then times pages for one owner, for an admin, with a sparse filter and after a cursor.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { buildApplication } from '../src/composition';
import { loadConfig } from '../src/config';
import { STAGES } from '../src/domain/stages';
import { deleteRedisKeys } from '../src/infra/redis';
import { createQueues } from '../src/jobs/queues';
import { createLogger } from '../src/logger';
import { RequestModel } from '../src/requests/request.model';
import { startRuntime } from '../src/runtime';
import { syntheticData } from './synthetic-data';

const REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 100_000);
const OWNERS = 100;
const CALLS = 100;


const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'consult-bench-list-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    ADMIN_API_KEY: `bench-admin-${randomBytes(12).toString('hex')}`,
    QUEUE_PREFIX: `bench-list-${randomBytes(4).toString('hex')}`,
    RATE_LIMIT_PER_MINUTE: '100000000',
  });
  const logger = createLogger(config.LOG_LEVEL);
  const runtime = await startRuntime(config, logger);
  const queues = createQueues(config, runtime.redisUrl, logger);
  const application = buildApplication({ config, logger, redisUrl: runtime.redisUrl, readiness: runtime.readiness, queues });
  let server: Server | undefined;
  try {
    server = createServer(application.app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async (url: string, key: string) => {
      const response = await fetch(`${base}${url}`, { headers: { Authorization: `Bearer ${key}` } });
      if (!response.ok) throw new Error(`GET ${url} → ${response.status} ${await response.text()}`);
      return response.json() as Promise<{ items?: unknown[]; nextCursor?: string | null }>;
    };
    const admin = config.ADMIN_API_KEY!;
    const created = await fetch(`${base}/v1/api-keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'partner', label: 'bench' }),
    });
    if (!created.ok) throw new Error(`POST /v1/api-keys → ${created.status} ${await created.text()}`);
    const issued = (await created.json()) as { key: string; id: string; ownerId?: string };
    const [partner, partnerOwner] = [issued.key, issued.ownerId ?? issued.id];
    const ownerId = (index: number) => (index % OWNERS === 7 ? partnerOwner : `owner-${index % OWNERS}`);
    const data = syntheticData(20261130);
    const samples = Array.from({ length: 500 }, (_, index) => data.request(index));
    for (let written = 0; written < REQUESTS; written += 1000) {
      const now = new Date();
      await RequestModel.collection.insertMany(
        Array.from({ length: Math.min(1000, REQUESTS - written) }, (_, offset) => {
          const index = written + offset;
          const stage = STAGES[index % STAGES.length]!;
          return { ...samples[index % samples.length]!, ownerId: ownerId(index), stage, history: [{ stage, at: now, actor: { role: 'system' } }], revision: 1, invitedExpertIds: [], invitationIds: [], invitationCount: 0, createdAt: now, updatedAt: now };
        }),
      );
      process.stderr.write(`\rrequests: ${written + 1000 > REQUESTS ? REQUESTS : written + 1000}/${REQUESTS}`);
    }
    process.stderr.write('\n');
    const warmStarted = performance.now();
    const indexed = await application.services.requests.warmUp();
    const warmMs = performance.now() - warmStarted;

    const firstPage = await get('/v1/requests?limit=50', partner);
    const oneId = (firstPage.items![0] as { id: string }).id;

    console.log(`\nRequest list: ${indexed} requests (${REQUESTS / OWNERS} per owner), index built in ${warmMs.toFixed(0)} ms; ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
    const cases: Array<[string, string, string]> = [
      ['one request by id (for scale)', `/v1/requests/${oneId}`, partner],
      ['owner, first page', '/v1/requests?limit=50', partner],
      ['owner, second page', `/v1/requests?limit=50&cursor=${encodeURIComponent(firstPage.nextCursor!)}`, partner],
      ['owner, stage=closed', '/v1/requests?limit=50&stage=closed', partner],
      ['admin, first page', '/v1/requests?limit=50', admin],
      ['admin, stage=closed&country=EE', '/v1/requests?limit=50&stage=closed&country=EE', admin],
    ];
    for (const [name, url, key] of cases) {
      const times: number[] = [];
      let items = 0;
      for (let call = 0; call < CALLS; call += 1) {
        const begun = performance.now();
        items = (await get(url, key)).items?.length ?? 1;
        times.push(performance.now() - begun);
      }
      console.log(`${name.padEnd(34)} ${String(items).padStart(3)} items  p50 ${percentile(times, 50).toFixed(1).padStart(6)} ms  p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms`);
    }
  } finally {
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    application.services.reconciler.stop();
    await queues.close();
    await application.close();
    await runtime.stop();
    await deleteRedisKeys(config.REDIS_URL, `${config.QUEUE_PREFIX}:*`).catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
