import { trusted } from 'mongoose';
import { ExpertDraftModel } from './expert-draft.model';
import type { ExpertInput } from './expert.schemas';

export interface ExpertDraft {
  id: string;
  input: ExpertInput;
  ownerId: string;
  expiresAt: Date;
  createdAt: Date;
}

type Stored = Omit<ExpertDraft, 'id'> & { _id: string };

const toRecord = ({ _id, ...fields }: Stored): ExpertDraft => ({ id: _id, ...fields });

/** Unconfirmed sign-ups of the hosted join form (see expert-draft.model.ts); every read is by `_id`. */
export const expertDraftRepository = {
  async insert(draft: Omit<ExpertDraft, 'createdAt'>): Promise<void> {
    const { id, ...fields } = draft;
    await ExpertDraftModel.create({ _id: id, ...fields });
  },

  async findById(id: string): Promise<ExpertDraft | undefined> {
    const doc = await ExpertDraftModel.findById(id).lean<Stored>();
    return doc ? toRecord(doc) : undefined;
  },

  async delete(id: string): Promise<void> {
    await ExpertDraftModel.deleteOne({ _id: id });
  },

  /** Sign-ups nobody confirmed in time (FerretDB has no TTL indexes: the housekeeping job calls this). The number deleted. */
  async purgeExpiredBefore(cutoff: Date): Promise<number> {
    return (await ExpertDraftModel.deleteMany({ expiresAt: trusted({ $lt: cutoff }) })).deletedCount;
  },
};
