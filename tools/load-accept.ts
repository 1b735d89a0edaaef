// The accept scenario of `npm run load`: experts accept their invitations (POST /v1/invitations/{id}/accept with
// their own keys). Each accept is a one-time change, so every call needs an invitation of its own, prepared first.
import { between, roundTrips } from './load-metrics';
import { drained } from './load-scenarios';
import { inParallel, percentile, progressBar, runParallel } from './progress';

/** One API call: the status and the parsed JSON body (undefined when there is none). */
export type Api = (method: string, url: string, key: string, body?: unknown) => Promise<{ status: number; body: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any

interface Invitation {
  id: string;
  requestId: string;
  expertId: string;
}

export interface AcceptCall {
  invitationId: string;
  expertKey: string;
}

/** Every pending invitation, as an admin lists them (pages of 100, oldest first). */
async function pendingInvitations(api: Api, adminKey: string): Promise<Invitation[]> {
  const all: Invitation[] = [];
  let cursor: string | null | undefined;
  do {
    const { status, body } = await api('GET', `/v1/invitations?status=pending&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, adminKey);
    if (status !== 200) throw new Error(`GET /v1/invitations → ${status}`);
    all.push(...(body.items as Invitation[]));
    cursor = body.nextCursor as string | null;
  } while (cursor);
  return all;
}

/**
 * Readies the given requests (stage `invited`, one pending invitation each from auto-invite) for the accept scenario:
 * the owner invites a second expert where one is feasible and free (so the accept withdraws that invitation and mails
 * its expert; 409 and 422 leave a request with one), and each first invitee gets an expert API key. Returns one accept
 * per request that has a pending invitation, in the order given, and how many requests have a second invitee.
 */
export async function prepareAccepts(api: Api, adminKey: string, ownerKey: string, requestIds: readonly string[]): Promise<{ accepts: AcceptCall[]; withSecondInvitee: number }> {
  const firstOf = new Map<string, Invitation>();
  for (const invitation of await pendingInvitations(api, adminKey)) if (!firstOf.has(invitation.requestId)) firstOf.set(invitation.requestId, invitation);
  const invited = requestIds.filter((id) => firstOf.has(id));

  let withSecondInvitee = 0;
  await inParallel('accept: second invitations', invited.length, 8, async (index) => {
    const { status } = await api('POST', `/v1/requests/${invited[index]}/invitations`, ownerKey, {});
    if (status === 201) withSecondInvitee += 1;
    else if (status !== 409 && status !== 422) throw new Error(`POST /v1/requests/{id}/invitations → ${status}`);
  });

  const experts = [...new Set(invited.map((id) => firstOf.get(id)!.expertId))];
  const keys = new Map<string, string>();
  await inParallel('accept: expert keys', experts.length, 8, async (index) => {
    const { status, body } = await api('POST', '/v1/api-keys', adminKey, { role: 'expert', label: 'load benchmark', expertId: experts[index] });
    if (status !== 201) throw new Error(`POST /v1/api-keys → ${status}`);
    keys.set(experts[index]!, body.key as string);
  });
  const accepts = invited.map((id) => ({ invitationId: firstOf.get(id)!.id, expertKey: keys.get(firstOf.get(id)!.expertId)! }));
  return { accepts, withSecondInvitee };
}

export interface AcceptRound {
  label: string;
  latenciesMs: number[];
  /** Answers by HTTP status, plus `error` for calls that got none. */
  statuses: Record<string, number>;
  perSecond: number;
}

/** Sends each accept once, `connections` at a time, against `base`, timing each call from sending to the whole answer read. */
export async function measureAccepts(label: string, base: string, accepts: readonly AcceptCall[], connections: number): Promise<AcceptRound> {
  const latenciesMs: number[] = [];
  const statuses: Record<string, number> = {};
  const bar = progressBar(label, accepts.length);
  const started = performance.now();
  try {
    await runParallel(accepts.length, connections, async (index) => {
      const { invitationId, expertKey } = accepts[index]!;
      const sent = performance.now();
      const outcome = await fetch(`${base}/v1/invitations/${invitationId}/accept`, { method: 'POST', headers: { Authorization: `Bearer ${expertKey}` } }).then(
        async (response) => (await response.arrayBuffer(), String(response.status)),
        () => 'error',
      );
      latenciesMs.push(performance.now() - sent);
      statuses[outcome] = (statuses[outcome] ?? 0) + 1;
    }, (done) => bar.update(done));
  } finally {
    bar.stop();
  }
  return { label, latenciesMs, statuses, perSecond: accepts.length / ((performance.now() - started) / 1000) };
}

export interface AcceptMode {
  name: string;
  /** The instance the accepts go to. */
  base: string;
}

const ACCEPT_ROUTE = 'http POST /v1/invitations/:id/accept';

/**
 * Runs the accepts in rounds after an untimed warm-up of `connections` accepts per mode, one mode after another: with two modes in the order 1, 2, 2, 1, so that neither gains
 * from going first or last, each round with its own quarter of the invitations, and each round's jobs drained
 * (on `worker`, the instance whose workers run every job) before the next begins. Per mode: its rounds and the database
 * round trips per accept, on the request path (the serving instance's count for the route) and in the jobs that
 * followed (all of them, and the mail jobs alone: recording and delivery).
 */
export async function runAcceptRounds(modes: readonly AcceptMode[], all: readonly AcceptCall[], connections: number, worker: string, adminKey: string) {
  // Untimed first: each instance's first accepts compile its code paths (and the worker's first mails its templates
  // and catalogue messages), which would otherwise land in whichever mode goes first.
  for (const [index, mode] of modes.entries()) {
    await measureAccepts(`${mode.name} (warm-up)`, mode.base, all.slice(index * connections, (index + 1) * connections), connections);
  }
  await drained(worker, adminKey, 'after the warm-up');
  const accepts = all.slice(modes.length * connections);
  const order = modes.length === 2 ? [0, 1, 1, 0] : [0];
  const share = Math.floor(accepts.length / order.length);
  const outcome = modes.map((mode) => ({ name: mode.name, rounds: [] as AcceptRound[], requestPath: { sum: 0, count: 0 }, jobs: { sum: 0, count: 0 }, mailJobs: { sum: 0, count: 0 } }));
  const add = (into: { sum: number; count: number }, more: { sum: number; count: number }) => void ((into.sum += more.sum), (into.count += more.count));
  for (const [turn, index] of order.entries()) {
    const mode = modes[index]!;
    const before = { served: await roundTrips(mode.base, adminKey), worker: await roundTrips(worker, adminKey) };
    outcome[index]!.rounds.push(await measureAccepts(`${mode.name} (${turn + 1}/${order.length})`, mode.base, accepts.slice(turn * share, (turn + 1) * share), connections));
    await drained(worker, adminKey, 'after the round');
    const after = { served: await roundTrips(mode.base, adminKey), worker: await roundTrips(worker, adminKey) };
    add(outcome[index]!.requestPath, between(before.served, after.served, (key) => key === ACCEPT_ROUTE));
    add(outcome[index]!.jobs, between(before.worker, after.worker, (key) => key.startsWith('job ')));
    add(outcome[index]!.mailJobs, between(before.worker, after.worker, (key) => key === 'job mail-delivery' || key === 'job mail-record'));
  }
  return outcome.map((mode) => ({ ...mode, ...acceptSummary(mode.rounds) }));
}

/** p50 and p99 (ms) of the rounds' latencies taken together. */
export function acceptSummary(rounds: readonly AcceptRound[]) {
  const latencies = rounds.flatMap((round) => round.latenciesMs);
  const statuses: Record<string, number> = {};
  for (const round of rounds) for (const [status, count] of Object.entries(round.statuses)) statuses[status] = (statuses[status] ?? 0) + count;
  return { calls: latencies.length, p50Ms: percentile(latencies, 50), p99Ms: percentile(latencies, 99), statuses };
}
