import { expertRepository, type ExpertRecord, type ExpertWorkload } from '../experts/expert.repository';

/** Applies a change to an expert's workload; the expert as it is now, or undefined when it was erased meanwhile. */
export async function changeWorkload(expertId: string, delta: Partial<ExpertWorkload>): Promise<ExpertRecord | undefined> {
  if (!(await expertRepository.exists(expertId))) return undefined;
  await expertRepository.adjustWorkload(expertId, delta);
  return expertRepository.findById(expertId);
}

/**
 * Takes one of the expert's free consultation slots for an accepted invitation. Checked and written as one step, so
 * accepts of different requests racing for an expert's last slot have one winner; false when no slot is free.
 */
export async function takeSlot(expert: ExpertRecord): Promise<boolean> {
  return expertRepository.adjustWorkload(expert.id, { activeConsultations: 1 }, (current) => current.activeConsultations < expert.capacity);
}

/**
 * Counts a new pending invitation for the expert only while their pending invitations stay below their free slots,
 * checked and written as one step; false when every free slot is already offered.
 */
export async function offerInvitationSlot(expert: ExpertRecord): Promise<boolean> {
  return expertRepository.adjustWorkload(expert.id, { pendingInvitations: 1 }, (current) => current.pendingInvitations < expert.capacity - current.activeConsultations);
}
