import { AppError, notFound } from '../errors';
import { EDITABLE_STAGES, type Actor } from '../domain/stages';
import { resolveParty } from '../consultations/party';
import type { Party } from '../domain/lifecycle';
import type { Principal } from '../http/principal';
import { requestRepository, type RequestRecord } from './request.repository';
import type { RequestInput, RequestListQuery, RequestPatch } from './request.schemas';
import { splitPatch } from '../http/merge-patch';

export type RequestService = ReturnType<typeof createRequestService>;

export const actorOf = (principal: Principal): Actor => ({ role: principal.role, id: principal.keyId });

/** `onSubmitted` schedules matching; it must not fail the submission (the reconciler catches up). */
export function createRequestService(deps: { onSubmitted: (request: RequestRecord) => Promise<void> }) {
  /** The request and the caller's part in it; 404 when it is none of their business (see partyOf). */
  async function withParty(principal: Principal, id: string): Promise<{ request: RequestRecord; party: Party }> {
    const request = await requestRepository.findById(id);
    const party = request && (await resolveParty(principal, request));
    if (!request || !party) throw notFound('Request');
    return { request, party };
  }

  const visible = async (principal: Principal, id: string): Promise<RequestRecord> => (await withParty(principal, id)).request;

  return {
    async submit(principal: Principal, input: RequestInput, now = new Date()): Promise<RequestRecord> {
      const request = await requestRepository.insert(principal.ownerId, input, { stage: 'submitted', at: now, actor: actorOf(principal) });
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

    list(principal: Principal, query: RequestListQuery, afterId: string | undefined): Promise<RequestRecord[]> {
      const ownerId = principal.role === 'admin' ? undefined : principal.ownerId;
      return requestRepository.list({ ownerId, stage: query.stage, country: query.country }, afterId, query.limit + 1);
    },

    async update(principal: Principal, id: string, revision: number, patch: RequestPatch): Promise<RequestRecord> {
      const current = await visible(principal, id);
      if (!EDITABLE_STAGES.includes(current.stage)) {
        throw new AppError('conflict', `A request in stage ${current.stage} can no longer be edited`, { stage: current.stage });
      }
      const { set, unset } = splitPatch<RequestInput>(patch);
      const result = await requestRepository.updateContent(id, revision, EDITABLE_STAGES, set, unset);
      if (result.outcome !== 'updated') {
        throw result.outcome === 'missing' ? notFound('Request') : new AppError('precondition_failed', 'The request has changed since you read it; fetch it again');
      }
      return result.request;
    },
  };
}
