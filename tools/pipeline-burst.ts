// A burst of submissions through the pipeline (matching and auto-invite), timed per request: shared by
// `npm run profile:pipeline` (in-process, reading stages from the database) and `npm run load` (over HTTP).
import { progressBar, runParallel } from './progress';

/** Where the pipeline leaves a request: it has its first invitation, or nobody feasible was found. */
export const PIPELINE_DONE = new Set(['invited', 'unmatched']);

export interface BurstResult {
  /** The requests' ids, in the order their POSTs were answered. */
  ids: string[];
  /** From the first POST sent until the last answered. */
  submittedMs: number;
  /** From the first POST sent until the last request was seen done. */
  settledMs: number;
  /** Requests through the pipeline per second: count / settledMs. */
  perSecond: number;
  /** Per request, from its POST being sent until it was seen done (ms). */
  latenciesMs: number[];
  /** How many ended in each stage (`invited`, `unmatched`). */
  stages: Record<string, number>;
}

/**
 * Submits `count` requests (`submit` returns the new id), `parallel` at a time, while checking from the first answer
 * on, one request at a time in the order they were answered, until each stage is in PIPELINE_DONE. The pipeline
 * takes its jobs first in, first out, so a request is seen done at most one check (`pollMs` plus one read) after it
 * is done; one done out of order is seen when its turn comes, which can only overstate its latency. Throws when a
 * request is not done within `timeoutMs` of the burst's start.
 */
export async function burstThroughPipeline(options: {
  label: string;
  count: number;
  parallel: number;
  submit: (index: number) => Promise<string>;
  stageOf: (id: string) => Promise<string | undefined>;
  timeoutMs: number;
  pollMs?: number;
}): Promise<BurstResult> {
  const pollMs = options.pollMs ?? 20;
  const answered: Array<{ id: string; sentAt: number }> = [];
  const started = performance.now();
  let submittedMs = 0;
  const latenciesMs: number[] = [];
  const bar = progressBar(`${options.label}: through the pipeline`, options.count);
  const note = () => `(${answered.length} submitted)`;
  const submitting = runParallel(options.count, options.parallel, async (index) => {
    const sentAt = performance.now();
    answered.push({ id: await options.submit(index), sentAt });
  }, () => bar.update(latenciesMs.length, note())).then(() => void (submittedMs = performance.now() - started));
  const stages: Record<string, number> = {};
  let failure: unknown;
  submitting.catch((error: unknown) => void (failure = error));
  try {
    while (latenciesMs.length < options.count) {
      if (failure) throw failure;
      const next = answered[latenciesMs.length];
      const stage = next && (await options.stageOf(next.id));
      if (next && stage && PIPELINE_DONE.has(stage)) {
        latenciesMs.push(performance.now() - next.sentAt);
        stages[stage] = (stages[stage] ?? 0) + 1;
        bar.update(latenciesMs.length, note());
        continue;
      }
      if (performance.now() - started > options.timeoutMs) throw new Error(`${options.label}: a request was not through the pipeline within ${options.timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  } finally {
    bar.stop();
  }
  await submitting;
  const settledMs = performance.now() - started;
  return { ids: answered.map((entry) => entry.id), submittedMs, settledMs, perSecond: options.count / (settledMs / 1000), latenciesMs, stages };
}
