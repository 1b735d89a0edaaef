// Where a submission's time goes: runs the service in this process on a fresh embedded database (or MONGODB_URI),
// fills it, then submits a burst over HTTP and prints, per step of matching and auto-invite, the database round trips
// and their time. Usage: npm run profile:pipeline (PROFILE_EXPERTS, PROFILE_REQUESTS, PROFILE_BURST, PROFILE_IDLE).
import os from 'node:os';
import { observeDatabaseOperations, tallyDatabaseOperations, type DatabaseOperation } from '../src/infra/db-metrics';
import { matchRankingDuration } from '../src/infra/metrics';
import { requestRepository, type StoredRequestInput } from '../src/requests/request.repository';
import { startInProcessService } from './in-process-service';
import { burstThroughPipeline } from './pipeline-burst';
import { inParallel, percentile } from './progress';
import { syntheticData } from './synthetic-data';

const EXPERTS = Number(process.env.PROFILE_EXPERTS ?? 3000);
const EARLIER_REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 500);
const BURST = Number(process.env.PROFILE_BURST ?? 200);
const IDLE = Number(process.env.PROFILE_IDLE ?? 10);

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

    await inParallel('experts', EXPERTS, 16, async (index) => void (await call('POST', '/v1/experts', admin, data.expert(index, run))));
    // Earlier requests only fill the collection (what list queries and scans pay for): stored closed, no pipeline work.
    await inParallel('earlier requests', EARLIER_REQUESTS, 16, async (index) => {
      await application.services.requestStore.insert(partner, data.request(index) as StoredRequestInput, { stage: 'closed', at: new Date(), actor: { role: 'system' } });
    });

    // The profiler's own polling is tallied apart, so it is not counted as the pipeline's work.
    const polling: DatabaseOperation[] = [];
    const stageOf = async (id: string) => (await tallyDatabaseOperations(() => requestRepository.findById(id), polling)).result?.stage;
    const submit = (first: number) => async (index: number) => (await call('POST', '/v1/requests', partner, data.request(first + index))).id;

    const idle: number[] = [];
    for (let index = 0; index < IDLE; index += 1) {
      const one = await burstThroughPipeline({ label: `idle submission ${index + 1}/${IDLE}`, count: 1, parallel: 1, submit: submit(EARLIER_REQUESTS + index), stageOf, timeoutMs: 60_000 });
      idle.push(...one.latenciesMs);
    }

    // Every round trip of the burst, whoever made it (HTTP handlers, jobs, the reconciler).
    const operations: DatabaseOperation[] = [];
    const stopObserving = observeDatabaseOperations((operation) => operations.push(operation));
    const pollingBefore = polling.length;
    const rankBefore = (await matchRankingDuration.get()).values;
    const { submittedMs, settledMs: burstMs } = await burstThroughPipeline({ label: 'burst', count: BURST, parallel: 32, submit: submit(EARLIER_REQUESTS + IDLE), stageOf, timeoutMs: 30 * 60_000 });
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
