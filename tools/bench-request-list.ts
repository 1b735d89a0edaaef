// `npm run bench:list`: GET /v1/requests?limit=50 over a large requests collection. Starts the service in this
// process on a fresh embedded database (FERRETDB_POSTGRESQL_URL or MONGODB_URI as elsewhere), writes
// BENCH_LIST_REQUESTS (100,000) requests straight into the collection across 100 owners and every stage, builds the
// request index as start-up does, then times pages for one owner, for an admin, with a sparse filter and after a cursor.
import os from 'node:os';
import { STAGES } from '../src/domain/stages';
import { RequestModel } from '../src/requests/request.model';
import { startInProcessService } from './in-process-service';
import { syntheticData } from './synthetic-data';

const REQUESTS = Number(process.env.BENCH_LIST_REQUESTS ?? 100_000);
const OWNERS = 100;
const CALLS = 100;

const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))] ?? 0;

async function main(): Promise<void> {
  const service = await startInProcessService('bench-list', { workers: false });
  try {
    const { application, call } = service;
    const get = (url: string, key: string) => call('GET', url, key);
    const admin = service.adminKey;
    const issued = await call('POST', '/v1/api-keys', admin, { role: 'partner', label: 'bench' });
    const [partner, partnerOwner] = [issued.key!, issued.ownerId ?? issued.id];
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
    await service.stop();
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.stack : String(error)}`);
  process.exitCode = 1;
});
