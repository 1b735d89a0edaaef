import { z } from 'zod';
import type { components } from '../generated/openapi';
import { idSchema, pageQuery, text } from '../http/common.schemas';
import { INVITATION_STATUSES } from '../domain/invitations';

export const invitationInputSchema = z.strictObject({ expertId: idSchema.optional() }) satisfies z.ZodType<components['schemas']['InvitationInput']>;
export const declineInputSchema = z.strictObject({ reason: text(1, 1000).optional() }) satisfies z.ZodType<components['schemas']['DeclineInput']>;
export const invitationListQuerySchema = z.strictObject({ status: z.enum(INVITATION_STATUSES).optional(), ...pageQuery });
