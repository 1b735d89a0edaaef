import { AppError, notFound } from '../errors';
import { EDITABLE_STAGES, type Actor } from '../domain/stages';
import { resolveParty } from '../consultations/party';
import type { Party } from '../domain/lifecycle';
import type { Principal } from '../http/principal';
import { openRequests } from './open-requests';
import { readPage } from '../infra/list-index';
import { inRequestList, requestEntryOf, type RequestIndex } from './request-index';
import type { RequestRecord, RequestStore, StoredRequestInput } from './request.repository';
import type { RequestInput, RequestListQuery, RequestPatch } from './request.schemas';
import { defaultContactLanguage, type Contact } from '../domain/people';
import { splitPatch } from '../http/merge-patch';
import { updateConditionally, type Precondition } from '../http/conditional';

export type RequestService = ReturnType<typeof createRequestService>;

export const actorOf = (principal: Principal): Actor => ({ role: principal.role, id: principal.keyId });

/** The contact as stored: its language given, or else the request's first language if the service writes it (else en). */
export const resolveContact = (contact: NonNullable<RequestInput['contact']>, requestLanguages: readonly string[]): Contact => ({
  ...contact,
  language: contact.language ?? defaultContactLanguage(requestLanguages),
});

/** What people hear of a request (mail): both must not fail the change that causes them. */
export interface RequestMailHooks {
  /** The request was filed: the contact, if any, is told it was received. */
  received(request: RequestRecord): Promise<void>;
  /** The request's contact was erased: every copy of it in mail goes too. */
  contactErased(requestId: string): Promise<void>;
}

/** `onSubmitted` schedules matching; it must not fail the submission (the reconciler catches up). */
export function createRequestService(deps: {
  store: RequestStore;
  index: RequestIndex;
  onSubmitted: (request: RequestRecord) => Promise<void>;
  /** How many open requests an owner acting in this role may have; undefined: no limit. */
  openRequestCap: (role: Principal['role']) => number | undefined;
  mail: RequestMailHooks;
}) {
  /** The request and the caller's part in it; 404 when it is none of their business (see partyOf). */
  async function withParty(principal: Principal, id: string): Promise<{ request: RequestRecord; party: Party }> {
    const request = await deps.store.findById(id);
    const party = request && (await resolveParty(principal, request));
    if (!request || !party) throw notFound('Request');
    return { request, party };
  }

  const visible = async (principal: Principal, id: string): Promise<RequestRecord> => (await withParty(principal, id)).request;

  return {
    /**
     * Files a request if its owner has a free place in their quota of open requests (counted across the owner's keys:
     * OWASP API6, a business flow limited, not only a rate); 429 `too_many_open_requests` when not.
     */
    async submit(principal: Principal, input: RequestInput, now = new Date(), id?: string): Promise<RequestRecord> {
      if (principal.role === 'requester' && !input.contact) {
        // A requester is the organisation itself: nobody else would hear about the request (partners use webhooks).
        throw new AppError('validation_failed', 'Invalid body: 1 problem', {
          errors: [{ path: 'contact', message: 'is required for requests submitted with a requester key' }],
        }, { key: 'problem.detail.invalidInput', values: { where: 'body', count: 1 } });
      }
      const stored: StoredRequestInput = { ...input, contact: input.contact && resolveContact(input.contact, input.languages) };
      const cap = deps.openRequestCap(principal.role);
      const taken = await openRequests.take(principal.ownerId, cap);
      if (taken !== true) {
        if (taken === 'busy') {
          throw new AppError('too_many_open_requests', 'Too many requests from this owner are being filed at once; retry in a few seconds', { limit: cap }, { key: 'problem.detail.filingBusy' });
        }
        const detail = `This owner already has ${cap} open requests (submitted, matched, invited or underway); wait until one is completed or cancel one`;
        throw new AppError('too_many_open_requests', detail, { limit: cap }, { key: 'problem.detail.openRequests', values: { limit: cap ?? 0 } });
      }
      let request: RequestRecord;
      try {
        request = await deps.store.insert(principal.ownerId, stored, { stage: 'submitted', at: now, actor: actorOf(principal) }, id);
      } catch (error) {
        await openRequests.move(principal.ownerId, -1).catch(() => undefined);
        throw error;
      }
      await deps.mail.received(request);
      await deps.onSubmitted(request);
      return request;
    },

    get: visible,

    /**
     * What GET /v1/requests/{id} shows: the full request to its owner, an admin and the accepted expert; only the
     * summary (presentRequestSummary) to an expert whose invitation is pending, who has yet to decide.
     */
    async read(principal: Principal, id: string): Promise<{ request: RequestRecord; view: 'full' | 'summary' }> {
      const { request, party } = await withParty(principal, id);
      return { request, view: party === 'invited_expert' ? 'summary' : 'full' };
    },

    /**
     * Up to `limit + 1` requests after `afterId` in id order, of the caller's owner (every owner for an admin), named
     * by the request index and each read by `_id` as GET /v1/requests/{id} reads it (see readPage).
     */
    list(principal: Principal, query: RequestListQuery, afterId: string | undefined): Promise<RequestRecord[]> {
      const filter = { ownerId: principal.role === 'admin' ? undefined : principal.ownerId, stage: query.stage, country: query.country };
      return readPage(deps.index, { group: filter.ownerId, keep: inRequestList(filter), afterId, wanted: query.limit + 1 }, deps.store.findById, requestEntryOf);
    },

    /** Builds the request index from the database (start-up); the number of requests it holds. */
    warmUp: (): Promise<number> => deps.index.warmUp(),

    /** A content change, judged against `precondition` (If-Match) once the caller may make it and the stage allows it. */
    update(principal: Principal, id: string, precondition: Precondition, patch: RequestPatch): Promise<RequestRecord> {
      const { contact, ...fields } = patch;
      const { set, unset } = splitPatch<StoredRequestInput>(fields);
      const load = async () => {
        const current = await visible(principal, id);
        if (!EDITABLE_STAGES.includes(current.stage)) {
          throw new AppError('conflict', `A request in stage ${current.stage} can no longer be edited`, { stage: current.stage });
        }
        return current;
      };
      return updateConditionally(load, precondition, async (current) => {
        const change = contact ? { ...set, contact: resolveContact(contact, set.languages ?? current.languages) } : set;
        const result = await deps.store.updateContent(current, EDITABLE_STAGES, change, unset);
        if (result.outcome === 'missing') throw notFound('Request');
        return result.outcome === 'updated' ? result.request : 'stale';
      });
    },

    /**
     * Erases the request's contact (GDPR Art. 17) for its owner or an admin: from the request, then from the mail
     * outbox and the kept mail files. The request itself stays. Repeating it changes nothing.
     */
    async eraseContact(principal: Principal, id: string): Promise<void> {
      const { party } = await withParty(principal, id);
      if (party !== 'owner' && party !== 'admin') throw new AppError('forbidden', "Only the request's owner or an admin may erase its contact");
      if (!(await deps.store.removeContact(id))) throw notFound('Request');
      await deps.mail.contactErased(id);
    },
  };
}
