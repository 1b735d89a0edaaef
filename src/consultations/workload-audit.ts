import { trusted } from 'mongoose';
import { UNDERWAY_STAGES } from '../domain/stages';
import type { ExpertRecord, ExpertWorkload } from '../experts/expert.repository';
import { expertRepository, IDLE_WORKLOAD } from '../experts/expert.repository';
import { invitationRepository } from '../invitations/invitation.repository';
import { workloadCorrections } from '../infra/metrics';
import type { Logger } from '../logger';
import { requestRepository } from '../requests/request.repository';
import { WorkloadSuspicionModel } from './workload-audit.model';

export interface WorkloadAuditResult {
  checked: number;
  suspected: number;
  corrected: number;
}

const FIELDS = ['pendingInvitations', 'activeConsultations', 'ratingTotal', 'ratingCount'] as const;
const same = (a: ExpertWorkload, b: ExpertWorkload): boolean => FIELDS.every((field) => a[field] === b[field]);

/** Each expert's workload recounted from the invitations and requests themselves, the source of truth. */
async function recount(): Promise<Map<string, ExpertWorkload>> {
  const counts = new Map<string, ExpertWorkload>();
  const of = (expertId: string): ExpertWorkload => {
    let workload = counts.get(expertId);
    if (!workload) counts.set(expertId, (workload = { ...IDLE_WORKLOAD }));
    return workload;
  };
  for (const expertId of await invitationRepository.pendingExpertIds()) of(expertId).pendingInvitations += 1;
  for (const request of await requestRepository.findInStages([...UNDERWAY_STAGES, 'closed'])) {
    if (!request.acceptedExpertId) continue;
    if (request.stage === 'closed') {
      if (!request.feedback) continue;
      of(request.acceptedExpertId).ratingTotal += request.feedback.rating;
      of(request.acceptedExpertId).ratingCount += 1;
    } else {
      of(request.acceptedExpertId).activeConsultations += 1;
    }
  }
  return counts;
}

/**
 * Repairs workload counters that drifted from the truth, e.g. when a process died between changing an invitation or
 * request and adjusting the counter. A counter is corrected only when two audits (an hour apart, in housekeeping) found
 * the same difference while its revision did not move: a change still in flight during the first audit either lands
 * before the second (moving the revision) or never will.
 */
export function createWorkloadAudit(deps: { expertChanged: (expert: ExpertRecord) => void | Promise<void>; logger: Logger }) {
  return async function auditWorkloads(now = new Date()): Promise<WorkloadAuditResult> {
    const [stored, counted] = await Promise.all([expertRepository.workloads(), recount()]);
    const suspicions = new Map(
      (await WorkloadSuspicionModel.find().lean<Array<{ _id: string; revision: number | null; counted: ExpertWorkload }>>()).map((doc) => [doc._id, doc]),
    );
    const result: WorkloadAuditResult = { checked: 0, suspected: 0, corrected: 0 };
    for (const expertId of new Set([...stored.keys(), ...counted.keys()])) {
      result.checked += 1;
      const current = stored.get(expertId);
      const truth = counted.get(expertId) ?? IDLE_WORKLOAD;
      if (same(current ?? IDLE_WORKLOAD, truth)) continue;
      if (!current && !(await expertRepository.exists(expertId))) continue;

      const earlier = suspicions.get(expertId);
      const revision = current?.revision;
      if (earlier && earlier.revision === (revision ?? null) && same(earlier.counted, truth) && (await expertRepository.replaceWorkload(expertId, revision, truth))) {
        result.corrected += 1;
        workloadCorrections.inc();
        await WorkloadSuspicionModel.deleteOne({ _id: expertId });
        deps.logger.warn({ expertId, was: current ?? IDLE_WORKLOAD, now: truth }, 'workload audit: corrected a counter that had drifted');
        const expert = await expertRepository.findById(expertId);
        if (expert) await deps.expertChanged(expert);
        continue;
      }
      result.suspected += 1;
      await WorkloadSuspicionModel.replaceOne({ _id: expertId }, { revision: revision ?? null, counted: truth, at: now }, { upsert: true });
    }
    await WorkloadSuspicionModel.deleteMany({ at: trusted({ $lt: now }) });
    return result;
  };
}

export type AuditWorkloads = ReturnType<typeof createWorkloadAudit>;
