import { z } from 'zod';
import type { components } from '../generated/openapi';
import { dateTimeSchema, httpUrlSchema, text } from '../http/common.schemas';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A day of slack for a consultation recorded late; two years ahead is beyond any real plan (and any typo's year 9999). */
const onlyValidDateTimes = { when: (payload: { issues: readonly unknown[] }) => payload.issues.length === 0 };
export const startsAtSchema = dateTimeSchema
  .refine((value) => Date.parse(value) >= Date.now() - DAY_MS, { message: 'must not be more than a day in the past', ...onlyValidDateTimes })
  .refine((value) => Date.parse(value) <= Date.now() + 730 * DAY_MS, { message: 'must be within two years from now', ...onlyValidDateTimes });

export const durationMinutesSchema = z.number().int().min(15).max(8 * 60).default(60);

export const scheduleInputSchema = z.strictObject({
  startsAt: startsAtSchema,
  durationMinutes: durationMinutesSchema,
  location: text(1, 300).optional(),
  meetingUrl: httpUrlSchema.optional(),
}) satisfies z.ZodType<components['schemas']['ScheduleInput']>;

export const completeInputSchema = z.strictObject({ summary: text(1, 8000) }) satisfies z.ZodType<components['schemas']['CompleteInput']>;
export const feedbackInputSchema = z.strictObject({
  rating: z.number().int().min(1).max(5),
  comment: text(1, 4000).optional(),
}) satisfies z.ZodType<components['schemas']['FeedbackInput']>;
export const cancelInputSchema = z.strictObject({ reason: text(1, 1000) }) satisfies z.ZodType<components['schemas']['CancelInput']>;
