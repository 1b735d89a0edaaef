import { trusted } from 'mongoose';
import { contactRecipient } from '../mail/mail-notifications';
import { mailRepository } from '../mail/mail-outbox.repository';
import { RequestDraftModel } from './request-draft.model';
import { requestRepository } from './request.repository';
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

  /**
   * Drafts nobody confirmed in time (FerretDB has no TTL indexes: the housekeeping job calls this), with the address
   * and content of their confirmation mail: whoever typed the address may not have been its owner, so nothing of it
   * is kept. A draft whose request exists (a confirmation that stopped between its two writes) keeps the contact's
   * mail, which the request's own erasure covers. The number of drafts deleted.
   */
  async purgeExpiredBefore(cutoff: Date): Promise<number> {
    const ids = (await RequestDraftModel.find({ expiresAt: trusted({ $lt: cutoff }) }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((doc) => doc._id);
    for (const id of ids) {
      if (!(await requestRepository.findById(id))) await mailRepository.eraseRecipient(contactRecipient(id));
      await RequestDraftModel.deleteOne({ _id: id });
    }
    return ids.length;
  },
};
