import { trusted } from 'mongoose';
import type { EventType } from './event-types';
import { WebhookAttemptModel, WebhookDeliveryModel, WebhookEventModel } from './outbox.model';

export interface WebhookEventRecord {
  id: string;
  type: EventType;
  requestId: string;
  ownerId: string;
  data: Record<string, unknown>;
  occurredAt: Date;
  endpointIds: string[];
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'cancelled';

export interface DeliveryRecord {
  id: string;
  eventId: string;
  endpointId: string;
  eventType: EventType;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface AttemptRecord {
  id: string;
  deliveryId: string;
  endpointId: string;
  attempt: number;
  at: Date;
  durationMs: number;
  statusCode?: number;
  error?: string;
}

export type DeliveryWithAttempts = DeliveryRecord & { attempts: AttemptRecord[] };
export type DeliveryChange = Partial<Pick<DeliveryRecord, 'status' | 'attemptCount' | 'nextAttemptAt'>>;

/** How a record with a string `_id` comes back from `.lean()`. */
type Stored<Item extends { id: string }> = Omit<Item, 'id'> & { _id: string };

function toRecord<Item extends { id: string }>(doc: Stored<Item>): Item {
  const { _id, ...fields } = doc;
  return { id: _id, ...fields } as unknown as Item;
}

/** True when this call inserted the document, false when one with the same `_id` already existed. */
async function insertOnce(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if ((error as { code?: unknown })?.code === 11000) return false;
    throw error;
  }
}

/** Keeps `$in` lists short: one housekeeping run may meet many thousands of ids. */
function* chunks<Item>(items: Item[], size = 500): Generator<Item[]> {
  for (let start = 0; start < items.length; start += size) yield items.slice(start, start + size);
}

export const attemptId = (deliveryId: string, attempt: number): string => `${deliveryId}:${attempt}`;

export const outboxRepository = {
  async findEvent(id: string): Promise<WebhookEventRecord | undefined> {
    const doc = await WebhookEventModel.findById(id).lean<Stored<WebhookEventRecord>>();
    return doc ? toRecord(doc) : undefined;
  },

  /** The stored event: this one, or the one an earlier emit with the same `_id` wrote. */
  async insertEvent(event: WebhookEventRecord): Promise<WebhookEventRecord> {
    const { id, ...fields } = event;
    if (await insertOnce(() => WebhookEventModel.create({ _id: id, ...fields }))) return event;
    return (await this.findEvent(id))!;
  },

  insertDelivery(delivery: Omit<DeliveryRecord, 'createdAt' | 'updatedAt'>): Promise<boolean> {
    const { id, ...fields } = delivery;
    return insertOnce(() => WebhookDeliveryModel.create({ _id: id, ...fields }));
  },

  async findDelivery(id: string): Promise<DeliveryRecord | undefined> {
    const doc = await WebhookDeliveryModel.findById(id).lean<Stored<DeliveryRecord>>();
    return doc ? toRecord(doc) : undefined;
  },

  async updateDelivery(id: string, change: DeliveryChange): Promise<void> {
    await WebhookDeliveryModel.updateOne({ _id: id }, { $set: change });
  },

  async findAttempt(deliveryId: string, attempt: number): Promise<AttemptRecord | undefined> {
    const doc = await WebhookAttemptModel.findById(attemptId(deliveryId, attempt)).lean<Stored<AttemptRecord>>();
    return doc ? toRecord(doc) : undefined;
  },

  /** The recorded attempt: this one, or the one a concurrent run of the same attempt recorded first. */
  async insertAttempt(attempt: AttemptRecord): Promise<AttemptRecord> {
    const { id, ...fields } = attempt;
    if (await insertOnce(() => WebhookAttemptModel.create({ _id: id, ...fields }))) return attempt;
    return (await this.findAttempt(attempt.deliveryId, attempt.attempt))!;
  },

  async findDue(now: Date): Promise<DeliveryRecord[]> {
    const docs = await WebhookDeliveryModel.find({ status: 'pending', nextAttemptAt: trusted({ $lte: now }) }).lean<Stored<DeliveryRecord>[]>();
    return docs.map((doc) => toRecord(doc));
  },

  /** The endpoint's latest deliveries, newest first, each with its attempts in order. */
  async listDeliveries(endpointId: string, limit: number): Promise<DeliveryWithAttempts[]> {
    const deliveries = await WebhookDeliveryModel.find({ endpointId }).sort({ createdAt: -1, _id: -1 }).limit(limit).lean<Stored<DeliveryRecord>[]>();
    if (deliveries.length === 0) return [];
    const attempts = await WebhookAttemptModel.find({ deliveryId: trusted({ $in: deliveries.map((doc) => doc._id) }) })
      .sort({ attempt: 1 })
      .lean<Stored<AttemptRecord>[]>();
    return deliveries.map((doc) => ({
      ...toRecord(doc),
      attempts: attempts.filter((attempt) => attempt.deliveryId === doc._id).map((attempt) => toRecord(attempt)),
    }));
  },

  /**
   * Deletes deliveries that ended before `cutoff` with their attempts, then events older than `cutoff` that no
   * delivery refers to any more (a pending delivery keeps its event). Housekeeping's part: FerretDB has no TTL indexes.
   */
  async purgeFinishedBefore(cutoff: Date): Promise<{ deliveries: number; events: number }> {
    const finished = await WebhookDeliveryModel.find({ status: trusted({ $in: ['delivered', 'failed', 'cancelled'] }), updatedAt: trusted({ $lt: cutoff }) }, { _id: 1 }).lean<Array<{ _id: string }>>();
    let deliveries = 0;
    for (const ids of chunks(finished.map((doc) => doc._id))) {
      await WebhookAttemptModel.deleteMany({ deliveryId: trusted({ $in: ids }) });
      deliveries += (await WebhookDeliveryModel.deleteMany({ _id: trusted({ $in: ids }) })).deletedCount;
    }
    const old = await WebhookEventModel.find({ occurredAt: trusted({ $lt: cutoff }) }, { _id: 1 }).lean<Array<{ _id: string }>>();
    let events = 0;
    for (const ids of chunks(old.map((doc) => doc._id))) {
      const referenced = new Set((await WebhookDeliveryModel.find({ eventId: trusted({ $in: ids }) }, { eventId: 1 }).lean<Array<{ eventId: string }>>()).map((doc) => doc.eventId));
      const unreferenced = ids.filter((id) => !referenced.has(id));
      if (unreferenced.length > 0) events += (await WebhookEventModel.deleteMany({ _id: trusted({ $in: unreferenced }) })).deletedCount;
    }
    return { deliveries, events };
  },

  async deleteForEndpoint(endpointId: string): Promise<void> {
    await Promise.all([WebhookDeliveryModel.deleteMany({ endpointId }), WebhookAttemptModel.deleteMany({ endpointId })]);
  },
};
