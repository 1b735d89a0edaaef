import { trusted } from 'mongoose';
import { RequestDraftModel } from './request-draft.model';
import type { RequestInput } from './request.schemas';

export interface RequestDraft {
  id: string;
  input: RequestInput;
  ownerId: string;
  /** `partner` for a draft of the embedded form (ownerId is the partner's); absent: the address's own requester owner. */
  ownerRole?: 'partner';
  expiresAt: Date;
  createdAt: Date;
}

type Stored = Omit<RequestDraft, 'id'> & { _id: string };

const toRecord = ({ _id, ...fields }: Stored): RequestDraft => ({ id: _id, ...fields });

/** Unconfirmed requests of the hosted form (see request-draft.model.ts); every read is by `_id`. */
export const requestDraftRepository = {
  async insert(draft: Omit<RequestDraft, 'createdAt'>): Promise<void> {
    const { id, ...fields } = draft;
    await RequestDraftModel.create({ _id: id, ...fields });
  },

  async findById(id: string): Promise<RequestDraft | undefined> {
    const doc = await RequestDraftModel.findById(id).lean<Stored>();
    return doc ? toRecord(doc) : undefined;
  },

  async delete(id: string): Promise<void> {
    await RequestDraftModel.deleteOne({ _id: id });
  },

  /** Drafts nobody confirmed in time (FerretDB has no TTL indexes: the housekeeping job calls this). The number deleted. */
  async purgeExpiredBefore(cutoff: Date): Promise<number> {
    return (await RequestDraftModel.deleteMany({ expiresAt: trusted({ $lt: cutoff }) })).deletedCount;
  },
};
