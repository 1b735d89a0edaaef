import { expertRepository, type ExpertRecord, type ExpertWorkload, type StoredWorkload } from '../experts/expert.repository';

export type Workloads = ReturnType<typeof createWorkloads>;

/**
 * The experts' workload counters (pending invitations, active consultations, ratings), changed in the database as
 * the single writer of each revision (expertRepository.adjustWorkload), with the profile read from memory: `cached`
 * is the expert directory, which holds every profile and is kept current across instances. Each change answers the
 * expert as it is now (the held profile with the workload just written), for the caller to pass on to the directory,
 * so a change costs no read of the profile; the database answers only for an expert the directory lacks.
 */
export function createWorkloads(cached: (id: string) => ExpertRecord | undefined) {
  async function withWorkload(id: string, written: StoredWorkload): Promise<ExpertRecord | undefined> {
    const held = cached(id);
    if (!held) return expertRepository.findById(id);
    const { pendingInvitations, activeConsultations, ratingTotal, ratingCount, revision } = written;
    return { ...held, pendingInvitations, activeConsultations, ratingTotal, ratingCount, workloadRevision: revision };
  }
  const after = async (id: string, written: StoredWorkload | undefined) => (written ? withWorkload(id, written) : undefined);

  return {
    /** The expert, from the directory, else the database; undefined when there is none. */
    expertOf: async (id: string): Promise<ExpertRecord | undefined> => cached(id) ?? expertRepository.findById(id),

    /** Applies a change to an expert's workload; the expert as it is now, or undefined when it was erased meanwhile. */
    async change(expertId: string, delta: Partial<ExpertWorkload>): Promise<ExpertRecord | undefined> {
      if (!cached(expertId) && !(await expertRepository.exists(expertId))) return undefined;
      return after(expertId, await expertRepository.adjustWorkload(expertId, delta));
    },

    /**
     * Takes one of the expert's free consultation slots for an accepted invitation. Checked and written as one step,
     * so accepts of different requests racing for an expert's last slot have one winner; undefined when no slot is free.
     */
    takeSlot: async (expert: ExpertRecord): Promise<ExpertRecord | undefined> =>
      after(expert.id, await expertRepository.adjustWorkload(expert.id, { activeConsultations: 1 }, (current) => current.activeConsultations < expert.capacity)),

    /**
     * Counts a new pending invitation for the expert only while their pending invitations stay below their free slots,
     * checked and written as one step; undefined when every free slot is already offered.
     */
    offerInvitationSlot: async (expert: ExpertRecord): Promise<ExpertRecord | undefined> =>
      after(
        expert.id,
        await expertRepository.adjustWorkload(expert.id, { pendingInvitations: 1 }, (current) => current.pendingInvitations < expert.capacity - current.activeConsultations),
      ),
  };
}
