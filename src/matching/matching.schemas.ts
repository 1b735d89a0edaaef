import { z } from 'zod';
import { SUGGESTION_LANGUAGES } from '../domain/matching';
import type { operations } from '../generated/openapi';
import { idSchema, text } from '../http/common.schemas';

const limit = z.coerce.number().int().min(1).max(50).default(10);

export const matchesQuerySchema = z.strictObject({ limit });
export const explainParamsSchema = z.object({ id: idSchema, expertId: idSchema });
export const skillsQuerySchema = z.strictObject({
  q: text(1, 100),
  lang: z.enum(['en', 'pl', 'de', 'lt', 'sv']).optional(),
  limit,
});

/** The text is bounded so the inference's linear work stays small (a form field, not a document). */
export const needSuggestQuerySchema = z.strictObject({
  text: text(1, 2000),
  language: z.enum(SUGGESTION_LANGUAGES).optional(),
}) satisfies z.ZodType<NonNullable<operations['suggestSkillsFromText']['parameters']['query']>>;
