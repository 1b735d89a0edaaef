import { z } from 'zod';
import { tokenState } from '../../domain/action-links';
import { defaultTimeZone } from '../../domain/people';
import { AppError } from '../../errors';
import { parseInput } from '../../http/validate';
import { translatorFor } from '../../i18n/i18n';
import { requestRows } from '../../mail/mails/common';
import { requestDraftRepository, type RequestDraft } from '../../requests/request-draft.repository';
import { resolveContact } from '../../requests/request.service';
import { requestRepository, type RequestRecord } from '../../requests/request.repository';
import type { LinkHandler, RefusalMessage } from '../link-handler';

/** The draft, while it is kept; once confirmed, the request it became (same id), whose contact the pages still speak to. */
interface DraftSubject {
  draft?: RequestDraft;
  request?: RequestRecord;
}

/**
 * The confirmation link of a request filed through the hosted form (purpose `confirm_request`, party: the contact it
 * names; subject: the draft, whose id the request takes). POST submits it; the page speaks the contact's language.
 * `openRequestCaps`: the caps of requesters and partners, the one of the draft's owner named when it is full.
 */
export function confirmRequestLink(confirm: (draft: RequestDraft) => Promise<unknown>, openRequestCaps: { requester: number; partner: number }): LinkHandler<DraftSubject, Record<string, never>> {
  return {
    async load(token) {
      const draft = await requestDraftRepository.findById(token.subjectId);
      return draft ? { draft } : { request: await requestRepository.findById(token.subjectId) };
    },

    reader({ draft, request }) {
      if (draft) return { language: resolveContact(draft.input.contact!, draft.input.languages).language, timeZone: defaultTimeZone(draft.input.organization.country) };
      if (request?.contact) return { language: request.contact.language, timeZone: defaultTimeZone(request.organization.country) };
      return undefined;
    },

    // A draft confirmed is gone and its token used; one never confirmed is gone only after its (the token's) expiry.
    state: (token, { draft }, now) => tokenState(token, now) ?? (draft ? 'ready' : 'expired'),

    confirmation(_token, { draft }, reader) {
      const t = translatorFor(reader.language);
      return {
        title: t('page.link.confirmRequest.title'),
        intro: t('page.link.confirmRequest.intro'),
        rows: draft ? requestRows(draft.input, reader.language) : [],
        notes: draft ? [draft.input.description] : [],
        button: t('page.link.confirmRequest.button'),
      };
    },

    parse: (form) => parseInput(z.strictObject({}), form, 'body'),

    async act(_token, { draft }) {
      if (!draft) throw new AppError('conflict', 'The request is no longer kept');
      try {
        await confirm(draft);
      } catch (error) {
        // Full for now, not for good: the link stays usable (given back) and its page says why.
        if (error instanceof AppError && error.code === 'too_many_open_requests') throw new AppError('conflict', error.message);
        throw error;
      }
    },

    done(_token, { draft }, reader) {
      const t = translatorFor(reader.language);
      return { title: t('page.link.confirmedRequest.title'), text: t('page.link.confirmedRequest.text', { title: draft?.input.title ?? '' }) };
    },

    refusal(refusal, _token, { draft }): RefusalMessage | undefined {
      if (refusal === 'expired' || refusal === 'used') return { key: `confirmRequest.${refusal}` };
      if (refusal === 'unavailable') return { key: 'confirmRequest.full', values: { max: openRequestCaps[draft?.ownerRole ?? 'requester'] } };
      return undefined;
    },
  };
}
