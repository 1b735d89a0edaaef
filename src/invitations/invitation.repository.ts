import { Types, trusted } from 'mongoose';
import { updateAtRevision } from '../infra/claims';
import { effectiveInvitationStatus, type InvitationStatus } from '../domain/invitations';
import type { Actor } from '../domain/stages';
import { InvitationModel } from './invitation.model';

export type { InvitationStatus };

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
  const doc = await updateAtRevision<InvitationDocument>(InvitationModel.collection, current._id, current.revision, update, { read: current, condition });
  return doc ? toRecord(doc) : undefined;
}

async function page(query: Record<string, unknown>, afterId: string | undefined, limit: number): Promise<InvitationRecord[]> {
  if (afterId) query._id = trusted({ $gt: new Types.ObjectId(afterId) });
  const docs = await InvitationModel.find(query).sort({ _id: 1 }).limit(limit).lean<InvitationDocument[]>();
  return docs.map(toRecord);
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

  /** By stored status (what the jobs and the audit work on); GET /v1/invitations pages from the invitation index. */
  find(filter: { expertId?: string; requestId?: string; status?: InvitationStatus }, afterId?: string, limit = 1000): Promise<InvitationRecord[]> {
    return page({ ...filter }, afterId, limit);
  },

  /**
   * Moves a pending invitation on, deciding from the clock: to `expired` only once `expiresAt` has passed, to any
   * other status only before. Undefined when it is no longer pending at `now`, or another writer won.
   */
  closePending(id: string, status: Exclude<InvitationStatus, 'pending'>, now: Date, options: { declineReason?: string } = {}): Promise<InvitationRecord | undefined> {
    const wanted = status === 'expired' ? 'expired' : 'pending';
    const condition = (current: InvitationDocument) => effectiveInvitationStatus(current.status, current.expiresAt, now) === wanted;
    const set: Record<string, unknown> = { status, respondedAt: now };
    if (options.declineReason) set.declineReason = options.declineReason;
    return changeFrom(id, 'pending', condition, { $set: set });
  },

  /** Compensation when the accepting expert turned out to have no free slot: the invitation stays open. */
  reopenAccepted(id: string): Promise<InvitationRecord | undefined> {
    return changeFrom(id, 'accepted', () => true, { $set: { status: 'pending' }, $unset: { respondedAt: '' } });
  },

  /** Compensation when an accepted invitation lost the race for its request; undefined when it was not `accepted`. */
  withdrawAccepted(id: string): Promise<InvitationRecord | undefined> {
    return changeFrom(id, 'accepted', () => true, { $set: { status: 'withdrawn' } });
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

  /** Pending invitations whose expiry is after `cutoff`: those that may still need a reminder (the reconciler's repair). */
  async pendingExpiringAfter(cutoff: Date): Promise<InvitationRecord[]> {
    const docs = await InvitationModel.find({ status: 'pending', expiresAt: trusted({ $gt: cutoff }) }).lean<InvitationDocument[]>();
    return docs.map(toRecord);
  },

  /** Every invitation's id, expert, status, expiry and revision only, in no order (one scan: the invitation index's warm-up). */
  async *indexed(): AsyncGenerator<Pick<InvitationRecord, 'id' | 'expertId' | 'status' | 'expiresAt' | 'revision'>> {
    for await (const doc of InvitationModel.find({}, { expertId: 1, status: 1, expiresAt: 1, revision: 1 }).lean<InvitationDocument>().cursor()) yield toRecord(doc);
  },
};

/** The invitation repository whose writes tell `written` each invitation as written, before they return. */
export function createInvitationStore(written: (invitation: InvitationRecord) => Promise<void>) {
  const told = async <Written extends InvitationRecord | undefined>(invitation: Written): Promise<Written> => {
    if (invitation) await written(invitation);
    return invitation;
  };
  return {
    ...invitationRepository,
    insert: async (...args: Parameters<typeof invitationRepository.insert>) => told(await invitationRepository.insert(...args)),
    closePending: async (...args: Parameters<typeof invitationRepository.closePending>) => told(await invitationRepository.closePending(...args)),
    reopenAccepted: async (id: string) => told(await invitationRepository.reopenAccepted(id)),
    withdrawAccepted: async (id: string) => told(await invitationRepository.withdrawAccepted(id)),
  };
}

export type InvitationStore = ReturnType<typeof createInvitationStore>;
