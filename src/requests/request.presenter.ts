import type { Proposal } from '../domain/proposals';
import type { components } from '../generated/openapi';
import type { Principal } from '../http/principal';
import type { RequestRecord } from './request.repository';
import type { RequestResponse } from './request.schemas';

/**
 * What an expert with a pending invitation may see to decide on it: what is asked, where and by what kind of
 * organisation; no history (actors, notes naming other experts), schedule, meeting link, summary or feedback.
 */
export function presentRequestSummary(request: RequestRecord): components['schemas']['ConsultationRequestSummary'] {
  const { name, type, country } = request.organization;
  return {
    id: request.id,
    view: 'summary',
    organization: { name, type, country },
    title: request.title,
    description: request.description,
    skills: request.skills,
    languages: request.languages,
    location: { country: request.location.country, ...(request.location.city !== undefined ? { city: request.location.city } : {}) },
    mode: request.mode,
    ...(request.topic !== undefined ? { topic: request.topic } : {}),
    ...(request.deadline !== undefined ? { deadline: request.deadline } : {}),
    ...(request.budget ? { budget: request.budget } : {}),
    stage: request.stage,
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
  };
}

/**
 * Whether `viewer` sees the request's contact: its owner and admins, and the accepted expert from acceptance on (as
 * the organisation learns the expert's address then, issue 10 item 8); never an invited expert.
 */
export const seesContact = (viewer: Principal, request: RequestRecord): boolean =>
  viewer.role !== 'expert' || (request.acceptedExpertId !== undefined && request.acceptedExpertId === viewer.expertId);

/** A proposal as the API answers it: instants in UTC, without its internal history step. */
function presentProposal(proposal: Proposal): components['schemas']['Proposal'] {
  const { step: _step, slots, proposedAt, pickedAt, ...rest } = proposal;
  return {
    ...rest,
    slots: slots.map((slot) => ({ ...slot, startsAt: slot.startsAt.toISOString() })),
    proposedAt: proposedAt.toISOString(),
    ...(pickedAt ? { pickedAt: pickedAt.toISOString() } : {}),
  };
}

export function presentRequest(request: RequestRecord, viewer: Principal): RequestResponse {
  return {
    id: request.id,
    organization: request.organization,
    title: request.title,
    description: request.description,
    skills: request.skills,
    languages: request.languages,
    location: request.location,
    mode: request.mode,
    ...(request.topic !== undefined ? { topic: request.topic } : {}),
    ...(request.deadline !== undefined ? { deadline: request.deadline } : {}),
    ...(request.budget ? { budget: request.budget } : {}),
    ...(request.contact && seesContact(viewer, request) ? { contact: request.contact } : {}),
    stage: request.stage,
    history: request.history.map((entry) => ({
      stage: entry.stage,
      at: entry.at.toISOString(),
      actor: entry.actor,
      ...(entry.note !== undefined ? { note: entry.note } : {}),
    })),
    ...(request.acceptedExpertId ? { acceptedExpertId: request.acceptedExpertId } : {}),
    ...(request.schedule ? { schedule: { ...request.schedule, startsAt: request.schedule.startsAt.toISOString() } } : {}),
    ...(request.proposal ? { proposal: presentProposal(request.proposal) } : {}),
    ...(request.summary !== undefined ? { summary: request.summary } : {}),
    ...(request.feedback ? { feedback: { ...request.feedback, at: request.feedback.at.toISOString() } } : {}),
    ...(request.cancellationReason !== undefined ? { cancellationReason: request.cancellationReason } : {}),
    createdAt: request.createdAt.toISOString(),
    updatedAt: request.updatedAt.toISOString(),
  };
}
