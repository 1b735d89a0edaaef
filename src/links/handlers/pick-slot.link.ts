import { pickState, type Slot } from '../../domain/proposals';
import { slotLinkState } from '../../domain/action-links';
import { defaultTimeZone } from '../../domain/people';
import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';
import { venueRows } from '../../mail/mails/scheduling-common';
import type { ProposalService } from '../../proposals/proposal.service';
import { requestRepository, type RequestRecord } from '../../requests/request.repository';
import { principalFor, type LinkHandler, type RefusalMessage } from '../link-handler';

interface PickSubject {
  request: RequestRecord;
  /** The slot the link names, from whichever proposal still holds it; undefined once a newer proposal replaced it. */
  slot: Slot | undefined;
}

/**
 * The pick links of a "pick a time" mail (purpose `pick_slot`): the subject is the request, the party its contact,
 * the choice a slot id. GET shows the slot in the contact's zone; POST picks it through the proposal service as the
 * request's owner, exactly as `POST /v1/requests/{id}/proposals/{slotId}/pick` does.
 */
export function pickSlotLink(proposals: Pick<ProposalService, 'pick'>): LinkHandler<PickSubject, Record<string, never>> {
  return {
    async load(token) {
      const request = await requestRepository.findById(token.subjectId);
      if (!request?.contact || token.partyId !== request.id) return undefined;
      return { request, slot: request.proposal?.slots.find((slot) => slot.id === token.choice) };
    },

    // The contact's zone is their organisation's country's, as in the mail that carried the link.
    reader: ({ request }) => ({ language: request.contact!.language, timeZone: defaultTimeZone(request.organization.country) }),

    state: (token, { request }, now) => slotLinkState(token, request, now),

    confirmation(_token, { request, slot }, reader) {
      const t = translatorFor(reader.language);
      const { proposal } = request;
      return {
        title: t('page.link.pick.title'),
        intro: t('page.link.pick.intro', { title: request.title }),
        rows: venueRows({ ...slot, location: proposal?.location, meetingUrl: proposal?.meetingUrl }, reader),
        button: t('page.link.pick.button'),
      };
    },

    parse: () => ({}),

    async act(token, { request }, _input, now) {
      await proposals.pick(principalFor(token, request), request.id, token.choice ?? '', now);
    },

    done(_token, { request, slot }, reader) {
      const t = translatorFor(reader.language);
      return { title: t('page.link.pick.done.title'), text: t('page.link.pick.done.text', { title: request.title, when: slot ? formatInstant(slot.startsAt, reader.timeZone, reader.language) : '' }) };
    },

    refusal(refusal, token, { request }, reader): RefusalMessage | undefined {
      const scheduledAt = request.schedule ? formatInstant(request.schedule.startsAt, reader.timeZone, reader.language) : '';
      if (refusal === 'answered') return { key: 'pick.answered', values: { when: scheduledAt } };
      if (refusal === 'expired') return { key: 'pick.expired' };
      if (refusal === 'unavailable') return { key: 'pick.unavailable' };
      if (refusal === 'closed') return { key: 'pick.closed', values: { why: pickState(request, token.choice ?? '', new Date()) === 'superseded' ? 'superseded' : 'closed' } };
      return undefined;
    },
  };
}
