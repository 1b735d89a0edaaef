/**
 * CPU time this process spends (user + system, in ms, from process.cpuUsage) while `call` runs: what an input costs
 * the service, however loaded the machine is. Wall time would also count the time other processes held the cores,
 * and on a shared 2-core machine that can be ten times the work.
 */
export async function cpuTimed<Result>(call: () => PromiseLike<Result>): Promise<{ result: Result; ms: number }> {
  const started = process.cpuUsage();
  const result = await call();
  const used = process.cpuUsage(started);
  return { result, ms: (used.user + used.system) / 1000 };
}

/** cpuTimed for a synchronous call. */
export function cpuTimedSync(call: () => unknown): number {
  const started = process.cpuUsage();
  call();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000;
}
