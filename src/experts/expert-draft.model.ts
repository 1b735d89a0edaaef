import { Schema, model } from 'mongoose';

/**
 * A sign-up at `/experts/join` whose address is not yet confirmed: the parsed input as the API would take it (name
 * and e-mail included: personal data), kept until `expiresAt`. Its `_id` is the id the expert gets when confirmed, so
 * the confirmation mail is the expert's from the start (export and erasure find it) and a confirmation repeated after
 * a crash cannot create the profile twice.
 */
const expertDraftSchema = new Schema(
  {
    _id: { type: String, required: true },
    input: { type: Schema.Types.Mixed, required: true },
    ownerId: { type: String, required: true },
    expiresAt: { type: Date, required: true, index: true },
  },
  { versionKey: false, timestamps: true, collection: 'expert_drafts', minimize: false },
);

export const ExpertDraftModel = model('ExpertDraft', expertDraftSchema);
