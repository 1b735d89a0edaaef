import { trusted } from 'mongoose';
import { expertRecipient } from '../mail/mail-notifications';
import { mailRepository } from '../mail/mail-outbox.repository';
import { ExpertDraftModel } from './expert-draft.model';
import { expertRepository } from './expert.repository';
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

  /**
   * Sign-ups nobody confirmed in time (FerretDB has no TTL indexes: the housekeeping job calls this), with the address
   * and content of their confirmation mail: whoever typed the address may not have been its owner, so nothing of it
   * is kept. A draft whose expert exists (a confirmation that stopped between its two writes) keeps the expert's mail.
   * The number of drafts deleted.
   */
  async purgeExpiredBefore(cutoff: Date): Promise<number> {
    const ids = (await ExpertDraftModel.find({ expiresAt: trusted({ $lt: cutoff }) }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((doc) => doc._id);
    for (const id of ids) {
      if (!(await expertRepository.exists(id))) await mailRepository.eraseRecipient(expertRecipient(id));
      await ExpertDraftModel.deleteOne({ _id: id });
    }
    return ids.length;
  },
};
