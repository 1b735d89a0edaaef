import type { MailLanguage } from '../../domain/people';
import { translatorFor } from '../../i18n/i18n';
import { compose, type ComposedMail } from '../compose';
import { signature } from './common';

/** The feedback an expert received, in their language: who rated which consultation, the rating (1–5) and the comment, if any. */
export function feedbackReceivedMail(input: {
  title: string;
  organization: string;
  expert: { name: string; language: MailLanguage };
  feedback: { rating: number; comment?: string };
}): ComposedMail {
  const { expert, feedback } = input;
  const t = translatorFor(expert.language);
  return compose(expert.language, t('mail.feedback.subject', { title: input.title, rating: feedback.rating }), [
    { paragraph: t('mail.greeting', { name: expert.name }) },
    { paragraph: t('mail.feedback.intro', { title: input.title, organization: input.organization }) },
    { rows: [{ label: t('mail.feedback.label.rating'), value: t('mail.rating.choice', { rating: String(feedback.rating) }) }] },
    { heading: t('mail.feedback.commentHeading') },
    { paragraph: feedback.comment ?? t('mail.feedback.noComment') },
    { paragraph: t('mail.feedback.thanks') },
    ...signature(expert.language),
  ]);
}
