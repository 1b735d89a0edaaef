// Progress bars on stderr for the benchmark scripts (cli-progress); without a terminal they print a line every 5 s.
import { Presets, SingleBar } from 'cli-progress';

export interface Progress {
  /** Sets the count done so far, with an optional note after the bar (e.g. "312 req/s"). */
  update(done: number, note?: string): void;
  stop(): void;
}

/** A bar labelled `label` counting up to `total` (items, or seconds for a timed scenario). */
export function progressBar(label: string, total: number): Progress {
  const bar = new SingleBar(
    { format: `${label.padEnd(34)} [{bar}] {value}/{total} {note}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5000, etaBuffer: 50 },
    Presets.shades_classic,
  );
  bar.start(total, 0, { note: '' });
  return {
    update: (done, note = '') => bar.update(done, { note }),
    stop: () => bar.stop(),
  };
}

/** Runs `work` over `count` items with `parallel` at a time; `onDone` after each with the number done so far. */
export async function runParallel(count: number, parallel: number, work: (index: number) => Promise<void>, onDone: (done: number) => void = () => undefined): Promise<void> {
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from({ length: Math.min(parallel, count) }, async () => {
      while (next < count) {
        await work(next++);
        onDone(++done);
      }
    }),
  );
}

/** runParallel with a bar labelled `label`. */
export async function inParallel(label: string, count: number, parallel: number, work: (index: number) => Promise<void>): Promise<void> {
  const bar = progressBar(label, count);
  try {
    await runParallel(count, parallel, work, (done) => bar.update(done));
  } finally {
    bar.stop();
  }
}

/** The value below which `p` % of `values` lie (nearest rank); 0 for none. */
export const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0;
};
