import { Schema, model } from 'mongoose';
import { EVENT_TYPES } from './event-types';
import { inPartition } from '../infra/partitions';

/** `_id` derives from the caller's dedupe key, so emitting twice inserts once. `endpointIds` is the fan-out chosen at emit time. */
const webhookEventSchema = new Schema(
  {
    _id: { type: String, required: true },
    type: { type: String, enum: EVENT_TYPES, required: true },
    requestId: { type: String, required: true },
    ownerId: { type: String, required: true },
    data: { type: Schema.Types.Mixed, required: true },
    occurredAt: { type: Date, required: true },
    endpointIds: { type: [String], required: true },
  },
  { versionKey: false, collection: 'webhook_events', minimize: false },
);

/** `_id` is `${eventId}:${endpointId}`: the job and the reconciler reach it with one `_id` lookup. */
const webhookDeliverySchema = new Schema(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    endpointId: { type: String, required: true, index: true },
    eventType: { type: String, enum: EVENT_TYPES, required: true },
    status: { type: String, enum: ['pending', 'delivered', 'failed', 'cancelled'], required: true },
    attemptCount: { type: Number, required: true },
    nextAttemptAt: { type: Date, default: null, index: true },
  },
  { versionKey: false, timestamps: true, collection: 'webhook_deliveries' },
);

/** `_id` is `${deliveryId}:${attempt}`: inserting it is what records an attempt exactly once. */
const webhookAttemptSchema = new Schema(
  {
    _id: { type: String, required: true },
    deliveryId: { type: String, required: true, index: true },
    endpointId: { type: String, required: true, index: true },
    attempt: { type: Number, required: true },
    at: { type: Date, required: true },
    durationMs: { type: Number, required: true },
    statusCode: Number,
    error: String,
  },
  { versionKey: false, collection: 'webhook_attempts' },
);

export const WebhookEventModel = inPartition('outbox', model('WebhookEvent', webhookEventSchema));
export const WebhookDeliveryModel = inPartition('outbox', model('WebhookDelivery', webhookDeliverySchema));
export const WebhookAttemptModel = inPartition('outbox', model('WebhookAttempt', webhookAttemptSchema));
