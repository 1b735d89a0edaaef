import { Types, trusted } from 'mongoose';
import type { HistoryEntry, Stage } from '../domain/stages';
import { RequestModel } from './request.model';
import type { RequestInput } from './request.schemas';

export interface RequestRecord extends RequestInput {
  id: string;
  ownerId: string;
  stage: Stage;
  history: HistoryEntry[];
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

interface RequestDocument extends Omit<RequestRecord, 'id'> {
  _id: Types.ObjectId;
}

function toRecord(doc: RequestDocument): RequestRecord {
  const { _id, ...fields } = doc;
  return { id: _id.toHexString(), ...fields };
}

export interface RequestFilter {
  ownerId?: string;
  stage?: Stage;
  country?: string;
}

export type RequestUpdateOutcome = { outcome: 'updated'; request: RequestRecord } | { outcome: 'stale' | 'missing' };

export const requestRepository = {
  async insert(ownerId: string, input: RequestInput, entry: HistoryEntry): Promise<RequestRecord> {
    const doc = await RequestModel.create({ ...input, ownerId, stage: entry.stage, history: [entry], revision: 1 });
    return toRecord(doc.toObject() as unknown as RequestDocument);
  },

  async findById(id: string): Promise<RequestRecord | undefined> {
    const doc = await RequestModel.findById(id).lean<RequestDocument>();
    return doc ? toRecord(doc) : undefined;
  },

  async list(filter: RequestFilter, afterId: string | undefined, limit: number): Promise<RequestRecord[]> {
    const query: Record<string, unknown> = {};
    if (afterId) query._id = trusted({ $gt: new Types.ObjectId(afterId) });
    if (filter.ownerId) query.ownerId = filter.ownerId;
    if (filter.stage) query.stage = filter.stage;
    if (filter.country) query['location.country'] = filter.country;
    const docs = await RequestModel.find(query).sort({ _id: 1 }).limit(limit).lean<RequestDocument[]>();
    return docs.map(toRecord);
  },

  /** Applies the change only if revision and stage are still what the caller saw (one atomic update). */
  async updateContent(id: string, revision: number, stages: readonly Stage[], set: Partial<RequestInput>, unset: string[]): Promise<RequestUpdateOutcome> {
    const update: Record<string, unknown> = { $set: set, $inc: { revision: 1 } };
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
    const doc = await RequestModel.findOneAndUpdate({ _id: id, revision, stage: trusted({ $in: stages }) }, update, { returnDocument: 'after' }).lean<RequestDocument>();
    if (doc) return { outcome: 'updated', request: toRecord(doc) };
    return { outcome: (await RequestModel.exists({ _id: id })) ? 'stale' : 'missing' };
  },
};
