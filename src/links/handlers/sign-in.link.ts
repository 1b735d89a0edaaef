import { z } from 'zod';
import { tokenState } from '../../domain/action-links';
import { expertRepository, type ExpertRecord } from '../../experts/expert.repository';
import { languageOf, timeZoneOf } from '../../experts/expert.presenter';
import { parseInput } from '../../http/validate';
import { translatorFor } from '../../i18n/i18n';
import type { LinkHandler } from '../link-handler';

/**
 * The sign-in link mailed from `/experts/login` (purpose `sign_in`, subject and party: the expert; single-use,
 * 15 minutes). GET shows a "Sign in" button; POST hands the expert to the page layer, which starts the session
 * (src/pages/expert-session.ts). An erased expert's links are deleted with the profile.
 */
export function signInLink(): LinkHandler<ExpertRecord, unknown> {
  return {
    load: async (token) => (token.partyRole === 'expert' ? expertRepository.findById(token.partyId) : undefined),
    reader: (expert) => ({ language: languageOf(expert), timeZone: timeZoneOf(expert) }),
    state: (token, _expert, now) => tokenState(token, now) ?? 'ready',
    confirmation(_token, expert, reader) {
      const t = translatorFor(reader.language);
      return { title: t('page.link.signIn.title'), intro: t('page.link.signIn.intro', { name: expert.name }), button: t('page.link.signIn.button') };
    },
    parse: (form) => parseInput(z.strictObject({}), form, 'body'),
    act: async (_token, expert) => ({ signedIn: { expertId: expert.id } }),
    done(_token, _expert, reader) {
      const t = translatorFor(reader.language);
      return { title: t('page.link.signIn.doneTitle'), text: t('page.link.signIn.doneText') };
    },
    refusal: (refusal) => (refusal === 'used' || refusal === 'expired' ? { key: 'signIn.again' } : undefined),
  };
}
