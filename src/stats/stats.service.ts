import { trusted } from 'mongoose';
import { InvitationModel } from '../invitations/invitation.model';
import { RequestModel } from '../requests/request.model';

interface AcceptedRequest {
  createdAt: Date;
  acceptedAt: Date;
  acceptedExpertCountry?: string;
  organization: { country: string };
}

interface Bucket {
  _id: string;
  count: number;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (value: number | null, digits = 4) => (value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits);
const ratio = (part: number, whole: number) => (whole === 0 ? null : round(part / whole));
const toCounts = (buckets: Bucket[]) => Object.fromEntries(buckets.map((bucket) => [bucket._id, bucket.count]));

/** Operator figures from single-accumulator `$match`/`$group` aggregations (the subset FerretDB and MongoDB share). */
export async function computeStats(now = new Date()) {
  const [byStage, byCountry, invitationOutcomes, lapsedUnstored, accepted, rated] = await Promise.all([
    RequestModel.aggregate<Bucket>([{ $group: { _id: '$stage', count: { $sum: 1 } } }]),
    RequestModel.aggregate<Bucket>([{ $group: { _id: '$organization.country', count: { $sum: 1 } } }]),
    InvitationModel.aggregate<Bucket>([{ $match: { status: { $in: ['accepted', 'declined', 'expired'] } } }, { $group: { _id: '$status', count: { $sum: 1 } } }]),
    // Expired by the clock although the expiry job has not stored it yet (effectiveInvitationStatus).
    InvitationModel.countDocuments({ status: 'pending', expiresAt: trusted({ $lte: now }) }),
    RequestModel.find({ acceptedAt: trusted({ $exists: true }) }, { createdAt: 1, acceptedAt: 1, acceptedExpertCountry: 1, organization: 1 }).lean<AcceptedRequest[]>(),
    // A closed request always carries its feedback. Summed here: FerretDB 1.24 miscounts a $group with two accumulators.
    RequestModel.find({ stage: 'closed' }, { feedback: 1 }).lean<Array<{ feedback?: { rating: number } }>>(),
  ]);
  const outcomes = toCounts(invitationOutcomes);
  outcomes.expired = (outcomes.expired ?? 0) + lapsedUnstored;
  const answered = (outcomes.accepted ?? 0) + (outcomes.declined ?? 0) + (outcomes.expired ?? 0);
  const crossBorder = accepted.filter((request) => request.acceptedExpertCountry && request.acceptedExpertCountry !== request.organization.country).length;
  const hoursToAcceptance = accepted.map((request) => (request.acceptedAt.getTime() - request.createdAt.getTime()) / 3_600_000);
  const ratings = rated.flatMap((request) => (request.feedback ? [request.feedback.rating] : []));
  return {
    computedAt: now.toISOString(),
    requests: { total: byStage.reduce((sum, bucket) => sum + bucket.count, 0), byStage: toCounts(byStage), byCountry: toCounts(byCountry) },
    crossBorderShare: ratio(crossBorder, accepted.length),
    acceptanceRate: ratio(outcomes.accepted ?? 0, answered),
    medianHoursToAcceptance: round(median(hoursToAcceptance), 2),
    averageRating: ratings.length > 0 ? round(ratings.reduce((sum, rating) => sum + rating, 0) / ratings.length, 2) : null,
    ratings: ratings.length,
  };
}
