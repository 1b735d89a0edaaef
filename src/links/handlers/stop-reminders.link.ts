import { z } from 'zod';
import { stopRemindersLinkState } from '../../domain/action-links';
import { defaultTimeZone } from '../../domain/people';
import { expertRepository, type ExpertRecord } from '../../experts/expert.repository';
import { languageOf, timeZoneOf } from '../../experts/expert.presenter';
import { parseInput } from '../../http/validate';
import { translatorFor } from '../../i18n/i18n';
import type { ReminderPreferences } from '../../reminders/reminder-preferences';
import { requestRepository, type RequestRecord } from '../../requests/request.repository';
import { principalFor, type LinkHandler, type RefusalMessage } from '../link-handler';

type StopSubject = { party: 'expert'; expert: ExpertRecord } | { party: 'contact'; request: RequestRecord & { contact: NonNullable<RequestRecord['contact']> } };

/** The page's form sends nothing; a mail provider's one-click POST sends `List-Unsubscribe=One-Click` (RFC 8058 §3.1). */
const oneClickSchema = z.strictObject({ 'List-Unsubscribe': z.literal('One-Click').optional() });

const valuesOf = (subject: StopSubject) => ({ party: subject.party, title: subject.party === 'contact' ? subject.request.title : '' });

/**
 * The link in every reminder (and in its List-Unsubscribe header) that turns reminders off for the person it was sent
 * to (purpose `stop_reminders`): an expert (subject and party: the expert) or a request's contact (subject and party:
 * the request). Not single-use; GET shows what it does, POST does it, a browser's or a mail provider's.
 */
export function stopRemindersLink(preferences: ReminderPreferences): LinkHandler<StopSubject, unknown> {
  return {
    async load(token) {
      if (token.partyRole === 'expert') {
        const expert = await expertRepository.findById(token.partyId);
        return expert ? { party: 'expert', expert } : undefined;
      }
      const request = await requestRepository.findById(token.partyId);
      return request?.contact ? { party: 'contact', request: { ...request, contact: request.contact } } : undefined;
    },

    reader: (subject) =>
      subject.party === 'expert'
        ? { language: languageOf(subject.expert), timeZone: timeZoneOf(subject.expert) }
        : { language: subject.request.contact.language, timeZone: defaultTimeZone(subject.request.organization.country) },

    state: (token, _subject, now) => stopRemindersLinkState(token, now),

    confirmation(_token, subject, reader) {
      const t = translatorFor(reader.language);
      return { title: t('page.link.stopReminders.title'), intro: t('page.link.stopReminders.intro', valuesOf(subject)), button: t('page.link.stopReminders.button') };
    },

    parse: (form) => parseInput(oneClickSchema, form, 'body'),

    async act(token, subject) {
      if (subject.party === 'expert') await preferences.stopForExpert(principalFor(token), subject.expert.id);
      else await preferences.stopForContact(subject.request.id);
    },

    done(_token, subject, reader) {
      const t = translatorFor(reader.language);
      return { title: t('page.link.stoppedReminders.title'), text: t('page.link.stoppedReminders.text', valuesOf(subject)) };
    },

    refusal: (refusal): RefusalMessage | undefined => (refusal === 'expired' ? { key: 'stopReminders.expired' } : undefined),
  };
}
