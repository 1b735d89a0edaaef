import Queue, { type Job, type JobOptions } from 'bull';
import { databaseOperationsPerUnit, tallyDatabaseOperations, type DatabaseOperation } from '../infra/db-metrics';
import { jobDuration, watchQueues } from '../infra/metrics';
import type { Logger } from '../logger';

export type JobHandler = (job: Job) => Promise<unknown>;

export interface QueueSystemOptions<Name extends string> {
  redisUrl: string;
  /** Key prefix: one per environment or test run, so runs never see each other's jobs. */
  prefix: string;
  names: readonly Name[];
  defaultJobOptions?: JobOptions;
  /** Jobs run at once per queue and process, where not the `startWorkers` default. */
  concurrency?: Partial<Record<Name, number>>;
  logger: Logger;
}

export interface QueueSystem<Name extends string> {
  queue(name: Name): Queue.Queue;
  queues(): Queue.Queue[];
  /** Starts a worker per queue; refuses to start when a queue has no handler. */
  startWorkers(handlers: Record<Name, JobHandler>, concurrency?: number): void;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_JOB_OPTIONS: JobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: 1000,
  removeOnFail: 5000,
};

export function createQueueSystem<Name extends string>(options: QueueSystemOptions<Name>): QueueSystem<Name> {
  const byName = new Map<Name, Queue.Queue>(
    options.names.map((name) => {
      const queue = new Queue(name, options.redisUrl, {
        prefix: options.prefix,
        redis: { maxRetriesPerRequest: null, enableReadyCheck: false },
        defaultJobOptions: { ...DEFAULT_JOB_OPTIONS, ...options.defaultJobOptions },
      });
      queue.on('error', (error) => options.logger.warn({ queue: name, err: error.message }, 'queue error'));
      return [name, queue];
    }),
  );
  const first = byName.values().next().value;
  const unwatch = watchQueues(() =>
    Promise.all(
      [...byName].map(async ([queue, instance]) => {
        const { waiting, active, failed, delayed } = await instance.getJobCounts();
        return { queue, waiting, active, failed, delayed };
      }),
    ),
  );

  return {
    queue(name) {
      const queue = byName.get(name);
      if (!queue) throw new Error(`unknown queue ${name}`);
      return queue;
    },
    queues: () => [...byName.values()],
    startWorkers(handlers, concurrency = 4) {
      const missing = options.names.filter((name) => typeof handlers[name] !== 'function');
      if (missing.length > 0) throw new Error(`no job handler for: ${missing.join(', ')}`);
      for (const [name, queue] of byName) {
        queue.on('failed', (job, error) =>
          options.logger.error({ queue: name, jobId: job.id, attempt: job.attemptsMade, err: error.message }, 'job failed'),
        );
        const handler = handlers[name];
        void queue.process(options.concurrency?.[name] ?? concurrency, async (job: Job) => {
          const stop = jobDuration.startTimer({ queue: name });
          const operations = [] as DatabaseOperation[];
          try {
            const { result } = await tallyDatabaseOperations(() => handler(job), operations);
            stop({ outcome: 'completed' });
            return result;
          } catch (error) {
            stop({ outcome: 'failed' });
            throw error;
          } finally {
            databaseOperationsPerUnit.observe({ unit: 'job', name }, operations.length);
          }
        });
      }
    },
    async ping() {
      if (first) await first.client.ping();
    },
    async close() {
      unwatch();
      await Promise.all([...byName.values()].map((queue) => queue.close()));
    },
  };
}
