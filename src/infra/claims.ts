import { Schema, model, trusted, type mongo } from 'mongoose';
import { isDuplicateKeyError } from './database';
import { inPartition } from './partitions';

/**
 * Mutual exclusion that holds on FerretDB as well as on MongoDB. FerretDB 1.24 applies a conditional
 * `findOneAndUpdate` (and even `$inc`) as read-modify-write without isolation, so concurrent writers can all "win";
 * inserting a document with a given `_id` is the one write both servers make atomic. A writer claims
 * "<collection>:<id>:r<revision>" before changing a document at that revision, so each revision has one writer.
 */
const claimSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false, collection: 'claims' });
const ClaimModel = inPartition('claims', model('Claim', claimSchema));

/** A claim left by a process that died between claiming and writing is taken over after this long. */
const STALE_AFTER_MS = 30_000;

export async function claim(key: string, now = new Date()): Promise<boolean> {
  try {
    await ClaimModel.create({ _id: key, at: now });
    return true;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const stale = await ClaimModel.deleteOne({ _id: key, at: trusted({ $lt: new Date(now.getTime() - STALE_AFTER_MS) }) });
  if (stale.deletedCount === 0) return false;
  return claim(key, now);
}

/** Waits before retry `attempt` (from 0) of a write that lost its claim, long enough for the holder to finish. */
export function pauseBeforeRetry(attempt: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 10 * (attempt + 1) + Math.random() * 20));
}

export async function release(key: string): Promise<void> {
  await ClaimModel.deleteOne({ _id: key });
}

export async function purgeClaimsBefore(cutoff: Date): Promise<number> {
  return (await ClaimModel.deleteMany({ at: trusted({ $lt: cutoff }) })).deletedCount;
}

interface Revisioned {
  revision: number;
}

/**
 * Applies `update` to the document only if it is still at `revision` (and, with a `condition`, only if `read` — the
 * document as the caller read it at that revision — satisfies it), as the single writer of that revision; null when
 * someone else wrote first or the condition fails. Every write to these documents goes through here and raises the
 * revision, so a document still at `revision` is the one the caller read: the condition is judged on the caller's copy,
 * with no second read. Two round trips on success (the claim, the write), by `_id` through the driver: FerretDB's
 * SQLite backend answers a filter without `_id` by scanning the collection (0.3 s at 1,000 requests here).
 * A successful writer leaves its claim: the document has moved past that revision, so the claim can never be needed
 * again, and housekeeping purges it after an hour; only a failed attempt releases its claim for the next writer.
 */
export async function updateAtRevision<Doc extends Revisioned>(
  collection: mongo.Collection,
  id: unknown,
  revision: number,
  update: { $set?: Record<string, unknown>; $inc?: Record<string, number>; [operator: string]: unknown },
  guard?: { read: Doc; condition: (current: Doc) => boolean },
): Promise<Doc | null> {
  if (guard && (guard.read.revision !== revision || !guard.condition(guard.read))) return null;
  const key = `${collection.collectionName}:${String(id)}:r${revision}`;
  if (!(await claim(key))) return null;
  try {
    // The revision in the filter stops a writer that stalled past STALE_AFTER_MS from writing over the one that took
    // its claim over. The embedded FerretDB still looks up by `_id` first only with tools/ferretdb/patches.json.
    const updated = await collection.findOneAndUpdate(
      { _id: id, revision } as mongo.Filter<mongo.Document>,
      { ...update, $set: { ...update.$set, updatedAt: new Date() }, $inc: { ...update.$inc, revision: 1 } },
      { returnDocument: 'after' },
    );
    if (!updated) await release(key);
    return updated as Doc | null;
  } catch (error) {
    // A failed write (say, a unique e-mail taken) must not hold the revision for STALE_AFTER_MS. Releasing is safe
    // even if the write did apply: the document has then moved past this revision.
    await release(key).catch(() => undefined);
    throw error;
  }
}
