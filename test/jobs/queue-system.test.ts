import Redis from 'ioredis';
import { createQueueSystem } from '../../src/jobs/queue-system';
import { createLogger } from '../../src/logger';
import { deleteRedisKeys } from '../../src/infra/redis';
import { uniqueSuffix } from '../helpers/test-context';

const redisUrl = (): string => process.env.TEST_REDIS_URL!;

describe('the queue system on real Redis', () => {
  it('runs a job through its handler under the run-specific key prefix', async () => {
    const prefix = `test-${uniqueSuffix()}`;
    const queues = createQueueSystem({ redisUrl: redisUrl(), prefix, names: ['echo'] as const, logger: createLogger('silent') });
    const seen: unknown[] = [];
    queues.startWorkers({ echo: async (job) => seen.push(job.data) });

    const job = await queues.queue('echo').add({ id: 'r-1' }, { jobId: 'echo:r-1' });
    await expect(job.finished()).resolves.toBeDefined();
    expect(seen).toEqual([{ id: 'r-1' }]);

    const redis = new Redis(redisUrl());
    const keys = await redis.keys(`${prefix}:echo:*`);
    redis.disconnect();
    expect(keys.length).toBeGreaterThan(0);
    await queues.close();
    await deleteRedisKeys(redisUrl(), `${prefix}:*`);
  });

  it('refuses to start workers when a queue has no handler', async () => {
    const queues = createQueueSystem({
      redisUrl: redisUrl(),
      prefix: `test-${uniqueSuffix()}`,
      names: ['one', 'two'] as const,
      logger: createLogger('silent'),
    });
    expect(() => queues.startWorkers({ one: async () => undefined } as never)).toThrow('no job handler for: two');
    await queues.close();
  });
});
