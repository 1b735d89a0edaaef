import type ICALModule from 'ical.js' with { 'resolution-mode': 'import' };

/**
 * ical.js, a real iCalendar parser (RFC 5545), for reading invites back. It is an ES module whose CommonJS build has no
 * type declarations of its own, so the CommonJS build is loaded with the ES module's types.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const ICAL: typeof ICALModule = require('ical.js');

/** The one VEVENT of an iCalendar text, with the calendar's METHOD (null when it has none). */
export function readEvent(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT in the calendar');
  return { method: calendar.getFirstPropertyValue('method'), vevent, event: new ICAL.Event(vevent) };
}
