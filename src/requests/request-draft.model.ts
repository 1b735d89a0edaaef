import { Schema, model } from 'mongoose';

/**
 * A request filed through the hosted form and not yet confirmed by its contact (double opt-in): the parsed input as
 * the API would take it (contact included: personal data), kept until `expiresAt`. Its `_id` is the id the request
 * gets when confirmed, so the confirmation mail is the contact's from the start (erasure finds it) and a confirmation
 * repeated after a crash cannot file the request twice.
 */
const requestDraftSchema = new Schema(
  {
    _id: { type: String, required: true },
    input: { type: Schema.Types.Mixed, required: true },
    ownerId: { type: String, required: true },
    ownerRole: { type: String, enum: ['partner'] },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false, timestamps: true, collection: 'request_drafts', minimize: false },
);

export const RequestDraftModel = model('RequestDraft', requestDraftSchema);
