import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import mongoose from 'mongoose';

/**
 * The embedded server belongs to the process that started it; others on the same data folder (a second
 * `npm start`, `npm run seed`) find it here and connect instead of starting a second server on the same files.
 */
const registryFile = (dataDir: string) => path.join(dataDir, 'embedded-database.json');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function findRunningEmbeddedDatabase(dataDir: string): Promise<string | undefined> {
  let entry: { uri?: string; pid?: number };
  try {
    entry = JSON.parse(await readFile(registryFile(dataDir), 'utf8')) as typeof entry;
  } catch {
    return undefined;
  }
  if (!entry.uri || !entry.pid || !isAlive(entry.pid)) return undefined;
  const client = new mongoose.mongo.MongoClient(entry.uri, { serverSelectionTimeoutMS: 1000, directConnection: true });
  try {
    await client.db('admin').command({ ping: 1 });
    return entry.uri;
  } catch {
    return undefined;
  } finally {
    await client.close();
  }
}

export async function registerEmbeddedDatabase(dataDir: string, uri: string): Promise<() => Promise<void>> {
  await writeFile(registryFile(dataDir), JSON.stringify({ uri, pid: process.pid }));
  return () => rm(registryFile(dataDir), { force: true });
}
