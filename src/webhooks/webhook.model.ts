import { Schema, model } from 'mongoose';
import { EVENT_TYPES } from './event-types';

/** A partner's registered URL. The signing secret is kept because every delivery is signed with it; it is shown once. */
const webhookEndpointSchema = new Schema(
  {
    ownerId: { type: String, required: true, index: true },
    scope: { type: String, enum: ['owner', 'all'], required: true },
    url: { type: String, required: true },
    events: { type: [{ type: String, enum: EVENT_TYPES }], required: true },
    secret: { type: String, required: true },
    status: { type: String, enum: ['active', 'disabled'], required: true },
    disabledAt: Date,
  },
  { versionKey: false, timestamps: true, collection: 'webhook_endpoints' },
);

export const WebhookEndpointModel = model('WebhookEndpoint', webhookEndpointSchema);
