// Where a submission's time goes: runs the service in this process on a fresh embedded database (or MONGODB_URI),
// fills it, then submits a burst over HTTP and prints, per step of matching and auto-invite, the database round trips
// and their time. Usage: npm run profile:pipeline (PROFILE_EXPERTS, PROFILE_REQUESTS, PROFILE_BURST, PROFILE_IDLE).
import os from 'node:os';
import { observeDatabaseOperations, tallyDatabaseOperations, type DatabaseOperation } from '../src/infra/db-metrics';
import { matchRankingDuration } from '../src/infra/metrics';
import { requestRepository, type StoredRequestInput } from '../src/requests/request.repository';
import { startInProcessService } from './in-process-service';
import { syntheticData } from './synthetic-data';

const EXPERTS = Number(process.env.PROFILE_EXPERTS ?? 3000);
const EARLIER_REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 500);
const BURST = Number(process.env.PROFILE_BURST ?? 200);
const IDLE = Number(process.env.PROFILE_IDLE ?? 10);
const SETTLED = new Set(['invited', 'unmatched']);

/** Which step of the pipeline a round trip serves, by the collection it touches (rank needs none). */
function stepOf({ collection, op }: DatabaseOperation): string {
  if (collection === 'claims') return 'claim';
  if (collection.startsWith('webhook_')) return 'outbox';
  if (collection === 'expert_workloads') return 'workload';
  if (collection === 'experts') return 'directory';
  if (collection === 'owner_open_requests') return 'quota';
  if (collection === 'idempotency_records' || collection === 'api_keys') return 'http';
  return op === 'find' || op === 'getMore' ? 'read' : 'write';
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};

async function inParallel(count: number, parallel: number, work: (index: number) => Promise<void>, label: string): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: parallel }, async () => {
      while (next < count) {
        await work(next++);
        done += 1;
        if (done % 100 === 0 || done === count) process.stderr.write(`\r${label}: ${done}/${count}`);
      }
    }),
  );
  process.stderr.write('\n');
}

async function main(): Promise<void> {
  const service = await startInProcessService('profile', { workers: true });
  try {
    const { application, call } = service;
    await application.services.requests.warmUp();
    await application.services.invitations.warmUp();
    const admin = service.adminKey;
    const data = syntheticData(20261129);
    const run = Date.now().toString(36);
    const partner = (await call('POST', '/v1/api-keys', admin, { role: 'partner', label: 'profile' })).key!;

    await inParallel(EXPERTS, 16, async (index) => void (await call('POST', '/v1/experts', admin, data.expert(index, run))), 'experts');
    // Earlier requests only fill the collection (what list queries and scans pay for): stored closed, no pipeline work.
    await inParallel(EARLIER_REQUESTS, 16, async (index) => {
      await application.services.requestStore.insert(partner, data.request(index) as StoredRequestInput, { stage: 'closed', at: new Date(), actor: { role: 'system' } });
    }, 'earlier requests');

    // The profiler's own polling is tallied apart, so it is not counted as the pipeline's work.
    const polling: DatabaseOperation[] = [];
    const settle = (ids: string[], timeoutMs: number) =>
      tallyDatabaseOperations(async () => {
        const deadline = Date.now() + timeoutMs;
        for (const id of ids) {
          for (;;) {
            if (SETTLED.has((await requestRepository.findById(id))?.stage ?? '')) break;
            if (Date.now() > deadline) throw new Error(`request ${id} did not reach invited or unmatched in time`);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      }, polling);

    const idle: number[] = [];
    for (let index = 0; index < IDLE; index += 1) {
      const started = performance.now();
      const { id } = await call('POST', '/v1/requests', partner, data.request(EARLIER_REQUESTS + index));
      await settle([id], 60_000);
      idle.push(performance.now() - started);
    }

    // Every round trip of the burst, whoever made it (HTTP handlers, jobs, the reconciler).
    const operations: DatabaseOperation[] = [];
    const stopObserving = observeDatabaseOperations((operation) => operations.push(operation));
    const pollingBefore = polling.length;
    const rankBefore = (await matchRankingDuration.get()).values;
    const burstStarted = performance.now();
    const ids: string[] = [];
    await inParallel(BURST, 32, async (index) => void ids.push((await call('POST', '/v1/requests', partner, data.request(EARLIER_REQUESTS + IDLE + index))).id), 'burst submitted');
    const submittedMs = performance.now() - burstStarted;
    await settle(ids, 30 * 60_000);
    const burstMs = performance.now() - burstStarted;
    stopObserving();
    const rankAfter = (await matchRankingDuration.get()).values;
    const sumOf = (values: typeof rankAfter, name: string) => values.find((value) => value.metricName === name)?.value ?? 0;
    const rankSeconds = sumOf(rankAfter, 'match_ranking_duration_seconds_sum') - sumOf(rankBefore, 'match_ranking_duration_seconds_sum');
    const rankCalls = sumOf(rankAfter, 'match_ranking_duration_seconds_count') - sumOf(rankBefore, 'match_ranking_duration_seconds_count');

    const listTimes: number[] = [];
    for (let index = 0; index < 50; index += 1) {
      const begun = performance.now();
      await call('GET', '/v1/requests?limit=50', partner);
      listTimes.push(performance.now() - begun);
    }

    const profilerOwn = new Set(polling.slice(pollingBefore));
    const pipeline = operations.filter((operation) => !profilerOwn.has(operation));
    const steps = new Map<string, { count: number; ms: number }>();
    const kinds = new Map<string, { count: number; ms: number }>();
    for (const operation of pipeline) {
      for (const [map, key] of [[steps, stepOf(operation)], [kinds, `${operation.collection}.${operation.op}`]] as const) {
        const entry = map.get(key) ?? { count: 0, ms: 0 };
        entry.count += 1;
        entry.ms += operation.durationMs;
        map.set(key, entry);
      }
    }
    const row = (name: string, count: number, ms: number) =>
      console.log(`${name.padEnd(34)}${String(count).padStart(9)}${(count / BURST).toFixed(1).padStart(12)}${ms.toFixed(0).padStart(11)}${(ms / BURST).toFixed(1).padStart(13)}`);

    const database = process.env.MONGODB_URI ? 'MONGODB_URI' : process.env.FERRETDB_POSTGRESQL_URL ? 'embedded FerretDB (PostgreSQL)' : 'embedded FerretDB (SQLite)';
    console.log(`\nPipeline profile: ${EXPERTS} experts, ${EARLIER_REQUESTS} earlier requests, burst of ${BURST}; ${database}`);
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}\n`);
    console.log(`idle submission to invited/unmatched: p50 ${percentile(idle, 50).toFixed(0)} ms, max ${Math.max(...idle).toFixed(0)} ms (${IDLE} in turn)`);
    console.log(`burst: ${BURST} POSTs answered in ${(submittedMs / 1000).toFixed(1)} s; all through matching and auto-invite in ${(burstMs / 1000).toFixed(1)} s = ${(BURST / (burstMs / 1000)).toFixed(2)} per second`);
    console.log(`GET /v1/requests?limit=50: p50 ${percentile(listTimes, 50).toFixed(0)} ms, p95 ${percentile(listTimes, 95).toFixed(0)} ms`);
    console.log(`rank: ${rankCalls} rankings, ${(rankSeconds * 1000).toFixed(0)} ms in all, ${((rankSeconds * 1000) / Math.max(1, rankCalls)).toFixed(2)} ms each\n`);
    console.log('step / collection.command'.padEnd(34) + 'trips'.padStart(9) + 'per submit'.padStart(12) + 'db ms'.padStart(11) + 'ms/submit'.padStart(13));
    for (const [step, { count, ms }] of [...steps].sort((a, b) => b[1].count - a[1].count)) row(step, count, ms);
    console.log('');
    for (const [kind, { count, ms }] of [...kinds].sort((a, b) => b[1].count - a[1].count)) row(`  ${kind}`, count, ms);
    row('total', pipeline.length, pipeline.reduce((sum, operation) => sum + operation.durationMs, 0));
  } finally {
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`profile failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
