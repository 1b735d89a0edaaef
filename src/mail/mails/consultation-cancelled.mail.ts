import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';
import type { ConsultationSchedule, RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { signature } from './common';
import type { ScheduleReader } from './consultation-scheduled.mail';

/**
 * "Cancelled", to either party of a scheduled consultation in their language, naming the time it had in their zone.
 * The attached METHOD:CANCEL invite takes it out of their calendar. The reason typed by the canceller is not
 * repeated: it was written for the service, not necessarily for the other party.
 */
export function consultationCancelledMail(input: { request: RequestRecord; schedule: ConsultationSchedule; reader: ScheduleReader }): ComposedMail {
  const { request, reader } = input;
  const t = translatorFor(reader.language);
  const values = { title: request.title, when: formatInstant(input.schedule.startsAt, reader.timeZone, reader.language) };
  return compose(reader.language, t('mail.cancelled.subject', values), [
    { paragraph: t('mail.greeting', { name: reader.name }) },
    { paragraph: t('mail.cancelled.intro', { ...values, organization: request.organization.name }) },
    { paragraph: t('mail.cancelled.calendarNote') },
    ...signature(reader.language),
  ]);
}
