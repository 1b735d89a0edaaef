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
});
