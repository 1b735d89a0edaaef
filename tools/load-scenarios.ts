// The timed HTTP scenarios of `npm run load` (autocannon, with a bar per scenario) and the wait for background jobs.
import autocannon from 'autocannon';
import { progressBar } from './progress';

export interface Scenario {
  name: string;
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Paths taken in turn, one per request; without them every request goes to `url`. */
  paths?: string[];
}

export interface ScenarioResult {
  scenario: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

/** Runs `scenario` for `seconds` at `connections`; latencies are autocannon's (ms, from sending to the last byte). */
export async function measure(scenario: Scenario, connections: number, seconds: number): Promise<ScenarioResult> {
  let turn = 0;
  const bar = progressBar(scenario.name, seconds);
  let ticks = 0;
  let answered = 0;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: scenario.url,
        connections,
        duration: seconds,
        method: scenario.method ?? 'GET',
        headers: scenario.headers,
        body: scenario.body,
        requests: scenario.paths ? [{ setupRequest: (request) => ({ ...request, path: scenario.paths![turn++ % scenario.paths!.length] }) }] : undefined,
      },
      (error: unknown, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
    );
    instance.on('response', () => void (answered += 1));
    instance.on('tick', () => bar.update(Math.min(++ticks, seconds), `${answered} answers`));
  });
  bar.stop();
  return {
    scenario: scenario.name,
    requestsPerSecond: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** Jobs waiting or running in every queue, from the service's own metrics. */
async function busyJobs(base: string, adminKey: string): Promise<number> {
  const metrics = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${adminKey}` } })).text();
  return [...metrics.matchAll(/^queue_jobs\{queue="[^"]+",state="(?:waiting|active)"\} (\d+)/gm)].reduce((sum, match) => sum + Number(match[1]), 0);
}

/**
 * Waits until no job waits or runs (matching, mails, webhooks), so background work does not compete with the next
 * measurement; fails after `timeoutMs`.
 */
export async function drained(base: string, adminKey: string, label: string, timeoutMs = 10 * 60_000): Promise<void> {
  let busy = await busyJobs(base, adminKey);
  if (busy === 0) return;
  const first = busy;
  const bar = progressBar(`background jobs ${label}`, first);
  const deadline = Date.now() + timeoutMs;
  try {
    while (busy > 0) {
      if (Date.now() > deadline) throw new Error(`${busy} background jobs still waiting or running after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      busy = await busyJobs(base, adminKey);
      bar.update(Math.max(0, first - busy), `${busy} left`);
    }
  } finally {
    bar.stop();
  }
}
