import { AppError, notFound } from '../errors';
import type { Principal } from '../http/principal';
import { expertRepository, type ExpertFilter, type ExpertRecord } from './expert.repository';
import type { ExpertInput, ExpertListQuery, ExpertPatch } from './expert.schemas';
import { isDuplicateKeyError } from '../infra/database';
import { splitPatch } from '../http/merge-patch';
import { updateConditionally, type Precondition } from '../http/conditional';

export interface ExpertChangeListener {
  expertChanged(expert: ExpertRecord): void | Promise<void>;
  expertRemoved(expertId: string): void | Promise<void>;
}

/** The unique e-mail index is the only one a profile write can violate. */
function emailTaken(error: unknown): never {
  if (isDuplicateKeyError(error)) throw new AppError('duplicate', 'An expert with this e-mail already exists');
  throw error;
}

export type ExpertService = ReturnType<typeof createExpertService>;


export function createExpertService(deps: {
  revokeKeysOfExpert: (expertId: string) => Promise<void>;
  listKeysOfExpert: (expertId: string) => Promise<unknown[]>;
  listMailsToExpert: (expertId: string) => Promise<unknown[]>;
  forgetStoredCopies: (expertId: string) => Promise<void>;
  listeners: ExpertChangeListener[];
  directory: { list(filter: ExpertFilter, afterId: string | undefined, limit: number): ExpertRecord[] };
}) {
  const notifyChanged = (expert: ExpertRecord) => Promise.all(deps.listeners.map((listener) => listener.expertChanged(expert)));
  const notifyRemoved = (id: string) => Promise.all(deps.listeners.map((listener) => listener.expertRemoved(id)));

  /** Experts see only themselves; admins and partners read every profile. */
  async function readable(principal: Principal, id: string): Promise<ExpertRecord> {
    if (principal.role === 'expert' && principal.expertId !== id) throw notFound('Expert');
    const expert = await expertRepository.findById(id);
    if (!expert) throw notFound('Expert');
    return expert;
  }

  /** Changes are for the expert, the partner that created the profile, and admins. */
  async function writable(principal: Principal, id: string): Promise<ExpertRecord> {
    const expert = await readable(principal, id);
    if (principal.role === 'partner' && expert.ownerId !== principal.ownerId) {
      throw new AppError('forbidden', 'Only the partner that created this profile may change it');
    }
    return expert;
  }

  return {
    /** A new profile owned by the principal's owner; `id` fixed beforehand by a confirmed sign-up (its draft's id). AppError `duplicate` when the address has one. */
    async create(principal: Principal, input: ExpertInput, id?: string): Promise<ExpertRecord> {
      const expert = await expertRepository.insert(principal.ownerId, input, id).catch(emailTaken);
      await notifyChanged(expert);
      return expert;
    },

    get: readable,

    async list(principal: Principal, query: ExpertListQuery, afterId: string | undefined): Promise<ExpertRecord[]> {
      if (principal.role === 'expert') {
        const own = principal.expertId ? await expertRepository.findById(principal.expertId) : undefined;
        return own && (!afterId || own.id > afterId) ? [own] : [];
      }
      return deps.directory.list(query, afterId, query.limit + 1);
    },

    /** A profile change, judged against `precondition` (If-Match) once the caller may make it. */
    async update(principal: Principal, id: string, precondition: Precondition, patch: ExpertPatch): Promise<ExpertRecord> {
      const { set, unset } = splitPatch<ExpertInput>(patch);
      const expert = await updateConditionally(() => writable(principal, id), precondition, async (current) => {
        const result = await expertRepository.update(id, current.revision, set, unset).catch(emailTaken);
        if (result.outcome === 'missing') throw notFound('Expert');
        return result.outcome === 'updated' ? result.expert : 'stale';
      });
      await notifyChanged(expert);
      return expert;
    },

    /** Right to erasure: the profile goes, keys are revoked, matching forgets the expert, and mails to them lose address and content. */
    async erase(principal: Principal, id: string): Promise<void> {
      await writable(principal, id);
      await deps.revokeKeysOfExpert(id);
      await deps.forgetStoredCopies(id);
      if (!(await expertRepository.delete(id))) throw notFound('Expert');
      // After the delete, so another instance refreshing on the announcement finds nothing to reload.
      await notifyRemoved(id);
    },

    async export(principal: Principal, id: string, now = new Date()) {
      if (principal.role !== 'admin' && principal.expertId !== id) {
        if (principal.role === 'expert') throw notFound('Expert');
        throw new AppError('forbidden', 'Only the expert or an admin may export this data');
      }
      const expert = await readable(principal, id);
      return { exportedAt: now.toISOString(), expert, apiKeys: await deps.listKeysOfExpert(id), mails: await deps.listMailsToExpert(id) };
    },
  };
}
