import { resolveParty } from '../consultations/party';
import type { MailLanguage } from '../domain/people';
import { notFound } from '../errors';
import type { ExpertRecord } from '../experts/expert.repository';
import type { Principal } from '../http/principal';
import type { RequestRecord } from '../requests/request.repository';
import { consultationCalendar } from './calendar-invite';

export type CalendarService = ReturnType<typeof createCalendarService>;

/** The consultation's calendar file for its parties (`GET /v1/requests/{id}/calendar.ics`). */
export function createCalendarService(deps: {
  findRequest: (id: string) => Promise<RequestRecord | undefined>;
  findExpert: (id: string) => Promise<ExpertRecord | undefined>;
  /** MAIL_FROM: the ORGANIZER and the UID's domain, as in the invites sent by mail. */
  from: string;
}) {
  return {
    /**
     * The iCalendar text for the owner, the accepted expert or an admin, with SUMMARY in `language`; 404 for anyone
     * else and for a request that was never scheduled.
     */
    async forParty(principal: Principal, requestId: string, language: MailLanguage): Promise<string> {
      const request = await deps.findRequest(requestId);
      const party = request && (await resolveParty(principal, request));
      if (!request || (party !== 'owner' && party !== 'accepted_expert' && party !== 'admin')) throw notFound('Request');
      const { schedule } = request;
      if (!schedule) throw notFound('Calendar');
      const expert = request.acceptedExpertId ? await deps.findExpert(request.acceptedExpertId) : undefined;
      return consultationCalendar({ request: { ...request, schedule }, expert: expert && { name: expert.name, email: expert.email }, language, from: deps.from });
    },
  };
}
