import type { Contact } from '../../domain/people';
import { translatorFor } from '../../i18n/i18n';
import { compose, type ComposedMail } from '../compose';
import { signature } from './common';

/** The five ratings a contact can give, in the order their links appear (issue 10 item 3: ratings 1 to 5). */
export const RATINGS = [1, 2, 3, 4, 5] as const;

/**
 * "How was your consultation?", to the organisation's contact in their language once the expert completed it: the
 * five rating links first, 1 to 5 (each opens a page with a comment field before anything is sent), then what the
 * links do.
 */
export function ratingRequestMail(input: { title: string; expert: string; contact: Contact; links: readonly string[] }): ComposedMail {
  const { contact } = input;
  const t = translatorFor(contact.language);
  return compose(contact.language, t('mail.rating.subject', { title: input.title }), [
    { links: RATINGS.map((rating, index) => ({ label: t('mail.rating.choice', { rating: String(rating) }), href: input.links[index]! })) },
    { paragraph: t('mail.greeting', { name: contact.name }) },
    { paragraph: t('mail.rating.intro', { title: input.title, expert: input.expert }) },
    { paragraph: t('mail.rating.note') },
    ...signature(contact.language),
  ]);
}
