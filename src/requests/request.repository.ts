import { Types, trusted } from 'mongoose';
import { pauseBeforeRetry, updateAtRevision } from '../infra/claims';
import type { Contact } from '../domain/people';
import type { Proposal } from '../domain/proposals';
import type { HistoryEntry, Stage } from '../domain/stages';
import { openRequests, QUOTA_STAGES } from './open-requests';
import { RequestModel } from './request.model';
import type { RequestInput } from './request.schemas';

export interface ConsultationSchedule {
  startsAt: Date;
  durationMinutes: number;
  location?: string;
  meetingUrl?: string;
}

/** What the lifecycle adds to a request as it moves on. */
export interface LifecycleFields {
  invitedExpertIds: string[];
  invitationIds: string[];
  invitationCount: number;
  acceptedExpertId?: string;
  acceptedExpertCountry?: string;
  acceptedAt?: Date;
  schedule?: ConsultationSchedule;
  /** The latest times the accepted expert proposed (src/domain/proposals.ts). */
  proposal?: Proposal;
  summary?: string;
  completedAt?: Date;
  feedback?: { rating: number; comment?: string; at: Date };
  cancellationReason?: string;
}

/** What is stored: the contact with its language resolved (see resolveContact). */
export type StoredRequestInput = Omit<RequestInput, 'contact'> & { contact?: Contact };

export interface RequestRecord extends StoredRequestInput, LifecycleFields {
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

const objectId = (id: string) => new Types.ObjectId(id);

export interface StageChange {
  entry?: HistoryEntry;
  set?: Record<string, unknown>;
  inc?: Record<string, number>;
  addToSet?: Record<string, string>;
}

export type RequestUpdateOutcome = { outcome: 'updated'; request: RequestRecord } | { outcome: 'stale' | 'missing' };

/** Told of every request this process wrote, with the request as written. */
export type RequestWritten = (request: RequestRecord) => Promise<void>;

/** Reads only: every write goes through a store from createRequestStore, so the request index hears of it. */
export const requestRepository = {
  async findById(id: string): Promise<RequestRecord | undefined> {
    const doc = await RequestModel.findById(id).lean<RequestDocument>();
    return doc ? toRecord(doc) : undefined;
  },

  /** Every request's id, owner, stage, country and revision only, in no order (one scan: the request index's warm-up). */
  async *indexed(): AsyncGenerator<Pick<RequestRecord, 'id' | 'ownerId' | 'stage' | 'location' | 'revision'>> {
    const projection = { ownerId: 1, stage: 1, 'location.country': 1, revision: 1 };
    for await (const doc of RequestModel.find({}, projection).lean<RequestDocument>().cursor()) yield toRecord(doc);
  },

  async findInStages(stages: readonly Stage[]): Promise<RequestRecord[]> {
    const docs = await RequestModel.find({ stage: trusted({ $in: stages }) }).sort({ _id: 1 }).lean<RequestDocument[]>();
    return docs.map(toRecord);
  },

  async submittedBefore(cutoff: Date): Promise<RequestRecord[]> {
    const docs = await RequestModel.find({ stage: 'submitted', createdAt: trusted({ $lte: cutoff }) }).lean<RequestDocument[]>();
    return docs.map(toRecord);
  },
};

/**
 * The request repository with its writes: each write that changes a request tells `written` the request as written,
 * before it returns. Releasing an invitation slot and erasing the contact change neither owner, stage nor country,
 * the only fields the index keeps besides the revision, so they tell nobody.
 */
export function createRequestStore(written: RequestWritten) {
  const told = async <Written extends RequestRecord | undefined>(request: Written): Promise<Written> => {
    if (request) await written(request);
    return request;
  };
  return {
    ...requestRepository,

    /** `id`: the id given in advance (a confirmed draft's); a second insert with it fails with a duplicate key. */
    async insert(ownerId: string, input: StoredRequestInput, entry: HistoryEntry, id?: string): Promise<RequestRecord> {
      const doc = await RequestModel.create({ ...(id === undefined ? {} : { _id: new Types.ObjectId(id) }), ...input, ownerId, stage: entry.stage, history: [entry], revision: 1, invitedExpertIds: [], invitationIds: [], invitationCount: 0 });
      return told(toRecord(doc.toObject() as unknown as RequestDocument));
    },

    /**
     * Changes the request as the single writer of the revision the caller read, while it is still in `stage`: with an
     * `entry`, it moves to the entry's stage and appends the entry to the history. Undefined when someone else wrote
     * first, or the request left `stage`, or fails `condition`.
     */
    async updateInStage(read: { id: string; revision: number; stage: Stage }, stage: Stage, change: StageChange): Promise<RequestRecord | undefined> {
      const update: Record<string, unknown> = {};
      if (change.inc) update.$inc = change.inc;
      const set = change.entry ? { ...change.set, stage: change.entry.stage } : change.set;
      if (set) update.$set = set;
      if (change.entry) update.$push = { history: change.entry };
      if (change.addToSet) update.$addToSet = change.addToSet;
      if (read.stage !== stage) return undefined;
      const doc = await updateAtRevision<RequestDocument>(RequestModel.collection, objectId(read.id), read.revision, update);
      if (!doc) return undefined;
      if (change.entry && QUOTA_STAGES.includes(stage) !== QUOTA_STAGES.includes(change.entry.stage)) {
        // The stage is written; a count left behind by a failure here is repaired by the hourly audit.
        await openRequests.move(doc.ownerId, QUOTA_STAGES.includes(stage) ? -1 : 1).catch(() => undefined);
      }
      return told(toRecord(doc));
    },

    /**
     * Applies the change `plan` makes of the request as it is now. When another writer lands first, it pauses (so a
     * writer holding the claim can finish), re-reads and asks `plan` again; undefined when `plan` gives up (returns
     * undefined) or the tries run out. `plan` may throw to refuse.
     */
    async updateWithRetry(
      id: string,
      plan: (current: RequestRecord | undefined) => { stage: Stage; change: StageChange } | undefined,
      alreadyRead?: RequestRecord,
    ): Promise<RequestRecord | undefined> {
      let current = alreadyRead ?? (await this.findById(id));
      for (let attempt = 0; ; attempt += 1) {
        const step = plan(current);
        if (!step || !current) return undefined;
        const moved = await this.updateInStage(current, step.stage, step.change);
        if (moved || attempt === 4) return moved;
        await pauseBeforeRetry(attempt);
        current = await this.findById(id);
      }
    },

    /** Undoes an invitation slot taken by an invitation that could not be written (retried: it must not be lost). */
    async releaseInvitationSlot(id: string, expertId: string, invitationId: string): Promise<void> {
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const current = await this.findById(id);
        if (!current?.invitedExpertIds.includes(expertId)) return;
        const update = { $pull: { invitedExpertIds: expertId, invitationIds: invitationId }, $inc: { invitationCount: -1 } };
        if (await updateAtRevision<RequestDocument>(RequestModel.collection, objectId(id), current.revision, update)) return;
        await pauseBeforeRetry(attempt);
      }
      throw new Error(`could not release the invitation slot of ${expertId} on request ${id}`);
    },

    /**
     * Removes the contact (erasure), as the single writer of each revision it tries; false when the request is gone.
     * Any stage: erasure is not a lifecycle step.
     */
    async removeContact(id: string): Promise<boolean> {
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const current = await this.findById(id);
        if (!current) return false;
        if (!current.contact) return true;
        if (await updateAtRevision<RequestDocument>(RequestModel.collection, objectId(id), current.revision, { $unset: { contact: '' } })) return true;
        await pauseBeforeRetry(attempt);
      }
      throw new Error(`could not remove the contact of request ${id}`);
    },

    /** Applies the change only if revision and stage are still what the caller saw. */
    async updateContent(read: { id: string; revision: number; stage: Stage }, stages: readonly Stage[], set: Partial<StoredRequestInput>, unset: string[]): Promise<RequestUpdateOutcome> {
      const { id, revision } = read;
      if (!stages.includes(read.stage)) return { outcome: 'stale' };
      const update: Record<string, unknown> = { $set: set };
      if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
      const doc = await updateAtRevision<RequestDocument>(RequestModel.collection, objectId(id), revision, update);
      if (doc) return { outcome: 'updated', request: await told(toRecord(doc)) };
      return { outcome: (await RequestModel.exists({ _id: id })) ? 'stale' : 'missing' };
    },
  };
}

export type RequestStore = ReturnType<typeof createRequestStore>;
