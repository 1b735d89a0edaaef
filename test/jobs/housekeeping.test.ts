import mongoose from 'mongoose';
import { IdempotencyRecordModel } from '../../src/idempotency/idempotency.model';
import { IDEMPOTENCY_TTL_MS, runIdempotent } from '../../src/idempotency/idempotency.service';
import { connectDatabase, disconnectDatabase } from '../../src/infra/database';
import { housekeepingJob } from '../../src/jobs/housekeeping.job';
import { createQueueSystem } from '../../src/jobs/queue-system';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { deleteRedisKeys, testEnvironment } from '../helpers/test-context';

const config = loadConfig(testEnvironment());
const logger = createLogger('silent');

beforeAll(() => connectDatabase(config.MONGODB_URI!, config.MONGODB_DB_NAME));
afterAll(async () => {
  await mongoose.connection.dropDatabase();
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
    queues.startWorkers({ housekeeping: housekeepingJob(logger) });
    const job = await queues.queue('housekeeping').add({});
    await expect(job.finished()).resolves.toEqual({ purged: 1 });
    const left = await IdempotencyRecordModel.find().lean();
    expect(left.map((doc) => doc.body)).toEqual([{ key: 'fresh' }]);
    await queues.close();
    await deleteRedisKeys(config.REDIS_URL, `${config.QUEUE_PREFIX}:*`);
  });
});
