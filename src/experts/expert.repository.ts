import { Types, trusted } from 'mongoose';
import { ExpertModel } from './expert.model';
import type { ExpertInput } from './expert.schemas';

export interface ExpertRecord extends Omit<ExpertInput, 'headline' | 'bio'> {
  id: string;
  ownerId: string;
  headline?: string;
  bio?: string;
  ratingTotal: number;
  ratingCount: number;
  activeConsultations: number;
  pendingInvitations: number;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

interface ExpertDocument extends Omit<ExpertRecord, 'id'> {
  _id: Types.ObjectId;
  skillKeys: string[];
}

export const skillKey = (skill: string): string => skill.normalize('NFC').trim().toLowerCase();

function toRecord(doc: ExpertDocument): ExpertRecord {
  const { _id, skillKeys: _keys, ...fields } = doc;
  return { id: _id.toHexString(), ...fields };
}

export interface ExpertFilter {
  skill?: string;
  language?: string;
  country?: string;
  mode?: string;
}

export type UpdateOutcome = { outcome: 'updated'; expert: ExpertRecord } | { outcome: 'stale' | 'missing' };

export const expertRepository = {
  async insert(ownerId: string, input: ExpertInput): Promise<ExpertRecord> {
    const doc = await ExpertModel.create({ ...input, ownerId, skillKeys: input.skills.map(skillKey), revision: 1 });
    return toRecord(doc.toObject() as unknown as ExpertDocument);
  },

  async findById(id: string): Promise<ExpertRecord | undefined> {
    const doc = await ExpertModel.findById(id).lean<ExpertDocument>();
    return doc ? toRecord(doc) : undefined;
  },

  async exists(id: string): Promise<boolean> {
    return (await ExpertModel.exists({ _id: id })) !== null;
  },

  /** One page ordered by `_id` (the order FerretDB reads cheaply), starting after `afterId`. */
  async list(filter: ExpertFilter, afterId: string | undefined, limit: number): Promise<ExpertRecord[]> {
    const query: Record<string, unknown> = {};
    if (afterId) query._id = trusted({ $gt: new Types.ObjectId(afterId) });
    if (filter.skill) query.skillKeys = skillKey(filter.skill);
    if (filter.language) query.languages = filter.language;
    if (filter.country) query['location.country'] = filter.country;
    if (filter.mode) query.modes = filter.mode;
    const docs = await ExpertModel.find(query).sort({ _id: 1 }).limit(limit).lean<ExpertDocument[]>();
    return docs.map(toRecord);
  },

  async *all(): AsyncGenerator<ExpertRecord> {
    for await (const doc of ExpertModel.find().lean<ExpertDocument[]>().cursor()) yield toRecord(doc as unknown as ExpertDocument);
  },

  /** One conditional update: applies only if the stored revision is still `revision`. */
  async update(id: string, revision: number, set: Partial<ExpertInput>, unset: string[]): Promise<UpdateOutcome> {
    const $set: Record<string, unknown> = { ...set };
    if (set.skills) $set.skillKeys = set.skills.map(skillKey);
    const update: Record<string, unknown> = { $set, $inc: { revision: 1 } };
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
    const doc = await ExpertModel.findOneAndUpdate({ _id: id, revision }, update, { returnDocument: 'after' }).lean<ExpertDocument>();
    if (doc) return { outcome: 'updated', expert: toRecord(doc) };
    return { outcome: (await this.exists(id)) ? 'stale' : 'missing' };
  },

  async delete(id: string): Promise<boolean> {
    const result = await ExpertModel.deleteOne({ _id: id });
    return result.deletedCount === 1;
  },
};
