// `npm run load`: the HTTP load benchmark. Starts the built service on a fresh embedded database (or targets
// LOAD_TARGET with LOAD_ADMIN_KEY), seeds synthetic experts and requests, and runs each scenario with autocannon,
// next to a baseline: a bare express route reading one document with mongoose from the same database.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { deleteRedisKeys } from '../src/infra/redis';
import { syntheticData } from './synthetic-data';

const root = path.resolve(__dirname, '..');
const DURATION = Number(process.env.LOAD_DURATION_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const EXPERTS = Number(process.env.LOAD_EXPERTS ?? 10_000);
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 1_000);
const children: ChildProcess[] = [];
/** The queue prefix of the service this run starts; its keys are removed from Redis at the end. */
const queuePrefix = `load-${process.pid}`;

async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function start(command: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

async function waitFor(url: string, seconds = 300): Promise<void> {
  for (let i = 0; i < seconds * 4; i += 1) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer`);
}

async function post(base: string, key: string, url: string, body: unknown): Promise<{ id: string; key?: string }> {
  const response = await fetch(`${base}${url}`, { method: 'POST', headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!response.ok) throw new Error(`POST ${url} → ${response.status} ${await response.text()}`);
  return (await response.json()) as { id: string; key?: string };
}

/** Runs `work` over `count` items with `parallel` at a time, printing progress. */
async function inParallel(label: string, count: number, parallel: number, work: (index: number) => Promise<void>): Promise<void> {
  let nextIndex = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (nextIndex < count) {
        const index = nextIndex++;
        await work(index);
        done += 1;
        if (done % 500 === 0 || done === count) process.stderr.write(`\r${label}: ${done}/${count}`);
      }
    }),
  );
  process.stderr.write('\n');
}

/** Waits until the matching jobs the seeding queued have run, so they do not compete with the measurements. */
async function drained(base: string, adminKey: string): Promise<void> {
  for (;;) {
    const metrics = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${adminKey}` } })).text();
    const busy = [...metrics.matchAll(/^queue_jobs\{queue="[^"]+",state="(?:waiting|active)"\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
    process.stderr.write(`\rwaiting for ${busy} background jobs…   `);
    if (busy === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  process.stderr.write('\n');
}

interface Scenario {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  paths?: string[];
}

async function measure(scenario: Scenario) {
  let turn = 0;
  const result = await autocannon({
    url: scenario.url,
    connections: CONNECTIONS,
    duration: DURATION,
    method: scenario.method ?? 'GET',
    headers: scenario.headers,
    body: scenario.body,
    requests: scenario.paths ? [{ setupRequest: (request) => ({ ...request, path: scenario.paths![turn++ % scenario.paths!.length] }) }] : undefined,
  });
  return {
    scenario: scenario.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'consult-load-'));

async function main(): Promise<void> {
  let base = process.env.LOAD_TARGET;
  let adminKey = process.env.LOAD_ADMIN_KEY ?? '';
  if (!base) {
    spawnSync('node', ['tools/build-if-stale.mjs'], { cwd: root, stdio: 'inherit' });
    const port = await freePort();
    adminKey = `load-admin-${randomBytes(16).toString('hex')}`;
    start('node', ['dist/main.js'], { PORT: String(port), DATA_DIR: dataDir, ADMIN_API_KEY: adminKey, LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '100000000', MAX_OPEN_REQUESTS_PER_PARTNER: '100000000', QUEUE_PREFIX: queuePrefix });
    base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`);
  }
  if (!adminKey) throw new Error('LOAD_TARGET needs LOAD_ADMIN_KEY');
  const databaseUri = process.env.MONGODB_URI ?? (JSON.parse(readFileSync(path.join(dataDir, 'embedded-database.json'), 'utf8')) as { uri: string }).uri;

  const data = syntheticData(20261126);
  const run = Date.now().toString(36);
  const partner = await post(base, adminKey, '/v1/api-keys', { role: 'partner', label: 'load benchmark' });
  await inParallel('experts', EXPERTS, 16, async (index) => void (await post(base!, adminKey, '/v1/experts', data.expert(index, run))));
  const requestIds: string[] = [];
  await inParallel('requests', REQUESTS, 16, async (index) => void requestIds.push((await post(base!, partner.key!, '/v1/requests', data.request(index))).id));

  await drained(base, adminKey);
  const baselinePort = await freePort();
  start('node', ['--import', 'tsx', 'tools/load-baseline.ts'], { PORT: String(baselinePort), BASELINE_MONGODB_URI: databaseUri });
  await waitFor(`http://127.0.0.1:${baselinePort}/baseline/requests/${requestIds[0]}`);

  const auth = { Authorization: `Bearer ${partner.key}` };
  const results = [];
  for (const scenario of [
    { name: 'baseline: bare express + mongoose findById', url: `http://127.0.0.1:${baselinePort}`, paths: requestIds.map((id) => `/baseline/requests/${id}`) },
    { name: 'GET /v1/requests/{id}', url: base, headers: auth, paths: requestIds.map((id) => `/v1/requests/${id}`) },
    { name: 'GET /v1/requests/{id}/matches?limit=10', url: base, headers: auth, paths: requestIds.map((id) => `/v1/requests/${id}/matches?limit=10`) },
    { name: 'GET /v1/experts?limit=50', url: `${base}/v1/experts?limit=50`, headers: auth },
    { name: 'POST /v1/requests', url: `${base}/v1/requests`, method: 'POST' as const, headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(data.request(REQUESTS + 1)) },
  ]) {
    process.stderr.write(`measuring ${scenario.name} for ${DURATION} s…\n`);
    results.push(await measure(scenario));
  }

  console.log(`\nLoad benchmark: ${EXPERTS} experts, ${REQUESTS} requests, ${CONNECTIONS} connections, ${DURATION} s per scenario`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
  console.log('scenario'.padEnd(46) + 'req/s'.padStart(8) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'non-2xx'.padStart(9) + 'errors'.padStart(8));
  for (const row of results) {
    console.log(row.scenario.padEnd(46) + String(row.requestsPerSecond).padStart(8) + String(row.p50Ms).padStart(9) + String(row.p99Ms).padStart(9) + String(row.non2xx).padStart(9) + String(row.errors).padStart(8));
  }
  const [baseline, byId] = results;
  const ratio = Math.round((byId!.requestsPerSecond / baseline!.requestsPerSecond) * 1000) / 1000;
  console.log(`GET /v1/requests/{id} keeps ${(ratio * 100).toFixed(1)}% of the baseline's throughput`);
  console.log(JSON.stringify({ experts: EXPERTS, requests: REQUESTS, connections: CONNECTIONS, durationSeconds: DURATION, cpus: os.cpus().length, scenarios: results, requestByIdToBaseline: ratio }));
}

/** Stops the service (which stops its embedded database) and the baseline, then removes the data folder and the queues. */
async function cleanUp(): Promise<void> {
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))))));
  rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.LOAD_TARGET) await deleteRedisKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `${queuePrefix}:*`).catch(() => undefined);
}

main()
  .catch((error: unknown) => {
    console.error(`load benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(cleanUp);
