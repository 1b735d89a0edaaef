import mongoose, { type Connection } from 'mongoose';

type AnyModel = Connection['models'][string];

/**
 * Groups of collections kept in a database of their own, `<MONGODB_DB_NAME>_<partition>`. The embedded FerretDB keeps
 * each database in its own SQLite file, and SQLite lets one writer at a time into a file (the others sleep in its busy
 * handler and retry): with everything in one file, a mail's delivery bookkeeping or a webhook event queues in front of
 * an accept's own writes. The collections here are written on the lifecycle's path or beside it but never read with
 * it in one query, and no write spans two of them atomically anyway (src/infra/claims.ts), so splitting them loses
 * nothing. On MongoDB the partitions are ordinary databases of the same deployment.
 * - `claims`: the per-revision claims that every conditional write inserts first.
 * - `outbox`: what is sent out: webhook events, deliveries and attempts, the mail outbox and the mails' action tokens.
 */
const PARTITIONS = ['claims', 'outbox'] as const;
export type Partition = (typeof PARTITIONS)[number];

const members: Array<{ model: AnyModel; partition: Partition }> = [];

/** Marks `model` as stored in `partition`; `connectDatabase` moves it there. Returns the model, for `export const X = inPartition(…)`. */
export function inPartition<M>(partition: Partition, model: M): M {
  members.push({ model: model as AnyModel, partition });
  return model;
}

const partitionDatabaseName = (dbName: string, partition: Partition): string => `${dbName}_${partition}`;

/** The connection of each partition of the database `mongoose.connection` uses (one client, one pool). */
function partitionConnections(): Map<Partition, Connection> {
  const base = mongoose.connection;
  return new Map(PARTITIONS.map((partition) => [partition, base.useDb(partitionDatabaseName(base.name, partition), { useCache: true })]));
}

/** Moves every partitioned model to its partition's database; the models now in each database, core first. */
export function bindPartitions(): Array<AnyModel> {
  const connections = partitionConnections();
  for (const { model, partition } of members) {
    const target = connections.get(partition)!;
    if (model.db !== target) model.useConnection(target);
  }
  return [mongoose.connection, ...connections.values()].flatMap((connection) => Object.values(connection.models));
}

/** Drops the core database and every partition's (tests and throw-away data only). */
export async function dropAllDatabases(): Promise<void> {
  const connections = [mongoose.connection, ...partitionConnections().values()];
  await Promise.all(connections.map((connection) => connection.dropDatabase()));
}
