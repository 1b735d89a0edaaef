import type { MailLanguage } from '../../domain/people';
import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';

/** When, how long and where a consultation (or a proposed slot) takes place: a place, or a meeting link. */
export interface Venue {
  startsAt?: Date;
  durationMinutes?: number;
  location?: string;
  meetingUrl?: string;
}

/**
 * The rows of a consultation's time and place in the reader's language, for the fields given: when (in the
 * reader's zone, named), how long, and where or the meeting link.
 */
export function venueRows(venue: Venue, reader: { language: MailLanguage; timeZone: string }): Array<{ label: string; value: string; href?: string }> {
  const t = translatorFor(reader.language);
  return [
    ...(venue.startsAt ? [{ label: t('mail.scheduling.label.when'), value: formatInstant(venue.startsAt, reader.timeZone, reader.language) }] : []),
    ...(venue.durationMinutes !== undefined ? [{ label: t('mail.scheduling.label.duration'), value: t('mail.scheduling.minutes', { minutes: venue.durationMinutes }) }] : []),
    ...(venue.location !== undefined ? [{ label: t('mail.scheduling.label.where'), value: venue.location }] : []),
    ...(venue.meetingUrl !== undefined ? [{ label: t('mail.scheduling.label.meetingUrl'), value: venue.meetingUrl, href: venue.meetingUrl }] : []),
  ];
}
