import { trusted } from 'mongoose';
import type { ActionPurpose, PartyRole } from '../domain/action-links';
import { updateAtRevision } from '../infra/claims';
import { ActionTokenModel } from './action-token.model';

export interface ActionTokenRecord {
  /** The SHA-256 of the raw token, hex. */
  id: string;
  purpose: ActionPurpose;
  subjectId: string;
  partyRole: PartyRole;
  partyId: string;
  choice?: string;
  expiresAt: Date;
  usedAt?: Date;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewActionToken = Pick<ActionTokenRecord, 'id' | 'purpose' | 'subjectId' | 'partyRole' | 'partyId' | 'choice' | 'expiresAt'>;

type Stored = Omit<ActionTokenRecord, 'id'> & { _id: string };

const toRecord = ({ _id, ...fields }: Stored): ActionTokenRecord => ({ id: _id, ...fields });

export const actionTokenRepository = {
  async insertMany(tokens: NewActionToken[]): Promise<void> {
    await ActionTokenModel.insertMany(tokens.map(({ id, ...fields }) => ({ _id: id, ...fields, revision: 1 })));
  },

  async findById(id: string): Promise<ActionTokenRecord | undefined> {
    const doc = await ActionTokenModel.findById(id).lean<Stored>();
    return doc ? toRecord(doc) : undefined;
  },

  /** Marks the token used as the single writer of its revision; undefined when it was used already or another writer came first. */
  async markUsed(read: ActionTokenRecord, at: Date): Promise<ActionTokenRecord | undefined> {
    const doc = await updateAtRevision<Stored>(ActionTokenModel.collection, read.id, read.revision, { $set: { usedAt: at } }, { read: { ...read, _id: read.id }, condition: (current) => !current.usedAt });
    return doc ? toRecord(doc) : undefined;
  },

  /** Gives a token back after its action failed without effect; undefined when it changed meanwhile. */
  async markUnused(read: ActionTokenRecord): Promise<ActionTokenRecord | undefined> {
    const doc = await updateAtRevision<Stored>(ActionTokenModel.collection, read.id, read.revision, { $unset: { usedAt: '' } });
    return doc ? toRecord(doc) : undefined;
  },

  async deleteByIds(ids: readonly string[]): Promise<void> {
    if (ids.length > 0) await ActionTokenModel.deleteMany({ _id: trusted({ $in: [...ids] }) });
  },

  /** Every token that acts for the party (erasure). The number deleted. */
  async deleteForParty(partyRole: PartyRole, partyId: string): Promise<number> {
    return (await ActionTokenModel.deleteMany({ partyRole, partyId })).deletedCount;
  },

  /** Tokens whose expiry is before `cutoff`: they can do nothing any more (FerretDB has no TTL indexes). */
  async purgeExpiredBefore(cutoff: Date): Promise<number> {
    return (await ActionTokenModel.deleteMany({ expiresAt: trusted({ $lt: cutoff }) })).deletedCount;
  },
};
