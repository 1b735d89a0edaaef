import { statusLinkState } from '../domain/action-links';
import { DomainError } from '../domain/lifecycle';
import { defaultTimeZone, type Contact, type MailLanguage } from '../domain/people';
import { AppError } from '../errors';
import type { CalendarService } from '../calendar/calendar.service';
import type { ConsultationService } from '../consultations/consultation.service';
import { expertRepository, type ExpertRecord } from '../experts/expert.repository';
import { actionTokenRepository, type ActionTokenRecord } from '../links/action-token.repository';
import { hashToken, TOKEN_SHAPE } from '../links/action-tokens';
import { principalFor } from '../links/link-handler';
import type { ProposalService } from '../proposals/proposal.service';
import { requestRepository, type RequestRecord } from '../requests/request.repository';

/** A status page's subject: its link's token, the request (with its contact), and the zone its times are shown in. */
export interface StatusSubject {
  token: ActionTokenRecord;
  request: RequestRecord & { contact: Contact };
  timeZone: string;
}

export type RequestStatus = ReturnType<typeof createRequestStatus>;

/**
 * The request's status page behind `/r/{token}` (issue 11 item 3): reads the request its `view_request` link names,
 * and performs the page's buttons through the services the API calls, as the request's owner (principalFor), so a
 * button and its API call are one thing. A step the request no longer allows throws AppError `conflict`.
 */
export function createRequestStatus(deps: {
  proposals: Pick<ProposalService, 'pick'>;
  consultations: Pick<ConsultationService, 'cancel' | 'giveFeedback'>;
  calendars: Pick<CalendarService, 'forParty'>;
}) {
  /** Maps the lifecycle's refusal of a step (the request moved on since the page was shown) to a conflict. */
  const asConflict = async <T>(step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      if (error instanceof DomainError) throw new AppError('conflict', error.message);
      if (error instanceof AppError && (error.code === 'invalid_transition' || error.code === 'not_found')) throw new AppError('conflict', error.message);
      throw error;
    }
  };
  const ownerOf = (subject: StatusSubject) => principalFor(subject.token, subject.request);

  return {
    /**
     * The subject of a raw token from a `/r/` URL at `now`; undefined when the token is malformed, tampered, never
     * issued, of another purpose, expired, or its request or contact is gone. Only reads.
     */
    async open(raw: string, now = new Date()): Promise<StatusSubject | undefined> {
      if (!TOKEN_SHAPE.test(raw)) return undefined;
      const token = await actionTokenRepository.findById(hashToken(raw));
      if (!token || token.purpose !== 'view_request' || statusLinkState(token, now) !== 'ready') return undefined;
      const request = await requestRepository.findById(token.subjectId);
      if (!request?.contact || token.partyId !== request.id) return undefined;
      return { token, request: { ...request, contact: request.contact }, timeZone: defaultTimeZone(request.organization.country) };
    },

    /** The accepted expert, read fresh (the page shows them only after acceptance). */
    expertOf: async (subject: StatusSubject): Promise<ExpertRecord | undefined> => (subject.request.acceptedExpertId ? expertRepository.findById(subject.request.acceptedExpertId) : undefined),

    /** `POST /v1/requests/{id}/proposals/{slotId}/pick` as the owner. */
    pick: (subject: StatusSubject, slotId: string, now = new Date()) => asConflict(() => deps.proposals.pick(ownerOf(subject), subject.request.id, slotId, now)),

    /** `POST /v1/requests/{id}/cancel` as the owner; `reason` already parsed with the API's schema. */
    cancel: (subject: StatusSubject, reason: string, now = new Date()) => asConflict(() => deps.consultations.cancel(ownerOf(subject), subject.request.id, reason, now)),

    /** `POST /v1/requests/{id}/feedback` as the owner; `feedback` already parsed with the API's schema. */
    feedback: (subject: StatusSubject, feedback: { rating: number; comment?: string }, now = new Date()) =>
      asConflict(() => deps.consultations.giveFeedback(ownerOf(subject), subject.request.id, feedback, now)),

    /** `GET /v1/requests/{id}/calendar.ics` as the owner, its SUMMARY in `language`; AppError `not_found` before a schedule. */
    calendar: (subject: StatusSubject, language: MailLanguage) => deps.calendars.forParty(ownerOf(subject), subject.request.id, language),
  };
}
