import { trusted } from 'mongoose';
import { expertRepository, type ExpertRecord, type ExpertWorkload } from '../experts/expert.repository';
import type { Stage } from '../domain/stages';
import { InvitationModel } from '../invitations/invitation.model';
import { RequestModel } from '../requests/request.model';

const ACTIVE_STAGES: Stage[] = ['accepted', 'scheduled', 'in_progress'];

/** Counts what the lifecycle records about an expert; recounting (not incrementing) keeps it right under races. */
async function countWorkload(expertId: string): Promise<ExpertWorkload> {
  const [pendingInvitations, activeConsultations, closed] = await Promise.all([
    InvitationModel.countDocuments({ expertId, status: 'pending' }),
    RequestModel.countDocuments({ acceptedExpertId: expertId, stage: trusted({ $in: ACTIVE_STAGES }) }),
    RequestModel.find({ acceptedExpertId: expertId, stage: 'closed' }, { feedback: 1 }).lean<Array<{ feedback?: { rating: number } }>>(),
  ]);
  const ratings = closed.flatMap((request) => (request.feedback ? [request.feedback.rating] : []));
  return { pendingInvitations, activeConsultations, ratingTotal: ratings.reduce((sum, rating) => sum + rating, 0), ratingCount: ratings.length };
}

/** Recounts and stores an expert's workload; undefined when the expert no longer exists (erased). */
export async function refreshWorkload(expertId: string): Promise<ExpertRecord | undefined> {
  if (!(await expertRepository.exists(expertId))) return undefined;
  await expertRepository.setWorkload(expertId, await countWorkload(expertId));
  return expertRepository.findById(expertId);
}
