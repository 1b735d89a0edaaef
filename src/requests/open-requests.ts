import { Schema, model } from 'mongoose';
import type { Stage } from '../domain/stages';
import { isDuplicateKeyError } from '../infra/database';
import { pauseBeforeRetry, updateAtRevision } from '../infra/claims';

/** Stages in which a request still occupies its owner's quota: looking for an expert, or underway with one. */
export const QUOTA_STAGES: readonly Stage[] = ['submitted', 'matched', 'invited', 'accepted', 'scheduled', 'in_progress'];

const countSchema = new Schema({ _id: { type: String, required: true }, open: { type: Number, required: true }, revision: { type: Number, required: true } }, {
  versionKey: false,
  collection: 'owner_open_requests',
  timestamps: { createdAt: false, updatedAt: true },
});
const OpenRequestCountModel = model('OpenRequestCount', countSchema);

interface StoredCount {
  _id: string;
  open: number;
  revision: number;
}

/** Contended writers (a burst from one owner) retry for this long before the caller is told to come back. */
const CONTENTION_BUDGET_MS = 5_000;

/**
 * Changes of one owner's count queue up in this process, so a burst through one partner site costs each submission
 * one read, one claim and one write instead of rounds of lost claims; other instances still contend through the claim.
 */
const queued = new Map<string, Promise<unknown>>();
function oneAtATime<Result>(ownerId: string, work: () => Promise<Result>): Promise<Result> {
  const run = (queued.get(ownerId) ?? Promise.resolve()).then(work, work);
  const tail = run.catch(() => undefined);
  queued.set(ownerId, tail);
  void tail.then(() => {
    if (queued.get(ownerId) === tail) queued.delete(ownerId);
  });
  return run;
}

/**
 * Adds `delta` to an owner's count of open requests as the single writer of its revision (FerretDB loses concurrent
 * `$inc`s; see src/infra/claims.ts). With `cap`, it refuses (false) when the count is already at the cap, checked at
 * the revision it writes, so a burst of submissions has exactly `cap` winners. Throws 'busy' when the contention
 * budget runs out.
 */
async function adjust(ownerId: string, delta: number, cap?: number): Promise<boolean | 'busy'> {
  const deadline = Date.now() + CONTENTION_BUDGET_MS;
  for (let attempt = 0; Date.now() < deadline; attempt += 1) {
    const current = await OpenRequestCountModel.findById(ownerId).lean<StoredCount>();
    if (!current) {
      await OpenRequestCountModel.create({ _id: ownerId, open: 0, revision: 0 }).catch((error: unknown) => {
        if (!isDuplicateKeyError(error)) throw error;
      });
      continue;
    }
    const allowed = (now: StoredCount) => cap === undefined || delta <= 0 || now.open < cap;
    if (!allowed(current)) return false;
    const $set = { open: Math.max(0, current.open + delta) };
    if (await updateAtRevision<StoredCount>(OpenRequestCountModel.collection, ownerId, current.revision, { $set }, { read: current, condition: allowed })) return true;
    await pauseBeforeRetry(Math.min(attempt, 10));
  }
  return 'busy';
}

export const openRequests = {
  /** Takes one place in the owner's quota of `cap` open requests (no cap: always); false when none is free. */
  take: (ownerId: string, cap: number | undefined) => oneAtATime(ownerId, () => adjust(ownerId, 1, cap)),

  /** Gives a place back (the request closed, or its insert failed), or takes one without a cap (an admin's reopen). */
  async move(ownerId: string, delta: 1 | -1): Promise<void> {
    if ((await oneAtATime(ownerId, () => adjust(ownerId, delta))) === 'busy') throw new Error(`could not update the open-request count of owner ${ownerId}`);
  },

  /** Every stored count with its revision, by owner (the audit's starting point). */
  async counts(): Promise<Map<string, { open: number; revision: number }>> {
    const docs = await OpenRequestCountModel.find().lean<StoredCount[]>();
    return new Map(docs.map((doc) => [doc._id, { open: doc.open, revision: doc.revision }]));
  },

  /** Overwrites the count if it is still at `revision` (undefined: none stored yet); false when it moved on. */
  async replace(ownerId: string, revision: number | undefined, open: number): Promise<boolean> {
    if (revision === undefined) {
      try {
        await OpenRequestCountModel.create({ _id: ownerId, open, revision: 0 });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }
    return (await updateAtRevision<StoredCount>(OpenRequestCountModel.collection, ownerId, revision, { $set: { open } })) !== null;
  },
};
