import { z } from 'zod';
import { tokenState } from '../../domain/action-links';
import { AppError } from '../../errors';
import type { ExpertDraft } from '../../experts/expert-draft.repository';
import { expertDraftRepository } from '../../experts/expert-draft.repository';
import { languageOf, timeZoneOf } from '../../experts/expert.presenter';
import { expertRepository, type ExpertRecord } from '../../experts/expert.repository';
import { parseInput } from '../../http/validate';
import { translatorFor } from '../../i18n/i18n';
import { languageNames } from '../../mail/mails/common';
import type { LinkHandler, RefusalMessage } from '../link-handler';

/** The sign-up, while it is kept; once confirmed, the profile it became (same id). */
interface SignUpSubject {
  draft?: ExpertDraft;
  expert?: ExpertRecord;
}

/**
 * The confirmation link of a sign-up at `/experts/join` (purpose `confirm_expert`, subject and party: the draft, whose
 * id the expert takes; single-use, 24 hours). GET shows what will be created; POST creates the profile through the
 * expert service (`confirm`, confirmExpertDraft) and hands the new expert to the page layer, which signs them in.
 */
export function confirmExpertLink(confirm: (draft: ExpertDraft) => Promise<ExpertRecord>): LinkHandler<SignUpSubject, Record<string, never>> {
  return {
    async load(token) {
      const draft = await expertDraftRepository.findById(token.subjectId);
      if (draft) return { draft };
      const expert = await expertRepository.findById(token.subjectId);
      return expert ? { expert } : undefined;
    },

    reader({ draft, expert }) {
      const person = draft?.input ?? expert!;
      return { language: languageOf(person), timeZone: timeZoneOf(person) };
    },

    // A sign-up confirmed is gone and its token used; one never confirmed is gone only after its (the token's) expiry.
    state: (token, { draft }, now) => tokenState(token, now) ?? (draft ? 'ready' : 'expired'),

    confirmation(_token, { draft }, reader) {
      const t = translatorFor(reader.language);
      const input = draft!.input;
      const place = [input.location.city, new Intl.DisplayNames([reader.language], { type: 'region' }).of(input.location.country)].filter(Boolean).join(', ');
      return {
        title: t('experts.join.link.title'),
        intro: t('experts.join.link.intro'),
        rows: [
          { label: t('experts.profile.field.name'), value: input.name },
          { label: t('experts.profile.field.skills'), value: input.skills.join(', ') },
          { label: t('experts.profile.field.languages'), value: languageNames(input.languages, reader.language, 'conjunction') },
          { label: t('experts.profile.field.place'), value: place },
        ],
        button: t('experts.join.link.button'),
      };
    },

    parse: (form) => parseInput(z.strictObject({}), form, 'body'),

    async act(_token, { draft }) {
      if (!draft) throw new AppError('conflict', 'The sign-up is no longer kept');
      try {
        const expert = await confirm(draft);
        return { signedIn: { expertId: expert.id } };
      } catch (error) {
        // Another profile took the address since the sign-up: the link is given back and its page says so.
        if (error instanceof AppError && error.code === 'duplicate') throw new AppError('conflict', error.message);
        throw error;
      }
    },

    done(_token, _subject, reader) {
      const t = translatorFor(reader.language);
      return { title: t('page.link.signIn.doneTitle'), text: t('page.link.signIn.doneText') };
    },

    refusal(refusal): RefusalMessage | undefined {
      if (refusal === 'expired' || refusal === 'used') return { key: `confirmExpert.${refusal}` };
      if (refusal === 'unavailable') return { key: 'confirmExpert.taken' };
      return undefined;
    },
  };
}
