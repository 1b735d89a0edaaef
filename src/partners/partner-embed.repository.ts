import { PartnerEmbedModel } from './partner-embed.model';

export interface PartnerEmbed {
  ownerId: string;
  origins: string[];
  updatedAt: Date;
}

interface Stored {
  _id: string;
  origins: string[];
  updatedAt: Date;
}

/** Partners' embedding origins (see partner-embed.model.ts); every read and write is by `_id`, the ownerId. */
export const partnerEmbedRepository = {
  async findByOwner(ownerId: string): Promise<PartnerEmbed | undefined> {
    const doc = await PartnerEmbedModel.findById(ownerId).lean<Stored>();
    return doc ? { ownerId: doc._id, origins: doc.origins, updatedAt: doc.updatedAt } : undefined;
  },

  /** Replaces the owner's list (one document, one write: nothing partial to see). */
  async replace(ownerId: string, origins: readonly string[], now: Date): Promise<PartnerEmbed> {
    await PartnerEmbedModel.replaceOne({ _id: ownerId }, { origins: [...origins], updatedAt: now }, { upsert: true });
    return { ownerId, origins: [...origins], updatedAt: now };
  },
};
