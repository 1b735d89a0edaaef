import { Schema, model } from 'mongoose';

/**
 * A signed-in expert's session. `_id` is the SHA-256 of the session id in the cookie (the raw id is never stored);
 * `csrfToken` is the synchroniser token of its forms (csrf-sync). FerretDB has no TTL indexes: housekeeping purges
 * expired sessions, and a lookup refuses them anyway.
 */
const sessionSchema = new Schema(
  {
    _id: { type: String, required: true },
    expertId: { type: String, required: true, index: true },
    csrfToken: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'sessions' },
);

export const SessionModel = model('Session', sessionSchema);
