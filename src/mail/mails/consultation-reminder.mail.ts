import type { MailLanguage } from '../../domain/people';
import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';
import type { ConsultationSchedule } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { signature } from './common';
import { stopRemindersBlocks } from './stop-reminders';

export interface ConsultationReminderInput {
  title: string;
  schedule: ConsultationSchedule;
  /** The reader: their name, language and IANA zone (the start is shown in it, named). */
  reader: { name: string; language: MailLanguage; timeZone: string };
  /** Whom they meet: the organisation or the expert, and the person's name and address where the reader may know them. */
  other: { name: string; person?: string; email?: string };
  stopReminders: string;
}

/**
 * "Your consultation is coming up", to the expert or the organisation's contact in their language: when (in their
 * own zone, named), how long, where or through which meeting link, and with whom; last the link that turns
 * reminders off. A consultation with neither place nor link says to agree on one.
 */
export function consultationReminderMail(input: ConsultationReminderInput): ComposedMail {
  const { schedule, reader, other } = input;
  const t = translatorFor(reader.language);
  const startsAt = formatInstant(schedule.startsAt, reader.timeZone, reader.language);
  return compose(reader.language, t('mail.consultationReminder.subject', { title: input.title, startsAt }), [
    { paragraph: t('mail.greeting', { name: reader.name }) },
    { paragraph: t('mail.consultationReminder.intro', { title: input.title, other: other.name }) },
    {
      rows: [
        { label: t('mail.consultationReminder.label.when'), value: startsAt },
        { label: t('mail.consultationReminder.label.duration'), value: t('mail.consultationReminder.duration', { minutes: schedule.durationMinutes }) },
        ...(schedule.location ? [{ label: t('mail.label.place'), value: schedule.location }] : []),
        ...(schedule.meetingUrl ? [{ label: t('mail.consultationReminder.label.meetingUrl'), value: schedule.meetingUrl, href: schedule.meetingUrl }] : []),
        { label: t('mail.consultationReminder.label.with'), value: other.person ? `${other.name}, ${other.person}` : other.name },
        ...(other.email ? [{ label: t('mail.label.email'), value: other.email }] : []),
      ],
    },
    ...(schedule.location || schedule.meetingUrl ? [] : [{ paragraph: t('mail.consultationReminder.noPlace', { other: other.name }) }]),
    ...stopRemindersBlocks(reader.language, input.stopReminders),
    ...signature(reader.language),
  ]);
}
