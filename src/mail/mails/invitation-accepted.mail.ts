import type { Contact } from '../../domain/people';
import { translatorFor } from '../../i18n/i18n';
import type { RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { languageNames, signature, statusLinkBlock } from './common';

export interface AcceptedExpert {
  name: string;
  headline?: string;
  languages: string[];
  email: string;
}

/**
 * "An expert accepted", to the organisation's contact in the contact's language: the expert's name, headline,
 * languages and e-mail (revealed only now, issue 10 item 8) and what happens next. The next step is a catalogue
 * sentence ("the expert will contact you") until slot proposals exist. With `statusLink`, the contact's status page
 * follows, so a request running longer than the first mail's link still has its page.
 */
export function invitationAcceptedMail(request: RequestRecord, contact: Contact, expert: AcceptedExpert, statusLink?: string): ComposedMail {
  const t = translatorFor(contact.language);
  const title = request.title;
  return compose(contact.language, t('mail.accepted.subject', { expert: expert.name, title }), [
    { paragraph: t('mail.greeting', { name: contact.name }) },
    { paragraph: t('mail.accepted.intro', { expert: expert.name, title }) },
    { heading: t('mail.accepted.expertHeading') },
    {
      rows: [
        { label: t('mail.label.name'), value: expert.name },
        ...(expert.headline ? [{ label: t('mail.label.headline'), value: expert.headline }] : []),
        { label: t('mail.label.languages'), value: languageNames(expert.languages, contact.language, 'conjunction') },
        { label: t('mail.label.email'), value: expert.email },
      ],
    },
    { heading: t('mail.accepted.nextHeading') },
    { paragraph: t('mail.accepted.next.contact', { expert: expert.name }) },
    { paragraph: t('mail.accepted.privacy') },
    ...statusLinkBlock(contact.language, statusLink),
    ...signature(contact.language),
  ]);
}
