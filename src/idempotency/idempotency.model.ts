import { Schema, model } from 'mongoose';

/** `_id` is a hash of caller, route and key, so every check is one lookup by `_id`. */
const idempotencyRecordSchema = new Schema(
  {
    _id: { type: String, required: true },
    fingerprint: { type: String, required: true },
    state: { type: String, enum: ['in_progress', 'completed'], required: true },
    status: Number,
    body: Schema.Types.Mixed,
    /** The id of the object the first response created, so erasing it can drop the stored copy. */
    resourceId: { type: String, index: true },
    headers: { type: Map, of: String },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'idempotency_records', minimize: false },
);

export const IdempotencyRecordModel = model('IdempotencyRecord', idempotencyRecordSchema);
