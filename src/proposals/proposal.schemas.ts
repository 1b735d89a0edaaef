import { z } from 'zod';
import { slotProblems } from '../domain/proposals';
import { isKnownTimeZone } from '../domain/people';
import type { components } from '../generated/openapi';
import { httpUrlSchema, text } from '../http/common.schemas';
import { durationMinutesSchema, startsAtSchema } from '../consultations/consultation.schemas';

/** The schedule input's rules for a start, and a proposed time must also lie ahead: nobody can pick the past. */
const slotSchema = z.strictObject({
  startsAt: startsAtSchema.refine((value) => Date.parse(value) > Date.now(), { message: 'must be in the future', when: (payload) => payload.issues.length === 0 }),
  durationMinutes: durationMinutesSchema,
});

/**
 * `POST /v1/requests/{id}/proposals`: 1–3 slots that neither repeat nor overlap, the IANA zone they were proposed in,
 * and exactly one of a place or a meeting link (a calendar entry has one LOCATION; two would leave people unsure).
 */
export const proposalInputSchema = z
  .strictObject({
    slots: z.array(slotSchema).min(1).max(3),
    timeZone: z.string().max(64).refine(isKnownTimeZone, 'must be an IANA time zone name, such as Europe/Vilnius'),
    location: text(1, 300).optional(),
    meetingUrl: httpUrlSchema.optional(),
  })
  .superRefine((input, context) => {
    if ((input.location === undefined) === (input.meetingUrl === undefined)) {
      context.addIssue({ code: 'custom', path: ['location'], message: 'give exactly one of location or meetingUrl' });
    }
    for (const problem of slotProblems(input.slots.map((slot) => ({ startsAt: new Date(slot.startsAt), durationMinutes: slot.durationMinutes })))) {
      context.addIssue({ code: 'custom', path: ['slots', problem.index], message: problem.message });
    }
  }) satisfies z.ZodType<components['schemas']['ProposalInput']>;

export type ProposalInput = z.output<typeof proposalInputSchema>;

export const slotIdSchema = z.string().regex(/^p[1-9]\d{0,5}s[1-9]$/, 'must be a slot id such as p1s2');
