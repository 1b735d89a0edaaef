// The printed report of `npm run load`: a table per part, then the whole as one JSON line.
import os from 'node:os';
import type { runAcceptRounds } from './load-accept';
import type { ScenarioResult } from './load-scenarios';
import type { BurstResult } from './pipeline-burst';
import { percentile } from './progress';

export interface LoadSettings {
  database: string;
  experts: number;
  requests: number;
  connections: number;
  durationSeconds: number;
  acceptConnections: number;
}

/** Prints the figures of one run to stdout. */
export function report(settings: LoadSettings, outcome: {
  results: ScenarioResult[];
  burst: BurstResult;
  seedSeconds: number;
  buildSeconds: number;
  prepared: { accepts: unknown[]; withSecondInvitee: number };
  accepts: Awaited<ReturnType<typeof runAcceptRounds>>;
  mailsReceived: number | undefined;
  wholeRunSeconds: number;
}): void {
  const { results, burst, accepts } = outcome;
  const { database, experts, requests, connections, durationSeconds, acceptConnections } = settings;
  console.log(`\nLoad benchmark on ${database}: ${experts} experts, a burst of ${requests} requests, ${connections} connections, ${durationSeconds} s per timed scenario`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; whole run ${outcome.wholeRunSeconds.toFixed(0)} s (build ${outcome.buildSeconds.toFixed(0)} s, seeding ${outcome.seedSeconds.toFixed(0)} s)`);
  const p = (values: number[], q: number) => percentile(values, q).toFixed(0);
  console.log(`\npipeline: ${requests} submissions (${connections} at a time) answered in ${(burst.submittedMs / 1000).toFixed(1)} s, all through matching and auto-invite in ${(burst.settledMs / 1000).toFixed(1)} s = ${burst.perSecond.toFixed(2)} per second`);
  console.log(`  submission to first invitation (or unmatched): p50 ${p(burst.latenciesMs, 50)} ms, p99 ${p(burst.latenciesMs, 99)} ms; ${Object.entries(burst.stages).map(([stage, count]) => `${count} ${stage}`).join(', ')}`);
  console.log('\n' + 'scenario'.padEnd(46) + 'req/s'.padStart(8) + 'p50 ms'.padStart(9) + 'p99 ms'.padStart(9) + 'non-2xx'.padStart(9) + 'errors'.padStart(8));
  const row = (name: string, perSecond: number, p50: number, p99: number, non2xx: number, errors: number) =>
    console.log(name.padEnd(46) + String(Math.round(perSecond)).padStart(8) + String(Math.round(p50)).padStart(9) + String(Math.round(p99)).padStart(9) + String(non2xx).padStart(9) + String(errors).padStart(8));
  for (const result of results) row(result.scenario, result.requestsPerSecond, result.p50Ms, result.p99Ms, result.non2xx, result.errors);

  console.log(`\naccepts (${acceptConnections} at a time; ${outcome.prepared.withSecondInvitee} of ${outcome.prepared.accepts.length} requests also had a second invitee, withdrawn by the accept):`);
  const perAccept = (trips: { sum: number }, calls: number) => (trips.sum / Math.max(1, calls)).toFixed(1);
  for (const mode of accepts) {
    const errors = mode.statuses.error ?? 0;
    const non2xx = Object.entries(mode.statuses).filter(([status]) => status !== 'error' && !status.startsWith('2')).reduce((sum, [, count]) => sum + count, 0);
    const perSecond = mode.rounds.reduce((sum, round) => sum + round.perSecond, 0) / Math.max(1, mode.rounds.length);
    row(`${mode.name} (${mode.calls} calls)`, perSecond, mode.p50Ms, mode.p99Ms, non2xx, errors);
    console.log(`  rounds: ${mode.rounds.map((round) => `p50 ${percentile(round.latenciesMs, 50).toFixed(0)} / p99 ${percentile(round.latenciesMs, 99).toFixed(0)} ms`).join('; ')}`);
    console.log(`  database round trips per accept: ${perAccept(mode.requestPath, mode.requestPath.count)} on the request path, ${perAccept(mode.jobs, mode.calls)} in the jobs that followed (${perAccept(mode.mailJobs, mode.calls)} in ${mode.mailJobs.count} mail jobs)`);
  }
  const [withMail, withoutMail] = accepts;
  if (withMail && withoutMail) console.log(`accept p99 with mail is ${((withMail.p99Ms / withoutMail.p99Ms - 1) * 100).toFixed(1)} % above MAIL=off (target: within 10 %)`);
  if (outcome.mailsReceived !== undefined) console.log(`mails received by the SMTP server: ${outcome.mailsReceived}`);
  const [baseline, byId] = results;
  const ratio = baseline && byId && baseline.scenario.startsWith('baseline') ? Math.round((byId.requestsPerSecond / baseline.requestsPerSecond) * 1000) / 1000 : undefined;
  if (ratio !== undefined) console.log(`GET /v1/requests/{id} keeps ${(ratio * 100).toFixed(1)} % of the baseline's throughput`);
  console.log(JSON.stringify({ ...settings, cpus: os.cpus().length, wholeRunSeconds: Math.round(outcome.wholeRunSeconds), pipeline: { perSecond: burst.perSecond, p50Ms: percentile(burst.latenciesMs, 50), p99Ms: percentile(burst.latenciesMs, 99), stages: burst.stages }, scenarios: results, accepts: accepts.map(({ rounds, ...mode }) => ({ ...mode, rounds: rounds.map((round) => ({ calls: round.latenciesMs.length, p50Ms: percentile(round.latenciesMs, 50), p99Ms: percentile(round.latenciesMs, 99), perSecond: round.perSecond })) })), requestByIdToBaseline: ratio }));
}

