import { allowedNextStages } from '../domain/lifecycle';
import { pickState, PROPOSAL_STAGES, slotId, type PickState, type Proposal } from '../domain/proposals';
import { AppError, notFound } from '../errors';
import type { EmitEvent } from '../events';
import type { Principal } from '../http/principal';
import type { ConsultationService } from '../consultations/consultation.service';
import { holdsPendingInvitation, partyOf, resolveParty } from '../consultations/party';
import type { RequestRecord, RequestStore } from '../requests/request.repository';
import type { ProposalInput } from './proposal.schemas';

export type ProposalService = ReturnType<typeof createProposalService>;

/** A request with the proposal it was just given. */
export type ProposedRequest = RequestRecord & { proposal: Proposal };

const REFUSALS: Record<Exclude<PickState, 'ready' | 'unknown'>, (id: string, request: RequestRecord) => string> = {
  picked: (_id, request) => `A slot of this proposal was picked already (${request.proposal?.pickedSlotId}); propose again to change the time`,
  superseded: (id) => `Slot ${id} belongs to a proposal that a newer proposal or another schedule replaced; pick from the current proposal`,
  closed: (_id, request) => `Slots can be picked only while the request is accepted or scheduled; it is ${request.stage}`,
  begun: (id) => `Slot ${id} has already begun; it can no longer be picked`,
};

/** 404 for a slot the request never had; 409 `conflict` with `reason` (see PickState) for one that cannot be picked now. */
function refuseUnlessPickable(request: RequestRecord, id: string, now: Date): void {
  const state = pickState(request, id, now);
  if (state === 'ready') return;
  if (state === 'unknown') throw notFound('Slot');
  throw new AppError('conflict', REFUSALS[state](id, request), { reason: state });
}

/**
 * Slot proposals and picks (issue 10 item 5). The accepted expert offers 1–3 times; the organisation picks one, which
 * schedules the consultation through the same consultations.schedule as the direct route (reminder, event, calendar).
 */
export function createProposalService(deps: {
  store: RequestStore;
  consultations: Pick<ConsultationService, 'schedule'>;
  emit: EmitEvent;
  /** Records the "slots to pick" mail to the contact; never fails. */
  mail: { slotsProposed(request: ProposedRequest): Promise<void> };
}) {
  return {
    /**
     * Stores a new proposal on the request, replacing any earlier one, as the accepted expert or an admin while the
     * request is `accepted` or `scheduled`. No history entry is written: proposing moves no stage, and the reminder
     * of a scheduled consultation is keyed by the history's length. Then the `consultation.proposed` event (ids and
     * instants only) and the mail to the contact.
     */
    async propose(principal: Principal, requestId: string, input: ProposalInput, now = new Date()): Promise<ProposedRequest> {
      const read = await deps.store.findById(requestId);
      const pendingInvitee = read !== undefined && (await holdsPendingInvitation(principal, read, now));
      const moved = await deps.store.updateWithRetry(
        requestId,
        (request) => {
          const party = request && partyOf(principal, request, pendingInvitee);
          if (!request || !party) throw notFound('Request');
          if (party !== 'accepted_expert' && party !== 'admin') throw new AppError('forbidden', 'Only the accepted expert or an admin may propose times');
          if (!PROPOSAL_STAGES.includes(request.stage)) {
            throw new AppError('invalid_transition', `Cannot propose times for a request in stage ${request.stage}`, { stage: request.stage, allowedNextStages: allowedNextStages(request.stage) });
          }
          const number = (request.proposal?.number ?? 0) + 1;
          const proposal: Proposal = {
            number,
            slots: input.slots.map((slot, index) => ({ id: slotId(number, index + 1), startsAt: new Date(slot.startsAt), durationMinutes: slot.durationMinutes })),
            timeZone: input.timeZone,
            ...(input.location !== undefined ? { location: input.location } : {}),
            ...(input.meetingUrl !== undefined ? { meetingUrl: input.meetingUrl } : {}),
            step: request.history.length,
            proposedAt: now,
          };
          return { stage: request.stage, change: { set: { proposal } } };
        },
        read,
      );
      if (!moved?.proposal) throw new AppError('conflict', 'The request changed meanwhile; read it and try again');
      const proposed = moved as ProposedRequest;
      const { proposal } = proposed;
      await deps.emit({
        type: 'consultation.proposed',
        requestId,
        ownerId: moved.ownerId,
        data: {
          requestId,
          stage: moved.stage,
          proposal: proposal.number,
          timeZone: proposal.timeZone,
          slots: proposal.slots.map((slot) => ({ id: slot.id, startsAt: slot.startsAt.toISOString(), durationMinutes: slot.durationMinutes })),
        },
        dedupeKey: `consultation.proposed:${requestId}:p${proposal.number}`,
      });
      await deps.mail.slotsProposed(proposed);
      return proposed;
    },

    /**
     * Picks slot `id` of the current proposal as the request's owner or an admin: the request is scheduled at it. The
     * slot is judged again on the request as written, so of a pick racing a new proposal or another pick only one wins.
     */
    async pick(principal: Principal, requestId: string, id: string, now = new Date()): Promise<RequestRecord> {
      const request = await deps.store.findById(requestId);
      const party = request && (await resolveParty(principal, request, now));
      if (!request || !party) throw notFound('Request');
      if (party !== 'owner' && party !== 'admin') throw new AppError('forbidden', "Only the request's owner or an admin may pick a slot");
      refuseUnlessPickable(request, id, now);
      const proposal = request.proposal!;
      const slot = proposal.slots.find((candidate) => candidate.id === id)!;
      const schedule = {
        startsAt: slot.startsAt,
        durationMinutes: slot.durationMinutes,
        ...(proposal.location !== undefined ? { location: proposal.location } : {}),
        ...(proposal.meetingUrl !== undefined ? { meetingUrl: proposal.meetingUrl } : {}),
      };
      return deps.consultations.schedule(principal, requestId, schedule, now, (current) => {
        refuseUnlessPickable(current, id, now);
        return { proposal: { ...current.proposal, pickedSlotId: id, pickedAt: now } };
      });
    },
  };
}
