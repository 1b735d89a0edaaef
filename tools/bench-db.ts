// `npm run bench:db`: the database's own ceiling for the service's hottest query, a lookup by `_id`, with no HTTP
// in front. Starts the embedded database on a temporary folder (FERRETDB_POSTGRESQL_URL selects FerretDB's
// PostgreSQL backend, MONGODB_URI targets a running server instead), writes 1,000 request-sized documents and reads
// them back at random with the MongoDB driver from 1, 4 and 32 concurrent callers.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { startEmbeddedDatabase, type EmbeddedDatabase } from '../src/infra/embedded-database';

const { MongoClient, ObjectId } = mongoose.mongo;
type MongoClient = mongoose.mongo.MongoClient;
type ObjectId = mongoose.mongo.ObjectId;

const DOCUMENTS = 1_000;
const SECONDS = Number(process.env.BENCH_DB_SECONDS ?? 10);
const CONCURRENCY = [1, 4, 32];

function requestLike(index: number) {
  return {
    _id: new ObjectId(),
    title: `Visitor route and signage for a lagoon museum, request ${index}`,
    description: 'We are a small museum on the Szczecin Lagoon and need help with a visitor route, signage and a bilingual exhibition concept. '.repeat(6),
    skills: ['exhibition design', 'wayfinding', 'museum education'],
    languages: ['pl', 'de'],
    location: { country: 'PL', city: 'Szczecin', lat: 53.4285, lon: 14.5528 },
    stage: 'matched',
    history: [{ stage: 'submitted', at: new Date(), actor: { role: 'partner', id: 'p' } }],
    revision: 1,
  };
}

async function measure(client: MongoClient, ids: ObjectId[], concurrency: number) {
  const collection = client.db('bench_db').collection('requests');
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const started = performance.now();
        await collection.findOne({ _id: ids[Math.floor(Math.random() * ids.length)]! });
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (share: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * share))]! * 10) / 10;
  return { concurrency, perSecond: Math.round(latencies.length / SECONDS), p50Ms: at(0.5), p99Ms: at(0.99) };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'consult-bench-db-'));
  let database: EmbeddedDatabase | undefined;
  try {
    let uri = process.env.MONGODB_URI;
    if (!uri) {
      database = await startEmbeddedDatabase({ dataDir, ferretDbPostgresqlUrl: process.env.FERRETDB_POSTGRESQL_URL, announce: (message) => console.error(message) });
      uri = database.uri;
    }
    const kind = database?.kind ?? 'MONGODB_URI';
    const client = await MongoClient.connect(uri, { directConnection: true });
    try {
      const collection = client.db('bench_db').collection('requests');
      await collection.deleteMany({});
      const documents = Array.from({ length: DOCUMENTS }, (_, index) => requestLike(index));
      await collection.insertMany(documents);
      const ids = documents.map((document) => document._id);

      const results = [];
      for (const concurrency of CONCURRENCY) {
        console.error(`measuring findOne by _id at ${concurrency} concurrent callers for ${SECONDS} s…`);
        results.push(await measure(client, ids, concurrency));
      }
      await collection.drop();

      console.log(`\nDatabase ceiling: ${kind}, ${DOCUMENTS} documents, findOne by _id, driver pool default`);
      console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`);
      console.log('callers'.padEnd(10) + 'reads/s'.padStart(10) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9));
      for (const row of results) console.log(String(row.concurrency).padEnd(10) + String(row.perSecond).padStart(10) + String(row.p50Ms).padStart(9) + String(row.p99Ms).padStart(9));
      console.log(JSON.stringify({ database: kind, documents: DOCUMENTS, seconds: SECONDS, cpus: os.cpus().length, results }));
    } finally {
      await client.close();
    }
  } finally {
    await database?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`database benchmark failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
