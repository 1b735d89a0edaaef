import { z } from 'zod';
import type { components } from '../generated/openapi';
import { idSchema, text } from '../http/common.schemas';
import { ROLES } from '../http/principal';

export const apiKeyInputSchema = z
  .strictObject({
    role: z.enum(ROLES),
    label: text(1, 120),
    expertId: idSchema.optional(),
    ownerId: idSchema.optional(),
  })
  .superRefine((input, context) => {
    if (input.role === 'expert' && !input.expertId) context.addIssue({ code: 'custom', path: ['expertId'], message: 'is required for an expert key' });
    if (input.role !== 'expert' && input.expertId) context.addIssue({ code: 'custom', path: ['expertId'], message: 'is only allowed for an expert key' });
    if (input.ownerId && input.role !== 'partner' && input.role !== 'requester') {
      context.addIssue({ code: 'custom', path: ['ownerId'], message: 'is only allowed for partner and requester keys' });
    }
  }) satisfies z.ZodType<components['schemas']['ApiKeyInput']>;

export type ApiKeyInput = z.output<typeof apiKeyInputSchema>;
