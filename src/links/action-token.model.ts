import { Schema, model } from 'mongoose';
import { ACTION_PURPOSES, PARTY_ROLES } from '../domain/action-links';
import { inPartition } from '../infra/partitions';

/**
 * One action link's token, stored only as the SHA-256 of the raw token (the `_id`, so a click is one look-up by
 * `_id`); the raw token lives only in the mail that carries it. `partyId` is whom the link acts for (an expert's id, or a
 * request's id for its contact), `subjectId` what it acts on (an invitation's or a request's id). `usedAt` is set once, as the single writer
 * of the token's revision (src/infra/claims.ts).
 */
const actionTokenSchema = new Schema(
  {
    _id: { type: String, required: true },
    purpose: { type: String, enum: ACTION_PURPOSES, required: true },
    subjectId: { type: String, required: true },
    partyRole: { type: String, enum: PARTY_ROLES, required: true },
    partyId: { type: String, required: true, index: true },
    // Which of several links on one subject this is (a slot's id, a rating), when its purpose has several.
    choice: String,
    expiresAt: { type: Date, required: true, index: true },
    usedAt: Date,
    revision: { type: Number, required: true },
  },
  { versionKey: false, timestamps: true, collection: 'action_tokens' },
);

export const ActionTokenModel = inPartition('outbox', model('ActionToken', actionTokenSchema));
