import { Schema, model } from 'mongoose';
import { ROLES } from '../http/principal';

/** `_id` is the SHA-256 of the key, so authentication is one lookup by `_id`; the secret itself is never stored. */
const apiKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    publicId: { type: String, required: true, unique: true },
    role: { type: String, enum: ROLES, required: true },
    label: { type: String, required: true },
    ownerId: { type: String, required: true },
    expertId: { type: String, index: true },
    createdAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'api_keys' },
);

export const ApiKeyModel = model('ApiKey', apiKeySchema);
