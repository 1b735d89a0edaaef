import type { MailLanguage } from '../../domain/people';
import { translatorFor } from '../../i18n/i18n';
import { compose, type ComposedMail } from '../compose';
import { signature } from './common';

/** The sign-in link to the hosted pages, to an expert, in their language: the link first, how long it works, and what to do if they did not ask. */
export function signInMail(expert: { name: string; language: MailLanguage }, link: string, minutes: number): ComposedMail {
  const t = translatorFor(expert.language);
  return compose(expert.language, t('mail.signIn.subject'), [
    { links: [{ label: t('mail.signIn.link'), href: link }] },
    { paragraph: t('mail.greeting', { name: expert.name }) },
    { paragraph: t('mail.signIn.intro', { minutes }) },
    { paragraph: t('mail.signIn.ignore') },
    ...signature(expert.language),
  ]);
}
