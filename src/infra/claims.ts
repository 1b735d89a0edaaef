import { Schema, model, trusted } from 'mongoose';
import { isDuplicateKeyError } from './database';

/**
 * Mutual exclusion that holds on FerretDB as well as on MongoDB. FerretDB 1.24 applies a conditional
 * `findOneAndUpdate` (and even `$inc`) as read-modify-write without isolation, so concurrent writers can all "win";
 * inserting a document with a given `_id` is the one write both servers make atomic. A writer claims
 * "<collection>:<id>:r<revision>" before changing a document at that revision, so each revision has one writer.
 */
const claimSchema = new Schema({ _id: { type: String, required: true }, at: { type: Date, required: true } }, { versionKey: false, collection: 'claims' });
const ClaimModel = model('Claim', claimSchema);

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

export async function release(key: string): Promise<void> {
  await ClaimModel.deleteOne({ _id: key });
}

export async function purgeClaimsBefore(cutoff: Date): Promise<number> {
  return (await ClaimModel.deleteMany({ at: trusted({ $lt: cutoff }) })).deletedCount;
}

/**
 * Applies `update` to the document only if it is still at `revision` and matches `condition`, as its single writer
 * for that revision. Returns the updated document, or null when someone else wrote first or the condition fails.
 */
export async function updateAtRevision<Doc>(
  target: { name: string; findOneAndUpdate: (filter: Record<string, unknown>, update: Record<string, unknown>) => Promise<Doc | null> },
  id: string,
  revision: number,
  condition: Record<string, unknown>,
  update: Record<string, unknown>,
): Promise<Doc | null> {
  const key = `${target.name}:${id}:r${revision}`;
  if (!(await claim(key))) return null;
  const updated = await target.findOneAndUpdate({ ...condition, _id: id, revision }, { ...update, $inc: { ...(update.$inc as object), revision: 1 } });
  if (!updated) await release(key);
  return updated;
}
