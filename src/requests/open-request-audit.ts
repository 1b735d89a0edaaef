import { Schema, model, trusted } from 'mongoose';
import type { Logger } from '../logger';
import { openRequests, QUOTA_STAGES } from './open-requests';
import { requestRepository } from './request.repository';

/** A count the audit found different from the recount, with its revision then (null: none stored). */
const suspicionSchema = new Schema(
  { _id: { type: String, required: true }, revision: { type: Number, default: null }, counted: { type: Number, required: true }, at: { type: Date, required: true } },
  { versionKey: false, collection: 'open_request_suspicions' },
);
const SuspicionModel = model('OpenRequestSuspicion', suspicionSchema);

export interface OpenRequestAuditResult {
  checked: number;
  suspected: number;
  corrected: number;
}

/**
 * Repairs owners' open-request counts that drifted from the requests themselves (a process that died between moving a
 * request out of its quota stages and giving the place back). As for expert workloads, a count is corrected only when
 * two audits (an hour apart, in housekeeping) found the same difference while its revision did not move.
 */
export function createOpenRequestAudit(deps: { logger: Logger }) {
  return async function auditOpenRequests(now = new Date()): Promise<OpenRequestAuditResult> {
    const counted = new Map<string, number>();
    for (const request of await requestRepository.findInStages(QUOTA_STAGES)) counted.set(request.ownerId, (counted.get(request.ownerId) ?? 0) + 1);
    const stored = await openRequests.counts();
    const suspicions = new Map((await SuspicionModel.find().lean<Array<{ _id: string; revision: number | null; counted: number }>>()).map((doc) => [doc._id, doc]));
    const result: OpenRequestAuditResult = { checked: 0, suspected: 0, corrected: 0 };
    for (const ownerId of new Set([...stored.keys(), ...counted.keys()])) {
      result.checked += 1;
      const current = stored.get(ownerId);
      const truth = counted.get(ownerId) ?? 0;
      if ((current?.open ?? 0) === truth) continue;
      const earlier = suspicions.get(ownerId);
      if (earlier && earlier.revision === (current?.revision ?? null) && earlier.counted === truth && (await openRequests.replace(ownerId, current?.revision, truth))) {
        result.corrected += 1;
        await SuspicionModel.deleteOne({ _id: ownerId });
        deps.logger.warn({ ownerId, was: current?.open ?? 0, now: truth }, 'open-request audit: corrected a count that had drifted');
        continue;
      }
      result.suspected += 1;
      await SuspicionModel.replaceOne({ _id: ownerId }, { revision: current?.revision ?? null, counted: truth, at: now }, { upsert: true });
    }
    await SuspicionModel.deleteMany({ at: trusted({ $lt: now }) });
    return result;
  };
}

export type AuditOpenRequests = ReturnType<typeof createOpenRequestAudit>;
