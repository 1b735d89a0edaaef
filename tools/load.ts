// `npm run load`: the load benchmark, start to finish in one command. Builds the service if stale, starts it (workers
// on, mail to a real local SMTP server) on a fresh embedded database (FERRETDB_POSTGRESQL_URL for the PostgreSQL
// backend), seeds synthetic experts through the API, pushes a burst of submissions through matching and
// auto-invite (the pipeline's throughput), runs the HTTP scenarios with autocannon beside a bare express + mongoose
// baseline, and times experts accepting their invitations with mail on against a second instance with MAIL=off.
// LOAD_TARGET with LOAD_ADMIN_KEY targets a running service instead (no baseline without MONGODB_URI, no MAIL=off).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deleteRedisKeys } from '../src/infra/redis';
import { prepareAccepts, runAcceptRounds, type Api } from './load-accept';
import { startChild, startSmtpSinkProcess, stopChildren, waitFor } from './load-processes';
import { report } from './load-report';
import { drained, measure, type Scenario, type ScenarioResult } from './load-scenarios';
import { burstThroughPipeline } from './pipeline-burst';
import { inParallel } from './progress';
import { syntheticData } from './synthetic-data';

const root = path.resolve(__dirname, '..');
const DURATION = Number(process.env.LOAD_DURATION_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 32);
const EXPERTS = Number(process.env.LOAD_EXPERTS ?? 1_000);
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 80);
const ACCEPT_CONNECTIONS = Number(process.env.LOAD_ACCEPT_CONNECTIONS ?? 8);
const CONTACT_LANGUAGES = ['en', 'pl', 'de', 'lt', 'sv'] as const;
/** The queue prefix of the services this run starts; its keys are removed from Redis at the end. */
const queuePrefix = `load-${process.pid}`;
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'consult-load-'));
const began = performance.now();
const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;

const api: (base: string) => Api = (base) => async (method, url, key, body) => {
  const response = await fetch(`${base}${url}`, { method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
};

/**
 * Starts the service with mail to the SMTP sink; the instances that take the accepts come later
 * (startAcceptInstances), once the data is in.
 */
async function startServices() {
  const building = performance.now();
  spawnSync('node', ['tools/build-if-stale.mjs'], { cwd: root, stdio: 'inherit' });
  const buildSeconds = (performance.now() - building) / 1000;
  const smtp = await startSmtpSinkProcess();
  const adminKey = `load-admin-${randomBytes(16).toString('hex')}`;
  const common = { DATA_DIR: dataDir, ADMIN_API_KEY: adminKey, LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '100000000', MAX_OPEN_REQUESTS_PER_PARTNER: '100000000', QUEUE_PREFIX: queuePrefix };
  const port = await startChild('node', ['dist/main.js'], { ...common, SMTP_URL: smtp.url });
  const base = `http://127.0.0.1:${port}`;
  await waitFor(`${base}/readyz`);
  // Two more instances on the same database and queues (they find the embedded database through the data folder),
  // alike but for mail and without workers of their own: the first instance's workers run the jobs of both, so
  // neither answers accepts beside the jobs and the two differ only in what mail adds.
  const startAcceptInstances = async () => {
    const bases = [];
    for (const mail of [{ SMTP_URL: smtp.url }, { MAIL: 'off' }] as Array<Record<string, string>>) {
      const instancePort = await startChild('node', ['dist/main.js'], { ...common, ...mail, WORKERS: 'off' });
      await waitFor(`http://127.0.0.1:${instancePort}/readyz`);
      bases.push(`http://127.0.0.1:${instancePort}`);
    }
    return { mailOn: bases[0]!, mailOff: bases[1]! };
  };
  const databaseUri = (JSON.parse(readFileSync(path.join(dataDir, 'embedded-database.json'), 'utf8')) as { uri: string }).uri;
  return { base, adminKey, databaseUri, smtp, buildSeconds, startAcceptInstances };
}

async function main(): Promise<void> {
  const target = process.env.LOAD_TARGET;
  const started = target
    ? { base: target, adminKey: process.env.LOAD_ADMIN_KEY ?? '', databaseUri: process.env.MONGODB_URI, smtp: undefined, buildSeconds: 0, startAcceptInstances: undefined }
    : await startServices();
  const { base, adminKey } = started;
  if (!adminKey) throw new Error('LOAD_TARGET needs LOAD_ADMIN_KEY');
  const call = api(base);
  const must = async (method: string, url: string, key: string, body?: unknown) => {
    const answer = await call(method, url, key, body);
    if (answer.status >= 300) throw new Error(`${method} ${url} → ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body as { id: string; key?: string; stage?: string };
  };

  const data = syntheticData(20261126);
  const run = Date.now().toString(36);
  const request = (index: number) => ({ ...data.request(index), contact: { name: `Contact ${index}`, email: `contact.${run}.${index}@example.org`, language: CONTACT_LANGUAGES[index % 5] } });
  const partner = await must('POST', '/v1/api-keys', adminKey, { role: 'partner', label: 'load benchmark' });
  const seeding = performance.now();
  await inParallel('seeding experts', EXPERTS, 16, async (index) => void (await must('POST', '/v1/experts', adminKey, data.expert(index, run))));
  const seedSeconds = (performance.now() - seeding) / 1000;
  await drained(base, adminKey, 'after seeding');

  const burst = await burstThroughPipeline({
    label: 'burst',
    count: REQUESTS,
    parallel: CONNECTIONS,
    submit: async (index) => (await must('POST', '/v1/requests', partner.key!, request(index))).id,
    stageOf: async (id) => (await must('GET', `/v1/requests/${id}`, partner.key!)).stage,
    timeoutMs: 15 * 60_000,
  });
  await drained(base, adminKey, 'after the burst');
  const prepared = await prepareAccepts(call, adminKey, partner.key!, burst.ids);
  const acceptInstances = await started.startAcceptInstances?.();
  await drained(base, adminKey, 'before the scenarios');

  const results: ScenarioResult[] = [];
  const timed = async (scenario: Scenario) => void results.push(await measure(scenario, CONNECTIONS, DURATION));
  const auth = { Authorization: `Bearer ${partner.key}` };
  const { databaseUri } = started;
  if (databaseUri) {
    const baselinePort = await startChild('node', ['--import', 'tsx', 'tools/load-baseline.ts'], { BASELINE_MONGODB_URI: databaseUri });
    await waitFor(`http://127.0.0.1:${baselinePort}/baseline/requests/${burst.ids[0]}`);
    await timed({ name: 'baseline: bare express + mongoose findById', url: `http://127.0.0.1:${baselinePort}`, paths: burst.ids.map((id) => `/baseline/requests/${id}`) });
  }
  await timed({ name: 'GET /v1/requests/{id}', url: base, headers: auth, paths: burst.ids.map((id) => `/v1/requests/${id}`) });
  await timed({ name: 'GET /v1/requests/{id}/matches?limit=10', url: base, headers: auth, paths: burst.ids.map((id) => `/v1/requests/${id}/matches?limit=10`) });
  await timed({ name: 'GET /v1/experts?limit=50', url: `${base}/v1/experts?limit=50`, headers: auth });
  await timed({ name: 'GET /v1/requests?limit=50', url: `${base}/v1/requests?limit=50`, headers: auth });

  const modes = acceptInstances
    ? [
        { name: 'accept, mail on (SMTP)', base: acceptInstances.mailOn },
        { name: 'accept, MAIL=off', base: acceptInstances.mailOff },
      ]
    : [{ name: 'accept (the target as configured)', base }];
  const accepts = await runAcceptRounds(modes, prepared.accepts, ACCEPT_CONNECTIONS, base, adminKey);
  // Last: every submission queues a matching job that outlives the scenario.
  await timed({ name: 'POST /v1/requests', url: `${base}/v1/requests`, method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: JSON.stringify(request(REQUESTS + 1)) });

  const database = target ? 'LOAD_TARGET' : process.env.FERRETDB_POSTGRESQL_URL ? 'embedded FerretDB (PostgreSQL)' : 'embedded FerretDB (SQLite)';
  const settings = { database, experts: EXPERTS, requests: REQUESTS, connections: CONNECTIONS, durationSeconds: DURATION, acceptConnections: ACCEPT_CONNECTIONS };
  report(settings, { results, burst, seedSeconds, buildSeconds: started.buildSeconds, prepared, accepts, mailsReceived: started.smtp?.received(), wholeRunSeconds: (performance.now() - began) / 1000 });
}

/** Stops the services (the first stops the embedded database), the baseline and the SMTP server, then removes the data folder and the queues. */
async function cleanUp(): Promise<void> {
  await stopChildren();
  rmSync(dataDir, { recursive: true, force: true });
  if (!process.env.LOAD_TARGET) await deleteRedisKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `${queuePrefix}:*`).catch(() => undefined);
}

// Interrupted (Ctrl-C): the services, their embedded database and the queues still go.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(1)));

main()
  .catch((error: unknown) => {
    console.error(`load benchmark failed after ${elapsed()}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  })
  .finally(cleanUp);
