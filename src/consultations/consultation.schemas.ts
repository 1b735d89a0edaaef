import { z } from 'zod';
import type { components } from '../generated/openapi';
import { httpUrlSchema, text } from '../http/common.schemas';

export const scheduleInputSchema = z.strictObject({
  startsAt: z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time' }),
  durationMinutes: z.number().int().min(15).max(8 * 60).default(60),
  location: text(1, 300).optional(),
  meetingUrl: httpUrlSchema.optional(),
}) satisfies z.ZodType<components['schemas']['ScheduleInput']>;

export const completeInputSchema = z.strictObject({ summary: text(1, 8000) }) satisfies z.ZodType<components['schemas']['CompleteInput']>;
export const feedbackInputSchema = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: text(1, 4000).optional(),
}) satisfies z.ZodType<components['schemas']['FeedbackInput']>;
export const cancelInputSchema = z.strictObject({ reason: text(1, 1000) }) satisfies z.ZodType<components['schemas']['CancelInput']>;
