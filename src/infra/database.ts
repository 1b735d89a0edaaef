import mongoose from 'mongoose';
import { instrumentDatabase } from './db-metrics';
import { bindPartitions } from './partitions';

// Filters built from user input can never carry query operators.
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

export async function connectDatabase(uri: string, dbName: string): Promise<typeof mongoose> {
  await mongoose.connect(uri, { dbName, serverSelectionTimeoutMS: 5000, directConnection: isSingleHost(uri), monitorCommands: true });
  instrumentDatabase(mongoose.connection.getClient());
  // Unique indexes must exist before the first write, not eventually; createIndexes (unlike init, which mongoose
  // runs once per process) also covers a later connection to another database.
  await Promise.all(bindPartitions().map((model) => model.createIndexes()));
  return mongoose;
}

export async function pingDatabase(): Promise<void> {
  const db = mongoose.connection.db;
  if (mongoose.connection.readyState !== mongoose.ConnectionStates.connected || !db) throw new Error('database not connected');
  await db.admin().command({ ping: 1 });
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}

function isSingleHost(uri: string): boolean {
  return uri.startsWith('mongodb://') && !uri.includes(',') && !uri.includes('replicaSet=');
}

/**
 * A unique-index violation: MongoDB reports code 11000; FerretDB's SQLite backend does so on insert but reports
 * SQLite's "UNIQUE constraint failed" (code 1) when an update collides.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 11000 || code === 11001 || (typeof message === 'string' && message.includes('UNIQUE constraint failed'));
}
