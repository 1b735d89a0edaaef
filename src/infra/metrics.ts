import client from 'prom-client';

/**
 * One registry per process (the metrics describe the process). Queue gauges are read from Redis when scraped.
 */
export const registry = new client.Registry();
client.collectDefaultMetrics({ register: registry });

export const httpRequestDuration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by route template, method and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});

export const matchRankingDuration = new client.Histogram({
  name: 'match_ranking_duration_seconds',
  help: 'Time to rank experts for one request',
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25],
  registers: [registry],
});

export const jobDuration = new client.Histogram({
  name: 'job_duration_seconds',
  help: 'Background job duration by queue and outcome',
  labelNames: ['queue', 'outcome'] as const,
  buckets: [0.005, 0.025, 0.1, 0.5, 1, 5, 15],
  registers: [registry],
});

export const webhookDeliveries = new client.Counter({
  name: 'webhook_deliveries_total',
  help: 'Webhook delivery attempts by outcome',
  labelNames: ['outcome'] as const,
  registers: [registry],
});

export const workloadCorrections = new client.Counter({
  name: 'workload_audit_corrections_total',
  help: 'Expert workload counters the hourly audit found drifted and corrected (each points to an interrupted write)',
  registers: [registry],
});

type QueueCounts = () => Promise<Array<{ queue: string; waiting: number; active: number; failed: number; delayed: number }>>;
const queueSources = new Set<QueueCounts>();

/** Counts are read from Redis at scrape time; a scrape while Redis is down simply reports nothing for the queues. */
export function watchQueues(source: QueueCounts): () => void {
  queueSources.add(source);
  return () => queueSources.delete(source);
}

new client.Gauge({
  name: 'queue_jobs',
  help: 'Jobs per queue and state',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const source of queueSources) {
      const counts = await source().catch(() => []);
      for (const { queue, ...states } of counts) {
        for (const [state, value] of Object.entries(states)) this.set({ queue, state }, value);
      }
    }
  },
});
