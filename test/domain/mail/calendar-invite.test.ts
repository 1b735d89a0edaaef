import { consultationCalendar, parseMailbox } from '../../../src/calendar/calendar-invite';
import type { RequestRecord } from '../../../src/requests/request.repository';
import { readEvent } from '../../helpers/ical';

const at = (iso: string) => new Date(iso);
const scheduledAt = at('2026-12-01T10:00:00Z');

function scheduledRequest(overrides: Partial<RequestRecord> = {}) {
  return {
    id: '6650a1b2c3d4e5f601234580',
    title: 'Trasa; "nowa", z\\ukośnikiem\ni drugą linią',
    organization: { name: 'Muzeum, Tolkmicko', type: 'cultural', country: 'PL' },
    stage: 'scheduled',
    contact: { name: 'Ewa "Ewka" Zielińska', email: 'ewa@muzeum.example.pl', language: 'pl' },
    history: [
      { stage: 'accepted', at: at('2026-11-30T10:00:00Z'), actor: { role: 'expert' } },
      { stage: 'scheduled', at: scheduledAt, actor: { role: 'requester' } },
    ],
    schedule: { startsAt: at('2027-03-28T01:30:00Z'), durationMinutes: 45, location: 'Sala 2; piętro 1' },
    updatedAt: scheduledAt,
    ...overrides,
  } as RequestRecord & { schedule: NonNullable<RequestRecord['schedule']> };
}

describe('consultationCalendar', () => {
  it('writes UTC times, the stable UID, escaped user text and quote-free names that a real parser reads back', () => {
    const text = consultationCalendar({ request: scheduledRequest(), expert: { name: 'Rūta Petrauskienė', email: 'ruta@studija.example.lt' }, language: 'en', method: 'REQUEST', from: 'South Baltic <noreply@consult.example.org>' });
    expect(text).toContain('DTSTART:20270328T013000Z\r\n');
    expect(text).not.toContain('TZID');
    const { method, event, vevent } = readEvent(text);
    expect(method).toBe('REQUEST');
    expect(event.uid).toBe('6650a1b2c3d4e5f601234580@consult.example.org');
    expect(event.summary).toBe('Consultation: Trasa; "nowa", z\\ukośnikiem\ni drugą linią');
    expect(event.location).toBe('Sala 2; piętro 1');
    expect(event.endDate.toJSDate().toISOString()).toBe('2027-03-28T02:15:00.000Z');
    expect(vevent.getFirstPropertyValue('dtstamp')!.toString()).toBe('2026-12-01T10:00:00Z');
    expect(event.attendees.map((attendee) => attendee.getParameter('cn'))).toEqual(['Rūta Petrauskienė', "Ewa 'Ewka' Zielińska"]);
    expect(vevent.getFirstProperty('organizer')!.getParameter('cn')).toBe('South Baltic');
  });

  it('cancels with METHOD:CANCEL, STATUS:CANCELLED and a SEQUENCE above the last request, stamped at the cancellation', () => {
    const cancelledAt = at('2026-12-02T08:00:00Z');
    const request = scheduledRequest({ stage: 'cancelled', history: [...scheduledRequest().history, { stage: 'scheduled', at: scheduledAt, actor: { role: 'admin' } }, { stage: 'cancelled', at: cancelledAt, actor: { role: 'admin' } }] });
    const { method, event, vevent } = readEvent(consultationCalendar({ request, expert: undefined, language: 'pl', method: 'CANCEL', from: 'noreply@consult.example.org' }));
    expect([method, event.sequence, vevent.getFirstPropertyValue('status'), event.summary]).toEqual(['CANCEL', 2, 'CANCELLED', 'Konsultacja: Trasa; "nowa", z\\ukośnikiem\ni drugą linią']);
    expect(vevent.getFirstPropertyValue('dtstamp')!.toString()).toBe('2026-12-02T08:00:00Z');
    expect(event.attendees).toHaveLength(1);
  });
});

describe('parseMailbox', () => {
  it('reads a display name and address, or a bare address', () => {
    expect(parseMailbox('"South Baltic" <noreply@consult.example.org>')).toEqual({ name: 'South Baltic', email: 'noreply@consult.example.org' });
    expect(parseMailbox('noreply@consult.example.org')).toEqual({ email: 'noreply@consult.example.org' });
  });
});
