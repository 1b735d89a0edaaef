import { Types, trusted } from 'mongoose';
import { updateAtRevision } from '../infra/claims';
import type { Actor } from '../domain/stages';
import { InvitationModel, type INVITATION_STATUSES } from './invitation.model';

export type InvitationStatus = (typeof INVITATION_STATUSES)[number];

export interface InvitationRecord {
  id: string;
  requestId: string;
  expertId: string;
  requestOwnerId: string;
  status: InvitationStatus;
  expiresAt: Date;
  respondedAt?: Date;
  declineReason?: string;
  invitedBy: Actor;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

interface InvitationDocument extends Omit<InvitationRecord, 'id'> {
  _id: Types.ObjectId;
}

function toRecord(doc: InvitationDocument): InvitationRecord {
  const { _id, ...fields } = doc;
  return { id: _id.toHexString(), ...fields };
}

/** Writes the invitation as the single writer of its current revision, if it is still in `status` and passes `condition`. */
async function changeFrom(
  id: string,
  status: InvitationStatus,
  condition: (current: InvitationDocument) => boolean,
  update: { $set?: Record<string, unknown>; $unset?: Record<string, ''> },
): Promise<InvitationRecord | undefined> {
  const current = await InvitationModel.findById(id).lean<InvitationDocument>();
  if (current?.status !== status) return undefined;
  const doc = await updateAtRevision<InvitationDocument>(InvitationModel.collection, current._id, current.revision, (now) => now.status === status && condition(now), update);
  return doc ? toRecord(doc) : undefined;
}

export const invitationRepository = {
  async insert(invitation: Omit<InvitationRecord, 'createdAt' | 'updatedAt' | 'status' | 'revision'>): Promise<InvitationRecord> {
    const { id, ...fields } = invitation;
    const doc = await InvitationModel.create({ _id: id, ...fields, status: 'pending', revision: 1 });
    return toRecord(doc.toObject() as unknown as InvitationDocument);
  },

  async findByIds(ids: readonly string[]): Promise<InvitationRecord[]> {
    const found = await Promise.all(ids.map((id) => this.findById(id)));
    return found.filter((invitation): invitation is InvitationRecord => invitation !== undefined);
  },

  async findById(id: string): Promise<InvitationRecord | undefined> {
    const doc = await InvitationModel.findById(id).lean<InvitationDocument>();
    return doc ? toRecord(doc) : undefined;
  },

  async find(filter: { expertId?: string; requestId?: string; status?: InvitationStatus }, afterId?: string, limit = 1000): Promise<InvitationRecord[]> {
    const query: Record<string, unknown> = { ...filter };
    if (afterId) query._id = trusted({ $gt: new Types.ObjectId(afterId) });
    const docs = await InvitationModel.find(query).sort({ _id: 1 }).limit(limit).lean<InvitationDocument[]>();
    return docs.map(toRecord);
  },

  /** Moves a pending invitation on; undefined when it is no longer pending (or not yet due), or another writer won. */
  closePending(id: string, status: Exclude<InvitationStatus, 'pending'>, now: Date, options: { dueBy?: Date; notExpiredAt?: Date; declineReason?: string } = {}): Promise<InvitationRecord | undefined> {
    const { dueBy, notExpiredAt } = options;
    const condition = (current: InvitationDocument) => (!dueBy || current.expiresAt <= dueBy) && (!notExpiredAt || current.expiresAt > notExpiredAt);
    const set: Record<string, unknown> = { status, respondedAt: now };
    if (options.declineReason) set.declineReason = options.declineReason;
    return changeFrom(id, 'pending', condition, { $set: set });
  },

  /** Compensation when the accepting expert turned out to have no free slot: the invitation stays open. */
  reopenAccepted(id: string): Promise<InvitationRecord | undefined> {
    return changeFrom(id, 'accepted', () => true, { $set: { status: 'pending' }, $unset: { respondedAt: '' } });
  },

  /** Compensation when an accepted invitation lost the race for its request; false when it was not `accepted`. */
  async withdrawAccepted(id: string): Promise<boolean> {
    return (await changeFrom(id, 'accepted', () => true, { $set: { status: 'withdrawn' } })) !== undefined;
  },



  /** The expert of every pending invitation, once per invitation. */
  async pendingExpertIds(): Promise<string[]> {
    const docs = await InvitationModel.find({ status: 'pending' }, { expertId: 1 }).lean<Array<{ expertId: string }>>();
    return docs.map((doc) => doc.expertId);
  },

  async pendingDueBy(cutoff: Date): Promise<InvitationRecord[]> {
    const docs = await InvitationModel.find({ status: 'pending', expiresAt: trusted({ $lte: cutoff }) }).lean<InvitationDocument[]>();
    return docs.map(toRecord);
  },
};
