import { Schema, model } from 'mongoose';

/**
 * The origins a partner allows to embed the request form (`/embed/request?partner={ownerId}`). `_id` is the partner's
 * ownerId, so the form's every read is one lookup by `_id` (the only filter FerretDB pushes down).
 */
const partnerEmbedSchema = new Schema(
  {
    _id: { type: String, required: true },
    origins: { type: [String], required: true },
    updatedAt: { type: Date, required: true },
  },
  { versionKey: false, collection: 'partner_embeds' },
);

export const PartnerEmbedModel = model('PartnerEmbed', partnerEmbedSchema);
