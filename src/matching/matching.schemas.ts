import { z } from 'zod';
import { idSchema, text } from '../http/common.schemas';

const limit = z.coerce.number().int().min(1).max(50).default(10);

export const matchesQuerySchema = z.strictObject({ limit });
export const explainParamsSchema = z.object({ id: idSchema, expertId: idSchema });
export const skillsQuerySchema = z.strictObject({
  q: text(1, 100),
  lang: z.enum(['en', 'pl', 'de', 'lt', 'sv']).optional(),
  limit,
});
