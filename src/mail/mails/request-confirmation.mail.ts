import type { Contact } from '../../domain/people';
import { translatorFor } from '../../i18n/i18n';
import type { RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { requestRows, signature } from './common';

/**
 * "Please confirm your request" (double opt-in of the hosted form), to the contact the form named, in the language
 * they chose: the confirmation link first, then what was asked, and what happens if they did not ask.
 */
export function requestConfirmationMail(request: Pick<RequestRecord, 'title' | 'organization' | 'location' | 'mode' | 'deadline'>, contact: Contact, link: string): ComposedMail {
  const t = translatorFor(contact.language);
  return compose(contact.language, t('mail.confirmRequest.subject', { title: request.title }), [
    { links: [{ label: t('mail.confirmRequest.link'), href: link }] },
    { paragraph: t('mail.greeting', { name: contact.name }) },
    { paragraph: t('mail.confirmRequest.intro', { organization: request.organization.name }) },
    { rows: requestRows(request, contact.language) },
    { paragraph: t('mail.confirmRequest.ignore') },
    ...signature(contact.language),
  ]);
}
