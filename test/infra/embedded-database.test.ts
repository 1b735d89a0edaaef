import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { startEmbeddedDatabase } from '../../src/infra/embedded-database';
import { ferretDbBinaryPath } from '../../src/infra/ferretdb-binary';

describe('the embedded FerretDB launcher', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'consult-launcher-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('starts a server that answers ping and keeps data, reuses the cached binary, and stops it', async () => {
    const binary = await ferretDbBinaryPath();
    const builtAt = (await stat(binary)).mtimeMs; // the global setup already built it
    const announcements: string[] = [];

    const server = await startEmbeddedDatabase({ dataDir, announce: (message) => announcements.push(message) });
    expect(server.kind).toBe('ferretdb-sqlite');
    expect(server.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/$/);

    const client = new mongoose.mongo.MongoClient(server.uri, { directConnection: true });
    await expect(client.db('admin').command({ ping: 1 })).resolves.toMatchObject({ ok: 1 });
    await client.db('launcher').collection('things').insertOne({ _id: 'a' as never, value: 42 });
    await expect(client.db('launcher').collection('things').findOne({ _id: 'a' as never })).resolves.toEqual({ _id: 'a', value: 42 });
    await client.close();

    await server.stop();
    expect(server.process.exited).toBe(true);
    expect(announcements).toEqual([]);
    expect((await stat(binary)).mtimeMs).toBe(builtAt);
    await expect(stat(path.join(dataDir, 'ferretdb'))).resolves.toBeTruthy();
  });

  it('indexes every collection by the expression FerretDB filters `_id` with, so a read by `_id` searches instead of scanning, also with other fields in the filter', async () => {
    const plansAfterRestart = async (): Promise<string[][]> => {
      // EXPLAIN QUERY PLAN reads no table, so long-lived connections answer it from the schema they loaded first:
      // a fresh server shows the plan every new connection gets.
      const server = await startEmbeddedDatabase({ dataDir, announce: () => undefined });
      const client = new mongoose.mongo.MongoClient(server.uri, { directConnection: true });
      try {
        const plans = [];
        // The second is the filter of every conditional write (src/infra/claims.ts): FerretDB pushes `_id` down for it
        // only with the patch in tools/ferretdb/patches.json.
        for (const filter of [{ _id: 'b' }, { _id: 'b', revision: 1 }]) {
          const explained = await client.db('plans').command({ explain: { find: 'things', filter } });
          plans.push((explained.queryPlanner as { Plan: string[] }).Plan);
        }
        return plans;
      } finally {
        await client.close();
        await server.stop();
      }
    };
    const server = await startEmbeddedDatabase({ dataDir, announce: () => undefined });
    const client = new mongoose.mongo.MongoClient(server.uri, { directConnection: true });
    await client.db('plans').collection('things').insertOne({ _id: 'b' as never, value: 1 });
    await client.close();
    // The launcher's indexer looks for new tables twice a second.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await server.stop();
    for (const plan of await plansAfterRestart()) {
      expect(plan).toHaveLength(1);
      expect(plan[0]).toMatch(/SEARCH things_[0-9a-f]+ USING INDEX things_[0-9a-f]+_id_path/);
    }
  });
});
