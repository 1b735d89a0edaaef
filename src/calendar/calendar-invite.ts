import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import type { MailLanguage } from '../domain/people';
import { calendarSequence } from '../domain/proposals';
import { translatorFor } from '../i18n/i18n';
import type { ConsultationSchedule, RequestRecord } from '../requests/request.repository';

/** A person in the calendar entry; the parties have seen each other's address since acceptance (issue 10 item 8). */
export interface CalendarPerson {
  name: string;
  email: string;
}

export type CalendarMethod = 'REQUEST' | 'CANCEL';

export interface CalendarInput {
  request: RequestRecord & { schedule: ConsultationSchedule };
  /** The accepted expert, when still known (an erased expert is left out). */
  expert: CalendarPerson | undefined;
  /** The language of SUMMARY and DESCRIPTION: the reader's. */
  language: MailLanguage;
  /** REQUEST or CANCEL for a scheduling message (RFC 5546); none for a file to import. */
  method?: CalendarMethod;
  /** MAIL_FROM (`Name <user@domain>` or `user@domain`): the ORGANIZER, and the UID's domain. */
  from: string;
}

/** The display name and address of a `Name <user@domain>` or bare `user@domain` mailbox (RFC 5322 §3.4). */
export function parseMailbox(mailbox: string): { name?: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*$/.exec(mailbox);
  if (match) return { ...(match[1] ? { name: match[1] } : {}), email: match[2]! };
  return { email: mailbox.trim() };
}

/**
 * A name made safe as a quoted parameter value (CN): RFC 5545 §3.1 allows no DQUOTE there and has no escape for one
 * (ical-generator writes `\"`, which parsers read differently), so double quotes become single ones.
 */
const paramText = (text: string): string => text.replaceAll('"', "'");

/** The consultation's UID: one per request, so every REQUEST and CANCEL about it updates one calendar entry (RFC 5545 §3.8.4.7). */
export const consultationUid = (requestId: string, from: string): string => `${requestId}@${parseMailbox(from).email.split('@')[1] ?? 'localhost'}`;

/**
 * The consultation as an iCalendar object (RFC 5545), made with ical-generator. Times are written in UTC (`…Z`):
 * with a TZID but no VTIMEZONE, ical-generator would write the wall-clock time of the wrong zone (ARCHITECTURE.md,
 * "Known traps"). SEQUENCE follows calendarSequence; DTSTAMP is the time of the step announced (the last schedule, or
 * the cancellation), so the same state always gives the same file. A cancelled request, or `method: 'CANCEL'`, gives
 * `STATUS:CANCELLED` (Cal.com once sent cancellations as REQUEST, which left them in calendars).
 */
export function consultationCalendar(input: CalendarInput): string {
  const { request, language } = input;
  const t = translatorFor(language);
  const cancelled = input.method === 'CANCEL' || request.stage === 'cancelled';
  const announced = [...request.history].reverse().find((entry) => entry.stage === (cancelled ? 'cancelled' : 'scheduled'));
  const { startsAt, durationMinutes, location, meetingUrl } = request.schedule;
  const organizer = parseMailbox(input.from);
  const attendees = [input.expert, request.contact].filter((person): person is CalendarPerson => person !== undefined);

  const calendar = ical({
    prodId: { company: 'South Baltic Consultations', product: 'Consultations', language: 'EN' },
    ...(input.method ? { method: input.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST } : {}),
  });
  calendar.createEvent({
    id: consultationUid(request.id, input.from),
    sequence: calendarSequence(request.history, cancelled ? 'CANCEL' : 'REQUEST'),
    stamp: announced?.at ?? request.updatedAt,
    start: startsAt,
    end: new Date(startsAt.getTime() + durationMinutes * 60_000),
    summary: t('calendar.summary', { title: request.title }),
    description: t('calendar.description', { organization: request.organization.name }),
    ...(location !== undefined || meetingUrl !== undefined ? { location: location ?? meetingUrl } : {}),
    ...(meetingUrl !== undefined ? { url: meetingUrl } : {}),
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: paramText(organizer.name ?? t('mail.team')), email: organizer.email },
    attendees: attendees.map((person) => ({ name: paramText(person.name), email: person.email, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.ACCEPTED, rsvp: false })),
  });
  return calendar.toString();
}
