import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';
import { ensureFerretDbBinary } from './ferretdb-binary';
import { findFreePort } from './free-port';
import { startProcess, waitUntilReady, type ManagedProcess } from './managed-process';

export interface EmbeddedDatabase {
  uri: string;
  kind: 'ferretdb-sqlite' | 'ferretdb-postgresql' | 'mongod';
  process: ManagedProcess;
  stop(): Promise<void>;
}

export interface EmbeddedDatabaseOptions {
  dataDir: string;
  mongodBin?: string;
  goBin?: string;
  ferretDbPostgresqlUrl?: string;
  announce: (message: string) => void;
  onOutput?: (line: string) => void;
}

async function ping(uri: string): Promise<void> {
  const client = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 1000, directConnection: true });
  try {
    await client.db('admin').command({ ping: 1 });
  } finally {
    await client.close();
  }
}

/** Starts FerretDB (or the given mongod) on a free loopback port and waits until it answers ping. */
export async function startEmbeddedDatabase(options: EmbeddedDatabaseOptions): Promise<EmbeddedDatabase> {
  const port = await findFreePort();
  const address = `127.0.0.1:${port}`;
  let kind: EmbeddedDatabase['kind'];
  let command: string;
  let args: string[];

  if (options.mongodBin) {
    const dbPath = path.join(options.dataDir, 'mongod');
    await mkdir(dbPath, { recursive: true });
    kind = 'mongod';
    command = options.mongodBin;
    args = ['--dbpath', dbPath, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'];
  } else {
    command = await ensureFerretDbBinary({ goBin: options.goBin, announce: options.announce });
    args = ['-listen', address, '-exit-with-stdin', '-log-level', 'error'];
    if (options.ferretDbPostgresqlUrl) {
      kind = 'ferretdb-postgresql';
      args.push('-postgresql-url', options.ferretDbPostgresqlUrl);
    } else {
      kind = 'ferretdb-sqlite';
      args.push('-sqlite-dir', path.join(options.dataDir, 'ferretdb'));
    }
  }

  const child = startProcess({ command, args, stdinLifeline: kind !== 'mongod', onOutput: options.onOutput });
  const uri = `mongodb://${address}/`;
  try {
    await waitUntilReady(kind, () => ping(uri), child);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { uri, kind, process: child, stop: () => child.stop() };
}
