import { AsyncLocalStorage } from 'node:async_hooks';
import type { mongo } from 'mongoose';
import client from 'prom-client';
import { registry } from './metrics';

/** One database round trip as the driver reported it. */
export interface DatabaseOperation {
  collection: string;
  op: string;
  documents: number;
  durationMs: number;
}

export const databaseOperations = new client.Counter({
  name: 'db_operations_total',
  help: 'Database round trips by collection and command',
  labelNames: ['collection', 'op'] as const,
  registers: [registry],
});

export const databaseDocumentsReturned = new client.Histogram({
  name: 'db_documents_returned',
  help: 'Documents one database command returned (first batch of a cursor, or the one document of findAndModify)',
  labelNames: ['collection', 'op'] as const,
  buckets: [0, 1, 2, 5, 10, 50, 100, 500, 1000, 5000],
  registers: [registry],
});

/** Round trips per HTTP request (by route template) or per job (by queue). */
export const databaseOperationsPerUnit = new client.Histogram({
  name: 'db_operations_per_unit',
  help: 'Database round trips one HTTP request or one job made',
  labelNames: ['unit', 'name'] as const,
  buckets: [0, 1, 2, 4, 8, 16, 32, 64, 128],
  registers: [registry],
});

const tallies = new AsyncLocalStorage<DatabaseOperation[]>();
const observers = new Set<(operation: DatabaseOperation) => void>();

/** Calls `observer` with every round trip from now on, whoever made it; returns the function that stops it. */
export function observeDatabaseOperations(observer: (operation: DatabaseOperation) => void): () => void {
  observers.add(observer);
  return () => observers.delete(observer);
}

// Commands whose first field names a collection; anything else (ping, hello, endSessions, …) is counted as `admin`.
const COLLECTION_COMMANDS = new Set(['find', 'insert', 'update', 'delete', 'findAndModify', 'aggregate', 'count', 'distinct', 'getMore', 'createIndexes', 'listIndexes', 'drop']);

function collectionOf(commandName: string, command: mongo.Document): string {
  if (commandName === 'getMore') return String(command.collection ?? 'unknown');
  return COLLECTION_COMMANDS.has(commandName) && typeof command[commandName] === 'string' ? command[commandName] : 'admin';
}

function documentsIn(reply: mongo.Document | undefined): number {
  const cursor = reply?.cursor as { firstBatch?: unknown[]; nextBatch?: unknown[] } | undefined;
  if (cursor) return (cursor.firstBatch ?? cursor.nextBatch ?? []).length;
  if (reply && 'value' in reply) return reply.value ? 1 : 0;
  return typeof reply?.n === 'number' ? reply.n : 0;
}

/**
 * Counts every command the client sends (`monitorCommands` must be on): `db_operations_total{collection,op}` and
 * `db_documents_returned`, and adds each to the tally of the HTTP request or job it ran for (see `tallyDatabaseOperations`).
 * The driver emits its command events in the caller's async context, so the tally follows the caller.
 */
export function instrumentDatabase(mongoClient: mongo.MongoClient): void {
  const started = new Map<number, { collection: string; op: string; tally: DatabaseOperation[] | undefined }>();
  mongoClient.on('commandStarted', (event) => {
    started.set(event.requestId, { collection: collectionOf(event.commandName, event.command), op: event.commandName, tally: tallies.getStore() });
  });
  const finish = (event: { requestId: number; duration: number; reply?: mongo.Document }) => {
    const begun = started.get(event.requestId);
    if (!begun) return;
    started.delete(event.requestId);
    const operation = { collection: begun.collection, op: begun.op, documents: documentsIn(event.reply), durationMs: event.duration };
    databaseOperations.inc({ collection: operation.collection, op: operation.op });
    databaseDocumentsReturned.observe({ collection: operation.collection, op: operation.op }, operation.documents);
    begun.tally?.push(operation);
    for (const observer of observers) observer(operation);
  };
  mongoClient.on('commandSucceeded', finish);
  mongoClient.on('commandFailed', finish);
}

/**
 * Runs `work` and returns, beside its result, the database round trips it made (including those of promises it
 * started and awaited), collected into `operations` as they happen (so a failed run's are there too). Nested tallies
 * each see their own operations only.
 */
export async function tallyDatabaseOperations<Result>(
  work: () => Promise<Result>,
  operations: DatabaseOperation[] = [],
): Promise<{ result: Result; operations: DatabaseOperation[] }> {
  const result = await tallies.run(operations, work);
  return { result, operations };
}

/** Starts a tally for the rest of the current async context (an HTTP request's middleware chain); read it when done. */
export function beginDatabaseTally(): DatabaseOperation[] {
  const operations: DatabaseOperation[] = [];
  tallies.enterWith(operations);
  return operations;
}
