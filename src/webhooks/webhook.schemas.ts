import { z } from 'zod';
import { distinctList, httpUrlSchema, pageQuery } from '../http/common.schemas';
import { EVENT_TYPES } from './event-types';
import type { WebhookInput } from './webhook.openapi-types';

export const webhookInputSchema = z.strictObject({
  url: httpUrlSchema,
  events: distinctList(z.enum(EVENT_TYPES), 1, EVENT_TYPES.length),
}) satisfies z.ZodType<WebhookInput>;

export const webhookListQuerySchema = z.strictObject({ ...pageQuery });

export const deliveryListQuerySchema = z.strictObject({ limit: pageQuery.limit });

export type WebhookListQuery = z.output<typeof webhookListQuerySchema>;
