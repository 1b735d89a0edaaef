import { Types } from 'mongoose';
import { pauseBeforeRetry, updateAtRevision } from '../infra/claims';
import { isDuplicateKeyError } from '../infra/database';
import { ExpertModel, ExpertWorkloadModel } from './expert.model';
import { emailLookupKey } from './email-address';
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
  /** The revision of the workload part, which changes apart from the profile (0 before the first change). */
  workloadRevision: number;
  createdAt: Date;
  updatedAt: Date;
}

/** A workload as stored, with the revision its last write made. */
export type StoredWorkload = ExpertWorkload & { revision: number };
type ProfileFields = Omit<ExpertRecord, 'id' | 'workloadRevision' | keyof ExpertWorkload>;

/** `email` holds the lookup key (see expert.model.ts); `emailAsGiven` is missing on profiles stored before it existed. */
interface ExpertDocument extends ProfileFields {
  _id: Types.ObjectId;
  skillKeys: string[];
  emailAsGiven?: string;
}

export const IDLE_WORKLOAD: ExpertWorkload = { pendingInvitations: 0, activeConsultations: 0, ratingTotal: 0, ratingCount: 0 };

export const skillKey = (skill: string): string => skill.normalize('NFC').trim().toLowerCase();

function toRecord(doc: ExpertDocument, workload: StoredWorkload | null = null): ExpertRecord {
  const { _id, skillKeys: _keys, emailAsGiven, ...fields } = doc;
  const { pendingInvitations, activeConsultations, ratingTotal, ratingCount } = workload ?? IDLE_WORKLOAD;
  return { id: _id.toHexString(), ...fields, email: emailAsGiven ?? fields.email, pendingInvitations, activeConsultations, ratingTotal, ratingCount, workloadRevision: workload?.revision ?? 0 };
}



export interface ExpertFilter {
  skill?: string;
  language?: string;
  country?: string;
  mode?: string;
}

export type UpdateOutcome = { outcome: 'updated'; expert: ExpertRecord } | { outcome: 'stale' | 'missing' };

export const expertRepository = {
  /** A new profile; `id` (24 hex digits) when the caller fixed it beforehand (a confirmed sign-up's draft id). */
  async insert(ownerId: string, input: ExpertInput, id?: string): Promise<ExpertRecord> {
    const doc = await ExpertModel.create({ ...(id ? { _id: new Types.ObjectId(id) } : {}), ...input, email: emailLookupKey(input.email), emailAsGiven: input.email, ownerId, skillKeys: input.skills.map(skillKey), revision: 1 });
    return toRecord(doc.toObject() as unknown as ExpertDocument);
  },

  async findById(id: string): Promise<ExpertRecord | undefined> {
    const [doc, workload] = await Promise.all([ExpertModel.findById(id).lean<ExpertDocument>(), ExpertWorkloadModel.findById(id).lean<StoredWorkload>()]);
    return doc ? toRecord(doc, workload) : undefined;
  },

  /** The profile with this address (compared as emailLookupKey does); a sign-in asks rarely, so the scan SQLite makes is fine. */
  async findByEmail(email: string): Promise<ExpertRecord | undefined> {
    const doc = await ExpertModel.findOne({ email: emailLookupKey(email) }).select({ _id: 1 }).lean<{ _id: unknown }>();
    return doc ? expertRepository.findById(String(doc._id)) : undefined;
  },

  async exists(id: string): Promise<boolean> {
    return (await ExpertModel.exists({ _id: id })) !== null;
  },

  async *all(): AsyncGenerator<ExpertRecord> {
    const workloads = new Map((await ExpertWorkloadModel.find().lean<Array<StoredWorkload & { _id: string }>>()).map((doc) => [doc._id, doc]));
    for await (const doc of ExpertModel.find().lean<ExpertDocument[]>().cursor()) {
      const profile = doc as unknown as ExpertDocument;
      yield toRecord(profile, workloads.get(profile._id.toHexString()) ?? null);
    }
  },

  /** Applies the change only if the stored revision is still `revision` (and nobody else writes it meanwhile). */
  async update(id: string, revision: number, set: Partial<ExpertInput>, unset: string[]): Promise<UpdateOutcome> {
    const $set: Record<string, unknown> = { ...set };
    if (set.skills) $set.skillKeys = set.skills.map(skillKey);
    if (set.email) Object.assign($set, { email: emailLookupKey(set.email), emailAsGiven: set.email });
    const update: Record<string, unknown> = { $set };
    if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((field) => [field, '']));
    const doc = await updateAtRevision<ExpertDocument>(ExpertModel.collection, new Types.ObjectId(id), revision, update);
    if (doc) return { outcome: 'updated', expert: toRecord(doc, await ExpertWorkloadModel.findById(id).lean<StoredWorkload>()) };
    return { outcome: (await this.exists(id)) ? 'stale' : 'missing' };
  },

  /**
   * Adds `delta` to the expert's workload as the single writer of its revision (retrying under contention): FerretDB
   * loses concurrent `$inc`s, and recounting from invitations and requests would scan both collections. `allowed` is
   * checked against the revision being written, so a guarded change (taking the last free slot) has one winner; the
   * result is the workload as written, or undefined when it refused.
   */
  async adjustWorkload(id: string, delta: Partial<ExpertWorkload>, allowed: (current: ExpertWorkload) => boolean = () => true): Promise<StoredWorkload | undefined> {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const current = await ExpertWorkloadModel.findById(id).lean<ExpertWorkload & { revision: number }>();
      if (!current) {
        await ExpertWorkloadModel.create({ _id: id, ...IDLE_WORKLOAD, revision: 0 }).catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
        continue;
      }
      if (!allowed(current)) return undefined;
      const $set = Object.fromEntries(
        (Object.keys(delta) as Array<keyof ExpertWorkload>).map((field) => [field, Math.max(0, current[field] + (delta[field] ?? 0))]),
      );
      const written = await updateAtRevision<StoredWorkload>(ExpertWorkloadModel.collection, id, current.revision, { $set }, { read: current, condition: allowed });
      if (written) return written;
      await pauseBeforeRetry(0);
    }
    throw new Error(`could not update the workload of expert ${id}`);
  },

  /** Every stored workload with its revision, by expert id (the workload audit's starting point). */
  async workloads(): Promise<Map<string, ExpertWorkload & { revision: number }>> {
    const docs = await ExpertWorkloadModel.find().lean<Array<ExpertWorkload & { _id: string; revision: number }>>();
    return new Map(docs.map(({ _id, pendingInvitations, activeConsultations, ratingTotal, ratingCount, revision }) => [_id, { pendingInvitations, activeConsultations, ratingTotal, ratingCount, revision }]));
  },

  /** Overwrites the workload if it is still at `revision` (undefined: there is none yet); false when it moved on. */
  async replaceWorkload(id: string, revision: number | undefined, workload: ExpertWorkload): Promise<boolean> {
    if (revision === undefined) {
      try {
        await ExpertWorkloadModel.create({ _id: id, ...workload, revision: 0 });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    }
    return (await updateAtRevision<ExpertWorkload & { revision: number }>(ExpertWorkloadModel.collection, id, revision, { $set: { ...workload } })) !== null;
  },

  async delete(id: string): Promise<boolean> {
    const [profile] = await Promise.all([ExpertModel.deleteOne({ _id: id }), ExpertWorkloadModel.deleteOne({ _id: id })]);
    return profile.deletedCount === 1;
  },
};
