import { Types, trusted } from 'mongoose';
import { updateAtRevision } from '../infra/claims';
import { ExpertModel, ExpertWorkloadModel } from './expert.model';
import type { ExpertInput } from './expert.schemas';

export interface ExpertWorkload {
  pendingInvitations: number;
  activeConsultations: number;
  ratingTotal: number;
  ratingCount: number;
}

export interface ExpertRecord extends Omit<ExpertInput, 'headline' | 'bio'>, ExpertWorkload {
  id: string;
  ownerId: string;
  headline?: string;
  bio?: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

type ProfileFields = Omit<ExpertRecord, 'id' | keyof ExpertWorkload>;

interface ExpertDocument extends ProfileFields {
  _id: Types.ObjectId;
  skillKeys: string[];
}

const IDLE: ExpertWorkload = { pendingInvitations: 0, activeConsultations: 0, ratingTotal: 0, ratingCount: 0 };

export const skillKey = (skill: string): string => skill.normalize('NFC').trim().toLowerCase();

function toRecord(doc: ExpertDocument, workload: ExpertWorkload = IDLE): ExpertRecord {
  const { _id, skillKeys: _keys, ...fields } = doc;
  const { pendingInvitations, activeConsultations, ratingTotal, ratingCount } = workload;
  return { id: _id.toHexString(), ...fields, pendingInvitations, activeConsultations, ratingTotal, ratingCount };
}

async function workloadsOf(ids: string[]): Promise<Map<string, ExpertWorkload>> {
  if (ids.length === 0) return new Map();
  const docs = await ExpertWorkloadModel.find({ _id: trusted({ $in: ids }) }).lean<Array<ExpertWorkload & { _id: string }>>();
  return new Map(docs.map((doc) => [doc._id, doc]));
}

async function withWorkloads(docs: ExpertDocument[]): Promise<ExpertRecord[]> {
  const workloads = await workloadsOf(docs.map((doc) => doc._id.toHexString()));
  return docs.map((doc) => toRecord(doc, workloads.get(doc._id.toHexString())));
}

const profiles = {
  name: 'experts',
  findOneAndUpdate: (filter: Record<string, unknown>, update: Record<string, unknown>) =>
    ExpertModel.findOneAndUpdate(filter, update, { returnDocument: 'after' }).lean<ExpertDocument>(),
};

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
    const [doc, workload] = await Promise.all([ExpertModel.findById(id).lean<ExpertDocument>(), ExpertWorkloadModel.findById(id).lean<ExpertWorkload>()]);
    return doc ? toRecord(doc, workload ?? IDLE) : undefined;
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
    return withWorkloads(await ExpertModel.find(query).sort({ _id: 1 }).limit(limit).lean<ExpertDocument[]>());
  },

  async *all(): AsyncGenerator<ExpertRecord> {
    const workloads = new Map((await ExpertWorkloadModel.find().lean<Array<ExpertWorkload & { _id: string }>>()).map((doc) => [doc._id, doc]));
    for await (const doc of ExpertModel.find().lean<ExpertDocument[]>().cursor()) {
      const profile = doc as unknown as ExpertDocument;
      yield toRecord(profile, workloads.get(profile._id.toHexString()));
    }
  },

  /** Applies the change only if the stored revision is still `revision` (and nobody else writes it meanwhile). */
  async update(id: string, revision: number, set: Partial<ExpertInput>, unset: string[]): Promise<UpdateOutcome> {
    const $set: Record<string, unknown> = { ...set };
    if (set.skills) $set.skillKeys = set.skills.map(skillKey);
    const update: Record<string, unknown> = { $set };
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
    const doc = await updateAtRevision(profiles, id, revision, {}, update);
    if (doc) return { outcome: 'updated', expert: (await withWorkloads([doc]))[0]! };
    return { outcome: (await this.exists(id)) ? 'stale' : 'missing' };
  },

  async setWorkload(id: string, workload: ExpertWorkload): Promise<void> {
    await ExpertWorkloadModel.updateOne({ _id: id }, { $set: workload }, { upsert: true });
  },

  async delete(id: string): Promise<boolean> {
    const [profile] = await Promise.all([ExpertModel.deleteOne({ _id: id }), ExpertWorkloadModel.deleteOne({ _id: id })]);
    return profile.deletedCount === 1;
  },
};
