import { ratingLinkState } from '../../domain/action-links';
import { DomainError } from '../../domain/lifecycle';
import { defaultTimeZone } from '../../domain/people';
import { AppError } from '../../errors';
import { feedbackInputSchema } from '../../consultations/consultation.schemas';
import type { ConsultationService } from '../../consultations/consultation.service';
import { expertRepository } from '../../experts/expert.repository';
import { parseInput } from '../../http/validate';
import { formatInstant } from '../../i18n/dates';
import { translatorFor } from '../../i18n/i18n';
import { requestRepository, type RequestRecord } from '../../requests/request.repository';
import { principalFor, type LinkHandler, type RefusalMessage } from '../link-handler';

interface RatingSubject {
  request: RequestRecord & { contact: NonNullable<RequestRecord['contact']> };
  expertName: string;
}

/** The form's one field, with the API's own rule for it (the rating comes from the link). */
const commentSchema = feedbackInputSchema.pick({ comment: true });
const COMMENT_MAX = 4000;

/**
 * The five rating links of the mail sent after completion (purpose `rate`, choice "1" to "5"): the subject is the
 * request, the party its contact. GET shows the chosen rating and a comment field; POST gives the feedback through
 * consultations.giveFeedback as the request's owner, which closes the request, so every rating link of it is dead
 * after the first (ratingLinkState).
 */
export function ratingLink(consultations: Pick<ConsultationService, 'giveFeedback'>): LinkHandler<RatingSubject, { comment?: string }> {
  return {
    async load(token) {
      const request = await requestRepository.findById(token.subjectId);
      if (!request?.contact || token.partyId !== request.id) return undefined;
      const expert = request.acceptedExpertId ? await expertRepository.findById(request.acceptedExpertId) : undefined;
      return expert ? { request: { ...request, contact: request.contact }, expertName: expert.name } : undefined;
    },

    reader: ({ request }) => ({ language: request.contact.language, timeZone: defaultTimeZone(request.organization.country) }),

    state: (token, { request }, now) => ratingLinkState({ token, request }, now),

    confirmation(token, { request, expertName }, reader) {
      const t = translatorFor(reader.language);
      return {
        title: t('page.link.rate.title'),
        intro: t('page.link.rate.intro', { title: request.title, expert: expertName }),
        rows: [{ label: t('page.link.rate.rating'), value: t('mail.rating.choice', { rating: token.choice ?? '' }) }],
        notes: [t('page.link.rate.note')],
        fields: [{ name: 'comment', label: t('page.link.rate.comment'), kind: 'textarea', maxLength: COMMENT_MAX }],
        button: t('page.link.rate.button'),
      };
    },

    parse: (form) => parseInput(commentSchema, form, 'body'),

    async act(token, { request }, input, now) {
      const feedback = parseInput(feedbackInputSchema, { rating: Number(token.choice), ...input }, 'body');
      try {
        await consultations.giveFeedback(principalFor(token, request), request.id, feedback, now);
      } catch (error) {
        // Another rating link (or the API) closed the request between the check and the write.
        if (error instanceof DomainError) throw new AppError('conflict', error.message);
        throw error;
      }
    },

    done(_token, { request, expertName }, reader) {
      const t = translatorFor(reader.language);
      return { title: t('page.link.rated.title'), text: t('page.link.rated.text', { title: request.title, expert: expertName }) };
    },

    refusal(refusal, token, { request }, reader): RefusalMessage | undefined {
      const title = request.title;
      if (refusal === 'used') return { key: 'rate.used' };
      if (refusal === 'closed') return { key: 'rate.closed', values: { title } };
      if (refusal === 'expired') return { key: 'rate.expired', values: { title, expiresAt: formatInstant(token.expiresAt, reader.timeZone, reader.language) } };
      if (refusal === 'invalid') return { key: 'rate.invalid', values: { max: COMMENT_MAX } };
      if (refusal === 'unavailable') return { key: 'rate.unavailable' };
      return undefined;
    },
  };
}
