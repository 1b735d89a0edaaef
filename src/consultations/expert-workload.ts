import { expertRepository, type ExpertRecord, type ExpertWorkload } from '../experts/expert.repository';

/** Applies a change to an expert's workload; the expert as it is now, or undefined when it was erased meanwhile. */
export async function changeWorkload(expertId: string, delta: Partial<ExpertWorkload>): Promise<ExpertRecord | undefined> {
  if (!(await expertRepository.exists(expertId))) return undefined;
  await expertRepository.adjustWorkload(expertId, delta);
  return expertRepository.findById(expertId);
}
