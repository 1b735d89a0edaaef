import type { Job } from 'bull';
import mongoose, { type Connection } from 'mongoose';
import { IdempotencyRecordModel } from '../../src/idempotency/idempotency.model';
import { IDEMPOTENCY_TTL_MS, runIdempotent } from '../../src/idempotency/idempotency.service';
import { connectDatabase, disconnectDatabase } from '../../src/infra/database';
import { createWorkloadAudit } from '../../src/consultations/workload-audit';
import { housekeepingJob } from '../../src/jobs/housekeeping.job';
import { createQueueSystem } from '../../src/jobs/queue-system';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createOpenRequestAudit } from '../../src/requests/open-request-audit';
import { WebhookAttemptModel, WebhookDeliveryModel, WebhookEventModel } from '../../src/webhooks/outbox.model';
import { deleteRedisKeys } from '../../src/infra/redis';
import { testEnvironment } from '../helpers/test-context';
import { ActionTokenModel } from '../../src/links/action-token.model';
import { RequestDraftModel } from '../../src/requests/request-draft.model';
import { MailModel } from '../../src/mail/mail-outbox.model';
import { dropAllDatabases } from '../../src/infra/partitions';

const config = loadConfig(testEnvironment());
const logger = createLogger('silent');
const auditWorkloads = createWorkloadAudit({ expertChanged: () => undefined, logger });
const auditOpenRequests = createOpenRequestAudit({ logger });

beforeAll(() => connectDatabase(config.MONGODB_URI!, config.MONGODB_DB_NAME));
afterAll(async () => {
  await dropAllDatabases();
  await disconnectDatabase();
});

const record = (key: string, at: Date) =>
  runIdempotent({ scope: 'owner', operation: 'POST /v1/things', key, body: { key } }, async () => ({ status: 201, body: { key }, headers: {} }), () => at);

describe('the housekeeping job', () => {
  it('purges idempotency records older than 24 hours and keeps the fresh ones', async () => {
    await record('old', new Date(Date.now() - IDEMPOTENCY_TTL_MS - 60_000));
    await record('fresh', new Date());
    expect(await IdempotencyRecordModel.countDocuments()).toBe(2);

    const queues = createQueueSystem({ redisUrl: config.REDIS_URL, prefix: config.QUEUE_PREFIX, names: ['housekeeping'] as const, logger });
    queues.startWorkers({ housekeeping: housekeepingJob(logger, { webhookRetentionDays: 30, auditWorkloads, auditOpenRequests }) });
    const job = await queues.queue('housekeeping').add({});
    await expect(job.finished()).resolves.toMatchObject({ idempotencyRecords: 1 });
    const left = await IdempotencyRecordModel.find().lean();
    expect(left.map((doc) => doc.body)).toEqual([{ key: 'fresh' }]);
    await queues.close();
    await deleteRedisKeys(config.REDIS_URL, `${config.QUEUE_PREFIX}:*`);
  });

  it('purges action-link tokens 30 days past their expiry and keeps younger ones (they still answer "expired")', async () => {
    const day = 24 * 60 * 60 * 1000;
    const token = (id: string, expiresAt: Date) => ({ _id: id, purpose: 'accept_invitation', subjectId: 'i', partyRole: 'expert', partyId: 'e', expiresAt, revision: 1 });
    const tokens = ActionTokenModel.db.db!.collection<{ _id: string }>('action_tokens');
    await tokens.insertMany([token('long-expired', new Date(Date.now() - 31 * day)), token('just-expired', new Date(Date.now() - 29 * day)), token('open', new Date(Date.now() + day))]);

    const job = housekeepingJob(logger, { webhookRetentionDays: 30, auditWorkloads, auditOpenRequests });
    await expect(job({ id: 'test' } as Job)).resolves.toMatchObject({ actionTokens: 1 });
    expect((await tokens.find({}, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id).sort()).toEqual(['just-expired', 'open']);
  });

  it('purges expert sign-ups nobody confirmed before their expiry, with their confirmation mail’s address and content, and keeps the open ones', async () => {
    const draft = (id: string, expiresAt: Date) => ({ _id: id, input: { name: 'N', email: `${id}@example.org` }, ownerId: 'hosted:x', expiresAt });
    const mail = (id: string) => ({
      _id: `mail-${id}`, eventKey: `expert.draft:${id}`, kind: 'expert_confirmation', recipient: `expert:${id}`, to: `${id}@example.org`, language: 'en',
      subject: 'Confirm your expert profile', text: 'Hello N', messageId: `<${id}@test>`, status: 'sent', attemptCount: 1, revision: 1,
    });
    const drafts = mongoose.connection.db!.collection<{ _id: string }>('expert_drafts');
    const mails = MailModel.db.db!.collection<{ _id: string }>('mail_outbox');
    // Draft ids are the experts' ids to be: ObjectIds, as hex.
    const [expired, open] = [new mongoose.Types.ObjectId().toHexString(), new mongoose.Types.ObjectId().toHexString()];
    await drafts.insertMany([draft(expired, new Date(Date.now() - 1000)), draft(open, new Date(Date.now() + 60_000))]);
    await mails.insertMany([mail(expired), mail(open)]);

    const job = housekeepingJob(logger, { webhookRetentionDays: 30, auditWorkloads, auditOpenRequests });
    await expect(job({ id: 'test' } as Job)).resolves.toMatchObject({ expertDrafts: 1 });
    expect((await drafts.find({}, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id)).toEqual([open]);
    expect(await mails.findOne({ _id: `mail-${expired}` })).toMatchObject({ status: 'erased', recipient: `expert:${expired}` });
    expect(await mails.findOne({ _id: `mail-${expired}` })).not.toHaveProperty('to');
    expect(await mails.findOne({ _id: `mail-${open}` })).toMatchObject({ status: 'sent', to: `${open}@example.org` });
  });

  it('purges hosted requests nobody confirmed before their expiry, with their confirmation mail’s address and content, and keeps the open ones', async () => {
    const draft = (id: string, expiresAt: Date) => ({ _id: id, input: { title: 'T', contact: { name: 'N', email: `${id}@example.org` } }, ownerId: 'hosted:x', expiresAt });
    const mail = (id: string) => ({
      _id: `mail-${id}`, eventKey: `request.draft:${id}`, kind: 'request_confirmation', recipient: `contact:${id}`, requestId: id, to: `${id}@example.org`,
      language: 'en', subject: 'Confirm your request', text: 'Hello N', messageId: `<${id}@test>`, status: 'sent', attemptCount: 1, revision: 1,
    });
    const drafts = RequestDraftModel.db.db!.collection<{ _id: string }>(RequestDraftModel.collection.collectionName);
    const mails = MailModel.db.db!.collection<{ _id: string }>('mail_outbox');
    // Draft ids are the requests' ids to be: ObjectIds, as hex.
    const [expired, open] = [new mongoose.Types.ObjectId().toHexString(), new mongoose.Types.ObjectId().toHexString()];
    await drafts.insertMany([draft(expired, new Date(Date.now() - 1000)), draft(open, new Date(Date.now() + 60_000))]);
    await mails.insertMany([mail(expired), mail(open)]);

    const job = housekeepingJob(logger, { webhookRetentionDays: 30, auditWorkloads, auditOpenRequests });
    await expect(job({ id: 'test' } as Job)).resolves.toMatchObject({ requestDrafts: 1 });
    expect((await drafts.find({}, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id)).toEqual([open]);
    expect(await mails.findOne({ _id: `mail-${expired}` })).toMatchObject({ status: 'erased', recipient: `contact:${expired}` });
    expect(await mails.findOne({ _id: `mail-${expired}` })).not.toHaveProperty('to');
    expect(await mails.findOne({ _id: `mail-${expired}` })).not.toHaveProperty('text');
    expect(await mails.findOne({ _id: `mail-${open}` })).toMatchObject({ status: 'sent', to: `${open}@example.org` });
  });

  it('purges webhook deliveries that ended past the retention, their attempts, and events nothing refers to', async () => {
    const day = 24 * 60 * 60 * 1000;
    const old = new Date(Date.now() - 31 * day);
    const recent = new Date(Date.now() - 29 * day);
    const event = (id: string, occurredAt: Date) => ({ _id: id, type: 'request.matched', requestId: 'r', ownerId: 'o', data: {}, occurredAt, endpointIds: ['e'] });
    const delivery = (eventId: string, status: string, updatedAt: Date) => ({
      _id: `${eventId}:e`, eventId, endpointId: 'e', eventType: 'request.matched', status, attemptCount: 1, nextAttemptAt: null, createdAt: updatedAt, updatedAt,
    });
    const attempt = (eventId: string, at: Date) => ({ _id: `${eventId}:e:1`, deliveryId: `${eventId}:e`, endpointId: 'e', attempt: 1, at, durationMs: 5, statusCode: 200 });
    /** Written through the driver, so the dates are the test's and not mongoose's timestamps. */
    const insert = (model: { db: Connection; collection: { collectionName: string } }, docs: Array<{ _id: string }>) =>
      model.db.db!.collection<{ _id: string }>(model.collection.collectionName).insertMany(docs);
    await insert(WebhookEventModel, [event('evt_delivered_old', old), event('evt_failed_old', old), event('evt_pending_old', old), event('evt_delivered_recent', recent), event('evt_unsent_old', old)]);
    await insert(WebhookDeliveryModel, [
      delivery('evt_delivered_old', 'delivered', old),
      delivery('evt_failed_old', 'failed', old),
      delivery('evt_pending_old', 'pending', old),
      delivery('evt_delivered_recent', 'delivered', recent),
    ]);
    await insert(WebhookAttemptModel, [attempt('evt_delivered_old', old), attempt('evt_failed_old', old), attempt('evt_pending_old', old), attempt('evt_delivered_recent', recent)]);

    const job = housekeepingJob(logger, { webhookRetentionDays: 30, auditWorkloads, auditOpenRequests });
    await expect(job({ id: 'test' } as Job)).resolves.toMatchObject({ webhookDeliveries: 2, webhookEvents: 3 });

    const ids = async (model: { db: Connection; collection: { collectionName: string } }) =>
      (await model.db.db!.collection<{ _id: string }>(model.collection.collectionName).find({}, { projection: { _id: 1 } }).toArray()).map((doc) => doc._id).sort();
    expect(await ids(WebhookEventModel)).toEqual(['evt_delivered_recent', 'evt_pending_old']);
    expect(await ids(WebhookDeliveryModel)).toEqual(['evt_delivered_recent:e', 'evt_pending_old:e']);
    expect(await ids(WebhookAttemptModel)).toEqual(['evt_delivered_recent:e:1', 'evt_pending_old:e:1']);
  });
});
