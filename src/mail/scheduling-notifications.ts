import { consultationCalendar, type CalendarMethod } from '../calendar/calendar-invite';
import { slotLinkExpiry } from '../domain/action-links';
import { defaultTimeZone, type MailLanguage } from '../domain/people';
import type { ExpertRecord } from '../experts/expert.repository';
import { languageOf, timeZoneOf } from '../experts/expert.presenter';
import type { IssueLinks } from '../links/action-tokens';
import type { Logger } from '../logger';
import type { ProposedRequest } from '../proposals/proposal.service';
import type { ConsultationSchedule, RequestRecord } from '../requests/request.repository';
import { contactRecipient, expertRecipient, statusLinkFor } from './mail-notifications';
import type { MailOutbox } from './mail-outbox';
import { consultationCancelledMail } from './mails/consultation-cancelled.mail';
import { consultationScheduledMail } from './mails/consultation-scheduled.mail';
import { slotsProposedMail } from './mails/slots-proposed.mail';
import { safeRecorder } from './recording';

/** One party of a consultation as a mail recipient: the outbox's party key, the address, and how they read. */
interface Party {
  recipient: string;
  email: string;
  name: string;
  language: MailLanguage;
  timeZone: string;
}

type Scheduled = RequestRecord & { schedule: ConsultationSchedule };

export type SchedulingNotifications = ReturnType<typeof createSchedulingNotifications>;

/**
 * The mails of slot scheduling (issue 10 items 3, 5, 6), recorded in the outbox by the change that causes them: "pick
 * a time" to the contact, and "scheduled" (a METHOD:REQUEST invite) or "cancelled" (METHOD:CANCEL, RFC 5546 §3.2.5)
 * to both parties, each in the recipient's language with times in their zone. Like mail-notifications.ts, recording
 * never fails the change (it is logged), and without an outbox (`MAIL=off`) nothing is recorded.
 */
export function createSchedulingNotifications(deps: {
  outbox: MailOutbox | undefined;
  logger: Logger;
  findExpert: (id: string) => Promise<ExpertRecord | undefined>;
  issueLinks: IssueLinks;
  dropLinks: (tokenIds: readonly string[]) => Promise<void>;
  /** MAIL_FROM: the invites' ORGANIZER and UID domain. */
  from: string;
}) {
  const log = deps.logger.child({ component: 'mail' });

  const recordSafely = safeRecorder(deps.outbox, log);

  /** The contact (in their organisation's country's zone) and the accepted expert, as far as each is still known. */
  async function partiesOf(request: RequestRecord): Promise<{ contact?: Party; expert?: Party }> {
    const { contact } = request;
    const expert = request.acceptedExpertId ? await deps.findExpert(request.acceptedExpertId) : undefined;
    return {
      ...(contact ? { contact: { recipient: contactRecipient(request.id), email: contact.email, name: contact.name, language: contact.language, timeZone: defaultTimeZone(request.organization.country) } } : {}),
      ...(expert ? { expert: { recipient: expertRecipient(expert.id), email: expert.email, name: expert.name, language: languageOf(expert), timeZone: timeZoneOf(expert) } } : {}),
    };
  }

  /** Records one calendar mail per party, keyed by the event it goes with; each carries its own invite in its reader's language. */
  async function toBothParties(outbox: MailOutbox, request: Scheduled, eventKey: string, method: CalendarMethod, render: (reader: Party, other: Party | undefined) => { subject: string; text: string; html: string }) {
    const { contact, expert } = await partiesOf(request);
    const calendarExpert = expert && { name: expert.name, email: expert.email };
    for (const [reader, other] of [[contact, expert], [expert, contact]] as const) {
      if (!reader) continue;
      await outbox.record({
        eventKey,
        recipient: reader.recipient,
        kind: method === 'CANCEL' ? 'consultation_cancelled' : 'consultation_scheduled',
        requestId: request.id,
        to: reader.email,
        language: reader.language,
        ...render(reader, other),
        calendar: { method, content: consultationCalendar({ request, expert: calendarExpert, language: reader.language, method, from: deps.from }) },
      });
    }
  }

  return {
    /** "Pick a time", to the request's contact: one single-use pick link per slot, in the order proposed. */
    slotsProposed: (request: ProposedRequest) =>
      recordSafely('slots proposed', { requestId: request.id }, async (outbox) => {
        const { contact, proposal } = request;
        if (!contact) return;
        const expert = request.acceptedExpertId ? await deps.findExpert(request.acceptedExpertId) : undefined;
        const now = new Date();
        const issued = await deps.issueLinks([
          ...proposal.slots.map((slot) => ({ purpose: 'pick_slot' as const, subjectId: request.id, partyRole: 'contact' as const, partyId: request.id, choice: slot.id, expiresAt: slotLinkExpiry(slot, now) })),
          statusLinkFor(request.id, now),
        ]);
        let recorded = false;
        try {
          recorded = await outbox.record({
            eventKey: `consultation.proposed:${request.id}:p${proposal.number}`,
            recipient: contactRecipient(request.id),
            kind: 'slots_proposed',
            requestId: request.id,
            to: contact.email,
            language: contact.language,
            ...slotsProposedMail({
              request,
              contact,
              timeZone: defaultTimeZone(request.organization.country),
              expertName: expert?.name ?? '',
              proposal,
              links: issued.urls.slice(0, proposal.slots.length),
              statusLink: issued.urls[proposal.slots.length],
            }),
          });
        } finally {
          // Recorded before (a job run twice): the links in the stored mail stay the ones that work.
          if (!recorded) await deps.dropLinks(issued.tokenIds);
        }
      }),

    /** "Scheduled" (or "new time" after an earlier schedule) with a METHOD:REQUEST invite, keyed like the `consultation.scheduled` event. */
    scheduled: (request: RequestRecord) =>
      recordSafely('consultation scheduled', { requestId: request.id }, async (outbox) => {
        const { schedule } = request;
        if (!schedule) return;
        const moved = request.history.filter((entry) => entry.stage === 'scheduled').length > 1;
        await toBothParties(outbox, { ...request, schedule }, `consultation.scheduled:${request.id}:h${request.history.length}`, 'REQUEST', (reader, other) =>
          consultationScheduledMail({ request, schedule, reader, other: other && { name: other.name, email: other.email }, moved }),
        );
      }),

    /** "Cancelled" with a METHOD:CANCEL invite, when the request had a time in people's calendars (it was scheduled or under way). */
    cancelled: (request: RequestRecord) =>
      recordSafely('consultation cancelled', { requestId: request.id }, async (outbox) => {
        const { schedule } = request;
        const before = request.history.at(-2)?.stage;
        if (!schedule || request.stage !== 'cancelled' || (before !== 'scheduled' && before !== 'in_progress')) return;
        await toBothParties(outbox, { ...request, schedule }, `request.cancelled:${request.id}:h${request.history.length}`, 'CANCEL', (reader) =>
          consultationCancelledMail({ request, schedule, reader }),
        );
      }),
  };
}
