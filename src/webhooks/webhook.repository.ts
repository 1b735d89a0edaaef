import { Types, trusted } from 'mongoose';
import type { EventType } from './event-types';
import { WebhookEndpointModel } from './webhook.model';

/** `all`: registered with an admin key, so it receives the events of every owner. */
export type EndpointScope = 'owner' | 'all';

export interface WebhookEndpointRecord {
  id: string;
  ownerId: string;
  scope: EndpointScope;
  url: string;
  events: EventType[];
  secret: string;
  status: 'active' | 'disabled';
  disabledAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

export type NewWebhookEndpoint = Pick<WebhookEndpointRecord, 'ownerId' | 'scope' | 'url' | 'events' | 'secret'>;

interface WebhookEndpointDocument extends Omit<WebhookEndpointRecord, 'id'> {
  _id: Types.ObjectId;
}

function toRecord(doc: WebhookEndpointDocument): WebhookEndpointRecord {
  const { _id, ...fields } = doc;
  return { id: _id.toHexString(), ...fields };
}

export const webhookEndpointRepository = {
  async insert(endpoint: NewWebhookEndpoint): Promise<WebhookEndpointRecord> {
    const doc = await WebhookEndpointModel.create({ ...endpoint, status: 'active' });
    return toRecord(doc.toObject() as unknown as WebhookEndpointDocument);
  },

  async findById(id: string): Promise<WebhookEndpointRecord | undefined> {
    const doc = await WebhookEndpointModel.findById(id).lean<WebhookEndpointDocument>();
    return doc ? toRecord(doc) : undefined;
  },

  /** One page ordered by `_id`; every owner's endpoints when `ownerId` is undefined. */
  async list(ownerId: string | undefined, afterId: string | undefined, limit: number): Promise<WebhookEndpointRecord[]> {
    const query: Record<string, unknown> = {};
    if (afterId) query._id = trusted({ $gt: new Types.ObjectId(afterId) });
    if (ownerId !== undefined) query.ownerId = ownerId;
    const docs = await WebhookEndpointModel.find(query).sort({ _id: 1 }).limit(limit).lean<WebhookEndpointDocument[]>();
    return docs.map(toRecord);
  },

  async listActive(): Promise<WebhookEndpointRecord[]> {
    const docs = await WebhookEndpointModel.find({ status: 'active' }).lean<WebhookEndpointDocument[]>();
    return docs.map(toRecord);
  },

  async disable(id: string, at: Date): Promise<void> {
    await WebhookEndpointModel.updateOne({ _id: id }, { $set: { status: 'disabled', disabledAt: at } });
  },

  async enable(id: string): Promise<WebhookEndpointRecord | undefined> {
    const doc = await WebhookEndpointModel.findOneAndUpdate({ _id: id }, { $set: { status: 'active' }, $unset: { disabledAt: '' } }, { returnDocument: 'after' }).lean<WebhookEndpointDocument>();
    return doc ? toRecord(doc) : undefined;
  },

  async delete(id: string): Promise<boolean> {
    const result = await WebhookEndpointModel.deleteOne({ _id: id });
    return result.deletedCount === 1;
  },
};
