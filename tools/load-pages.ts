// `npm run load:pages`: server time of the hosted pages (issue 11: each page under 50 ms at p95 with 10,000 experts
// and 1,000 requests). Fills a fresh embedded database directly through the repositories (the API would take far
// longer at this size), then starts the service in a child process on it, so its in-memory indexes warm from the
// filled data as after any restart, and times each page from a client on loopback at modest concurrency: time to
// first byte per request, beside the service's own `http_request_duration_seconds` for the page's route. Stops by itself.
// LOAD_PAGES_EXPERTS (10,000), LOAD_PAGES_REQUESTS (1,000), LOAD_PAGES_INVITED (requests given invitations, 40),
// LOAD_PAGES_SAMPLES (timed requests per page, 400), LOAD_PAGES_CONNECTIONS (8), LOAD_PAGES_SERIAL_SAMPLES (timed
// requests per page one at a time before that, 100: a request's own time, without queueing behind the others).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Types } from 'mongoose';
import { hashKey } from '../src/api-keys/api-key.service';
import { apiKeyRepository } from '../src/api-keys/api-key.repository';
import { loadConfig } from '../src/config';
import type { ActionPurpose, PartyRole } from '../src/domain/action-links';
import type { Stage } from '../src/domain/stages';
import { expertRepository } from '../src/experts/expert.repository';
import { expertInputSchema } from '../src/experts/expert.schemas';
import { deleteRedisKeys } from '../src/infra/redis';
import { createLinkIssuer } from '../src/links/action-tokens';
import { createLogger } from '../src/logger';
import { createRequestStore } from '../src/requests/request.repository';
import { requestInputSchema } from '../src/requests/request.schemas';
import { startRuntime } from '../src/runtime';
import { between, roundTrips } from './load-metrics';
import { startChild, startSmtpSinkProcess, stopChildren, waitFor } from './load-processes';
import { drained } from './load-scenarios';
import { inParallel, percentile, progressBar, runParallel } from './progress';
import { syntheticData } from './synthetic-data';

const EXPERTS = Number(process.env.LOAD_PAGES_EXPERTS ?? 10_000);
const REQUESTS = Number(process.env.LOAD_PAGES_REQUESTS ?? 1_000);
const INVITED = Math.min(REQUESTS, Number(process.env.LOAD_PAGES_INVITED ?? 40));
const SAMPLES = Number(process.env.LOAD_PAGES_SAMPLES ?? 400);
const CONNECTIONS = Number(process.env.LOAD_PAGES_CONNECTIONS ?? 8);
const SERIAL_SAMPLES = Number(process.env.LOAD_PAGES_SERIAL_SAMPLES ?? 100);
/** The issue's bound on each page's p95 server time. */
const TARGET_MS = 50;
const LANGUAGES = ['en', 'pl', 'de', 'lt', 'sv'] as const;
/** Stages of the requests not given invitations: ones the background jobs leave alone, so they do not compete with the timing. */
const RESTING_STAGES: readonly Stage[] = ['closed', 'cancelled', 'unmatched'];
const LINK_LIFETIME_MS = 24 * 60 * 60 * 1000;

const began = performance.now();
const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(0);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'consult-load-pages-'));
const queuePrefix = `load-pages-${process.pid}`;
const adminKey = `load-pages-admin-${randomBytes(16).toString('hex')}`;
const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });

interface Page {
  name: string;
  /** The route template the service labels its metrics with. */
  route: string;
  /** The n-th timed request's path and extra headers. */
  request: (index: number) => { path: string; headers?: Record<string, string> };
}

interface Timing {
  ttfbMs: number;
  status: number;
}

/** One GET on the keep-alive agent: milliseconds from sending until the answer's head arrived (the body is then read and dropped). */
function timedGet(base: URL, pathname: string, headers: Record<string, string>): Promise<Timing> {
  return new Promise((resolve, reject) => {
    const sent = performance.now();
    const request = http.get({ host: base.hostname, port: base.port, path: pathname, headers, agent }, (response) => {
      const ttfbMs = performance.now() - sent;
      response.on('end', () => resolve({ ttfbMs, status: response.statusCode ?? 0 }));
      response.on('error', reject);
      response.resume();
    });
    request.on('error', reject);
  });
}

/** The service's request-duration histogram per route for GETs: cumulative counts by upper bound (seconds, Infinity last). */
type Histograms = Map<string, Map<number, number>>;

async function histograms(base: string): Promise<Histograms> {
  const text = await (await fetch(`${base}/metrics`, { headers: { Authorization: `Bearer ${adminKey}` } })).text();
  const byRoute: Histograms = new Map();
  for (const [, labels, value] of text.matchAll(/^http_request_duration_seconds_bucket\{([^}]*)\} (\S+)$/gm)) {
    if (!/method="GET"/.test(labels!)) continue;
    const route = /route="([^"]*)"/.exec(labels!)?.[1] ?? '';
    const le = /le="([^"]*)"/.exec(labels!)?.[1] ?? '+Inf';
    const buckets = byRoute.get(route) ?? new Map<number, number>();
    const bound = le === '+Inf' ? Infinity : Number(le);
    // Statuses are summed: a page answers 200 or, for a refused link, a page of its own.
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(value));
    byRoute.set(route, buckets);
  }
  return byRoute;
}

/**
 * Percentiles (ms) of what the route's histogram gained between two readings, interpolated linearly inside a bucket
 * (Prometheus' histogram_quantile); Infinity when the rank falls in the last, unbounded bucket. `withinTarget`: the
 * share of requests the service answered within TARGET_MS (exact, 0.05 being one of the buckets).
 */
function fromHistogram(before: Histograms, after: Histograms, route: string) {
  const gained = [...(after.get(route) ?? new Map<number, number>())].map(([bound, count]) => [bound, count - (before.get(route)?.get(bound) ?? 0)] as const).sort((a, b) => a[0] - b[0]);
  const total = gained.at(-1)?.[1] ?? 0;
  const quantile = (q: number) => {
    const rank = q * total;
    let lower = 0;
    let below = 0;
    for (const [bound, count] of gained) {
      if (count >= rank) return bound === Infinity ? Infinity : (lower + ((bound - lower) * (rank - below)) / Math.max(1, count - below)) * 1000;
      lower = bound;
      below = count;
    }
    return Infinity;
  };
  const withinTarget = (gained.find(([bound]) => bound === TARGET_MS / 1000)?.[1] ?? 0) / Math.max(1, total);
  return { count: total, p50: quantile(0.5), p95: quantile(0.95), p99: quantile(0.99), withinTarget };
}

/** Fills the database the runtime connected to: experts, one partner and its requests (each with a contact and a status-page link). */
async function fill(base: string) {
  const data = syntheticData(20261130);
  const run = Date.now().toString(36);
  const partnerId = new Types.ObjectId().toHexString();
  const partnerKey = `ck_${partnerId}_${randomBytes(32).toString('base64url')}`;
  await apiKeyRepository.insert({ hash: hashKey(partnerKey), id: partnerId, role: 'partner', label: 'load pages', ownerId: partnerId, createdAt: new Date() });

  const expertIds: string[] = [];
  await inParallel('experts (repository)', EXPERTS, 16, async (index) => {
    expertIds.push((await expertRepository.insert(partnerId, expertInputSchema.parse(data.expert(index, run)))).id);
  });
  // The service, not yet started, builds its indexes from the database; nothing here needs telling.
  const store = createRequestStore(async () => undefined);
  const requestIds: string[] = new Array<string>(REQUESTS);
  await inParallel('requests (repository)', REQUESTS, 16, async (index) => {
    const input = requestInputSchema.parse(data.request(index));
    const contact = { name: `Contact ${index}`, email: `contact.${run}.${index}@example.org`, language: LANGUAGES[index % LANGUAGES.length]! };
    const stage = index < INVITED ? 'matched' : RESTING_STAGES[index % RESTING_STAGES.length]!;
    requestIds[index] = (await store.insert(partnerId, { ...input, contact }, { stage, at: new Date(), actor: { role: 'system' } })).id;
  });
  // The links the request-received mail carries: one status page per request.
  const statusPaths = await issuePaths(base, requestIds.map((id) => ({ purpose: 'view_request', subjectId: id, partyRole: 'contact', partyId: id })));
  return { partnerId, partnerKey, statusPaths, invitedRequestIds: requestIds.slice(0, INVITED) };
}

/** Stores links as the mails do (only the tokens' hashes) and returns their paths (`/a/…`, `/r/…`), in order. */
async function issuePaths(base: string, links: Array<{ purpose: ActionPurpose; subjectId: string; partyRole: PartyRole; partyId: string }>): Promise<string[]> {
  const issue = createLinkIssuer(base);
  const paths: string[] = [];
  const expiresAt = new Date(Date.now() + LINK_LIFETIME_MS);
  for (let start = 0; start < links.length; start += 200) {
    const { urls } = await issue(links.slice(start, start + 200).map((link) => ({ ...link, expiresAt })));
    paths.push(...urls.map((url) => new URL(url).pathname));
  }
  return paths;
}

/** JSON API call to the service; throws on a non-2xx answer. */
async function api(base: string, method: string, url: string, key: string, body?: unknown): Promise<any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${base}${url}`, { method, headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url} → ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

type PageResult = Awaited<ReturnType<typeof measurePage>>;

/** Times `page`, `samples` GETs at `connections` (the first few untimed, for template compilation and caches). */
async function measurePage(base: string, page: Page, samples: number, connections: number) {
  const url = new URL(base);
  const send = async (index: number) => {
    const { path: pathname, headers } = page.request(index);
    return timedGet(url, pathname, { 'Accept-Language': LANGUAGES[index % LANGUAGES.length]!, ...headers });
  };
  for (let index = 0; index < 10; index += 1) await send(index);
  const [before, tripsBefore] = [await histograms(base), await roundTrips(base, adminKey)];
  const ttfb: number[] = [];
  const statuses: Record<string, number> = {};
  const bar = progressBar(`${page.name}, ${connections} at a time`, samples);
  await runParallel(samples, connections, async (index) => {
    const { ttfbMs, status } = await send(index);
    ttfb.push(ttfbMs);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }, (done) => bar.update(done));
  bar.stop();
  const server = fromHistogram(before, await histograms(base), page.route);
  const trips = between(tripsBefore, await roundTrips(base, adminKey), (key) => key === `http GET ${page.route}`);
  return { page: page.name, route: page.route, connections, statuses, roundTrips: trips.sum / Math.max(1, trips.count), client: { p50: percentile(ttfb, 50), p95: percentile(ttfb, 95), p99: percentile(ttfb, 99) }, server };
}

async function main(): Promise<void> {
  const config = loadConfig({ ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir, LOG_LEVEL: 'warn', QUEUE_PREFIX: queuePrefix });
  const runtime = await startRuntime(config, createLogger('warn'));
  try {
    const filling = performance.now();
    // The links are minted before the service's port is known; only their paths are used.
    const { partnerId, partnerKey, statusPaths, invitedRequestIds } = await fill('http://localhost');
    const fillSeconds = seconds(filling);

    const smtp = await startSmtpSinkProcess();
    const starting = performance.now();
    // tsx rather than a compiled dist/: the same JavaScript once loaded, without minutes of compiling first.
    const port = await startChild('node', ['--import', 'tsx', 'src/main.ts'], {
      DATA_DIR: dataDir, ADMIN_API_KEY: adminKey, LOG_LEVEL: 'warn', NODE_ENV: 'production', SMTP_URL: smtp.url, QUEUE_PREFIX: queuePrefix,
      RATE_LIMIT_PER_MINUTE: '100000000', MAX_OPEN_REQUESTS_PER_PARTNER: '100000000',
    });
    const base = `http://127.0.0.1:${port}`;
    // The service's own origin as it names it (PUBLIC_BASE_URL's default): the button forms must come from it.
    const origin = `http://localhost:${port}`;
    await waitFor(`${base}/readyz`);
    const startSeconds = seconds(starting);

    // Real invitations, through the API as a partner inviting the next best expert (twice per request where one is left).
    await inParallel('invitations (API)', INVITED * 2, 4, async (index) => {
      const answer = await fetch(`${base}/v1/requests/${invitedRequestIds[index % INVITED]}/invitations`, { method: 'POST', headers: { Authorization: `Bearer ${partnerKey}`, 'Content-Type': 'application/json' }, body: '{}' });
      await answer.arrayBuffer();
      if (answer.status !== 201 && answer.status !== 409 && answer.status !== 422) throw new Error(`POST /v1/requests/{id}/invitations → ${answer.status}`);
    });
    const pending: Array<{ id: string; expertId: string }> = [];
    for (let cursor: string | null | undefined; ; ) {
      const page = await api(base, 'GET', `/v1/invitations?status=pending&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, adminKey);
      pending.push(...(page.items as Array<{ id: string; expertId: string }>));
      cursor = page.nextCursor as string | null;
      if (!cursor) break;
    }
    if (pending.length === 0) throw new Error('no invitation was made; nothing for /experts/home or /a/{token} to show');
    const invitedExperts = [...new Set(pending.map((invitation) => invitation.expertId))];
    const acceptPaths = await issuePaths(origin, pending.map((invitation) => ({ purpose: 'accept_invitation', subjectId: invitation.id, partyRole: 'expert', partyId: invitation.expertId })));

    // Sign in as each invited expert (up to 16) the way the mailed link does: POST /a/{token}, keep the session cookie.
    const signedIn = invitedExperts.slice(0, 16);
    const signInPaths = await issuePaths(origin, signedIn.map((id) => ({ purpose: 'sign_in', subjectId: id, partyRole: 'expert', partyId: id })));
    const cookies: string[] = [];
    for (const signInPath of signInPaths) {
      const answer = await fetch(`${base}${signInPath}`, { method: 'POST', redirect: 'manual', headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' }, body: '' });
      await answer.arrayBuffer();
      const cookie = answer.headers.getSetCookie().map((line) => line.split(';')[0]).join('; ');
      if (answer.status !== 303 || !cookie) throw new Error(`signing in → ${answer.status}`);
      cookies.push(cookie);
    }
    await api(base, 'PUT', `/v1/partners/${partnerId}/embed`, partnerKey, { origins: ['https://partner.example.org'] });
    await drained(base, adminKey, 'before timing');

    const pages: Page[] = [
      { name: 'GET /', route: '/', request: () => ({ path: '/' }) },
      { name: 'GET /request', route: '/request', request: () => ({ path: '/request' }) },
      { name: 'GET /embed/request?partner=', route: '/embed/request', request: () => ({ path: `/embed/request?partner=${partnerId}` }) },
      { name: 'GET /r/{token} (status page)', route: '/r/:token', request: (index) => ({ path: statusPaths[index % statusPaths.length]! }) },
      { name: 'GET /a/{token} (accept invitation)', route: '/a/:token', request: (index) => ({ path: acceptPaths[index % acceptPaths.length]! }) },
      { name: 'GET /experts/login', route: '/experts/login', request: () => ({ path: '/experts/login' }) },
      { name: 'GET /experts/home (signed in)', route: '/experts/home', request: (index) => ({ path: '/experts/home', headers: { Cookie: cookies[index % cookies.length]! } }) },
    ];
    const results: PageResult[] = [];
    for (const page of pages) {
      if (SERIAL_SAMPLES > 0) results.push(await measurePage(base, page, SERIAL_SAMPLES, 1));
      results.push(await measurePage(base, page, SAMPLES, CONNECTIONS));
    }

    const load = os.loadavg().map((value) => value.toFixed(2)).join(' / ');
    console.log(`\nPage latency on embedded FerretDB (${process.env.FERRETDB_POSTGRESQL_URL ? 'PostgreSQL' : 'SQLite'}): ${EXPERTS} experts, ${REQUESTS} requests (${INVITED} invited: ${pending.length} pending invitations to ${invitedExperts.length} experts, ${signedIn.length} signed in), ${SERIAL_SAMPLES} GETs per page one at a time, then ${SAMPLES} at ${CONNECTIONS} connections`);
    console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}; load average now ${load}; whole run ${seconds(began)} s (filling ${fillSeconds} s, service start ${startSeconds} s)`);
    console.log('client: time to first byte on loopback; service: its http_request_duration_seconds for the route (bucket-interpolated)\n');
    const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(1) : '>2500');
    console.log('page'.padEnd(36) + 'conn'.padStart(5) + 'client p50'.padStart(11) + 'p95'.padStart(8) + 'p99'.padStart(8) + '  service p50'.padStart(13) + 'p95'.padStart(8) + 'p99'.padStart(8) + `≤${TARGET_MS} ms`.padStart(9) + 'db trips'.padStart(10) + '  statuses');
    for (const { page, connections, client, server, statuses, roundTrips: trips } of results) {
      console.log(page.padEnd(36) + String(connections).padStart(5) + ms(client.p50).padStart(11) + ms(client.p95).padStart(8) + ms(client.p99).padStart(8) + ms(server.p50).padStart(13) + ms(server.p95).padStart(8) + ms(server.p99).padStart(8) + `${(server.withinTarget * 100).toFixed(1)} %`.padStart(9) + trips.toFixed(1).padStart(10) + `  ${Object.entries(statuses).map(([status, count]) => `${count}×${status}`).join(' ')}`);
    }
    const over = (p95: (result: PageResult) => number) => {
      const missed = results.filter((result) => p95(result) >= TARGET_MS).map((result) => `${result.page} (${result.connections} at a time)`);
      return missed.length === 0 ? 'none' : missed.join(', ');
    };
    console.log(`\npages at or over ${TARGET_MS} ms at p95: by time to first byte: ${over((result) => result.client.p95)}; by the service's histogram: ${over((result) => result.server.p95)}`);
    console.log(JSON.stringify({ experts: EXPERTS, requests: REQUESTS, invitations: pending.length, samples: SAMPLES, connections: CONNECTIONS, serialSamples: SERIAL_SAMPLES, cpus: os.cpus().length, loadAverage: os.loadavg(), wholeRunSeconds: Number(seconds(began)), pages: results }));

  } finally {
    await stopChildren();
    await runtime.stop();
  }
}

async function cleanUp(): Promise<void> {
  agent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
  await deleteRedisKeys(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', `${queuePrefix}:*`).catch(() => undefined);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stopChildren().then(cleanUp).finally(() => process.exit(1)));

main()
  .catch((error: unknown) => {
    console.error(`page latency run failed after ${seconds(began)} s: ${error instanceof Error ? error.stack : String(error)}`);
    process.exitCode = 1;
  })
  .finally(cleanUp);
