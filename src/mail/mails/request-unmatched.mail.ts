import type { ExclusionSummary } from '../../domain/matching';
import type { Contact } from '../../domain/people';
import { translatorFor, type MessageKey } from '../../i18n/i18n';
import type { RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { languageNames, signature } from './common';

/**
 * "No expert found", to the organisation's contact in the contact's language, with what would help: each hard
 * constraint that kept the best-scoring experts out, most common first, with how many of them it kept out (the
 * engine's exclusion codes rendered from the catalogue), and how many could still be invited in a new round.
 */
export function requestUnmatchedMail(request: RequestRecord, contact: Contact, summary: ExclusionSummary): ComposedMail {
  const t = translatorFor(contact.language);
  const title = request.title;
  const total = summary.considered;
  const help = summary.exclusions.map(({ code, count }) =>
    t(`mail.unmatched.reason.${code}` as MessageKey, { count, total, mode: request.mode, languages: languageNames(request.languages, contact.language, 'disjunction') }),
  );
  if (summary.feasible > 0) help.push(t('mail.unmatched.reason.feasibleLeft', { count: summary.feasible, total }));
  if (total === 0) help.push(t('mail.unmatched.reason.nobody'));
  return compose(contact.language, t('mail.unmatched.subject', { title }), [
    { paragraph: t('mail.greeting', { name: contact.name }) },
    { paragraph: t('mail.unmatched.intro', { title }) },
    ...(request.invitationCount > 0 ? [{ paragraph: t('mail.unmatched.invited', { count: request.invitationCount }) }] : []),
    { heading: t('mail.unmatched.helpHeading') },
    { list: help },
    { paragraph: t('mail.unmatched.next') },
    ...signature(contact.language),
  ]);
}
