import type { components } from '../generated/openapi';

type Schemas = components['schemas'];
export type WebhookInput = Schemas['WebhookInput'];
export type Webhook = Schemas['Webhook'];
export type WebhookCreated = Schemas['WebhookCreated'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
