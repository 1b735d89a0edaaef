import type { MailLanguage } from '../../domain/people';
import { translatorFor } from '../../i18n/i18n';
import { compose, type ComposedMail } from '../compose';
import { signature } from './common';

/**
 * "Please confirm your address" after signing up at `/experts/join`, in the language the person chose: the link
 * first, how long it works (`hours`), and what happens if they did not sign up.
 */
export function expertConfirmationMail(person: { name: string; language: MailLanguage }, link: string, hours: number): ComposedMail {
  const t = translatorFor(person.language);
  return compose(person.language, t('experts.join.mail.subject'), [
    { links: [{ label: t('experts.join.mail.link'), href: link }] },
    { paragraph: t('mail.greeting', { name: person.name }) },
    { paragraph: t('experts.join.mail.intro', { hours }) },
    { paragraph: t('experts.join.mail.ignore') },
    ...signature(person.language),
  ]);
}
