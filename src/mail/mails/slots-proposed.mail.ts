import type { Contact } from '../../domain/people';
import type { Proposal } from '../../domain/proposals';
import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';
import type { RequestRecord } from '../../requests/request.repository';
import { compose, type ComposedMail } from '../compose';
import { signature, statusLinkBlock } from './common';
import { venueRows } from './scheduling-common';

export interface SlotsProposedMailInput {
  request: RequestRecord;
  contact: Contact;
  /** The contact's IANA zone (their organisation's country's): every time is shown in it, named. */
  timeZone: string;
  expertName: string;
  proposal: Proposal;
  /** One pick link per slot, in the order proposed. */
  links: string[];
  /** The contact's status page, at the end, well apart from the pick links. */
  statusLink?: string;
}

/**
 * "Pick a time", to the organisation's contact in their language: one pick link per slot first, in the order the
 * expert proposed them, each labelled with its time in the contact's zone (named) and its length; then who proposed them, where, the
 * zone the expert proposed in, and what a click does.
 */
export function slotsProposedMail(input: SlotsProposedMailInput): ComposedMail {
  const { request, contact, proposal } = input;
  const t = translatorFor(contact.language);
  const title = request.title;
  const reader = { language: contact.language, timeZone: input.timeZone };
  return compose(contact.language, t('mail.slots.subject', { title }), [
    {
      links: proposal.slots.map((slot, index) => ({
        label: t('mail.slots.pickLink', { when: formatInstant(slot.startsAt, input.timeZone, contact.language), minutes: slot.durationMinutes }),
        href: input.links[index]!,
      })),
    },
    { paragraph: t('mail.greeting', { name: contact.name }) },
    { paragraph: t('mail.slots.intro', { expert: input.expertName, title, count: proposal.slots.length }) },
    { rows: venueRows({ location: proposal.location, meetingUrl: proposal.meetingUrl }, reader) },
    { paragraph: t('mail.slots.zone', { zone: input.timeZone, expert: input.expertName, expertZone: proposal.timeZone }) },
    { paragraph: t('mail.slots.linkNote') },
    ...statusLinkBlock(contact.language, input.statusLink),
    ...signature(contact.language),
  ]);
}
