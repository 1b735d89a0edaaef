import type { MailLanguage } from '../../domain/people';
import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';
import type { ConsultationSchedule, RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { signature } from './common';
import { venueRows } from './scheduling-common';

/** Who reads a scheduling mail: their name, language and IANA zone (every time is shown in it, named). */
export interface ScheduleReader {
  name: string;
  language: MailLanguage;
  timeZone: string;
}

/** The other party of the consultation, whose name and address the reader has known since acceptance. */
export interface OtherParty {
  name: string;
  email: string;
}

/**
 * "Scheduled" (or, when `moved`, "new time"), to either party in their language: when in their own zone (named), how
 * long, where or the meeting link, and with whom. The calendar invite travels with the mail as its text/calendar part.
 */
export function consultationScheduledMail(input: { request: RequestRecord; schedule: ConsultationSchedule; reader: ScheduleReader; other: OtherParty | undefined; moved: boolean }): ComposedMail {
  const { request, schedule, reader } = input;
  const t = translatorFor(reader.language);
  const values = { title: request.title, when: formatInstant(schedule.startsAt, reader.timeZone, reader.language), change: input.moved ? 'moved' : 'new' };
  return compose(reader.language, t('mail.scheduled.subject', values), [
    { paragraph: t('mail.greeting', { name: reader.name }) },
    { paragraph: t('mail.scheduled.intro', values) },
    {
      rows: [
        ...venueRows(schedule, reader),
        ...(input.other ? [{ label: t('mail.scheduling.label.with'), value: `${input.other.name} <${input.other.email}>` }] : []),
      ],
    },
    { paragraph: t('mail.scheduled.calendarNote') },
    ...signature(reader.language),
  ]);
}
