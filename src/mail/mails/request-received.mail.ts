import type { Contact } from '../../domain/people';
import { translatorFor } from '../../i18n/i18n';
import type { RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { requestRows, signature, statusLinkBlock } from './common';

/**
 * "We received your request", to the organisation's contact, in the contact's language: the request's title and
 * what happens next (matching, invitations one after another with their time to answer, where to follow it). With
 * `statusLink` (the contact's `/r/{token}` URL) the mail ends its list with that link instead of pointing to the site
 * the request came from; the mail has no one-click action links, so it is the only link.
 */
export function requestReceivedMail(request: RequestRecord, contact: Contact, settings: { ttlSeconds: number; maxInvitations: number }, statusLink?: string): ComposedMail {
  const t = translatorFor(contact.language);
  const title = request.title;
  return compose(contact.language, t('mail.requestReceived.subject', { title }), [
    { paragraph: t('mail.greeting', { name: contact.name }) },
    { paragraph: t('mail.requestReceived.intro', { title, organization: request.organization.name }) },
    { rows: requestRows(request, contact.language) },
    { heading: t('mail.requestReceived.nextHeading') },
    {
      list: [
        t('mail.requestReceived.next.matching'),
        t('mail.requestReceived.next.invitations', { hours: Math.round(settings.ttlSeconds / 3600), max: settings.maxInvitations }),
        t(statusLink ? 'mail.requestReceived.next.statusPage' : 'mail.requestReceived.next.status'),
      ],
    },
    ...statusLinkBlock(contact.language, statusLink),
    ...signature(contact.language),
  ]);
}
