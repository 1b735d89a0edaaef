import type { LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { DestinationRefused, resolveDestination } from './destination-guard';

const USER_AGENT = 'creative-consult-match-webhooks/1';

export interface SendOutcome {
  statusCode?: number;
  durationMs: number;
  error?: string;
}

export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

/** Connects only to the addresses that were checked, so a DNS answer that changes in between cannot redirect the call. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
  const [first] = addresses;
  return (_hostname, options, callback) => {
    if (options.all) callback(null, addresses);
    else callback(null, first!.address, first!.family);
  };
}

/** One POST, no redirects followed (a 3xx is a failed attempt); resolves with the status once the body has been read. */
function post(url: URL, addresses: LookupAddress[], request: WebhookRequest): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const outgoing = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: pinnedLookup(addresses),
        signal: AbortSignal.timeout(request.timeoutMs),
        headers: { ...request.headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(request.body), 'user-agent': USER_AGENT },
      },
      (response) => {
        response.on('error', reject);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof DestinationRefused) return `not sent: the URL ${error.message}`;
  const { name, code, message } = error as { name?: string; code?: string; message?: string };
  if (name === 'AbortError' || name === 'TimeoutError') return `timed out after ${timeoutMs} ms`;
  return `request failed: ${code ?? message ?? String(error)}`;
}

/** Sends one attempt; never throws: a refused destination, a network error or a timeout come back as `error`. */
export async function sendWebhook(request: WebhookRequest): Promise<SendOutcome> {
  const started = performance.now();
  const durationMs = () => Math.round(performance.now() - started);
  try {
    const url = new URL(request.url);
    const statusCode = await post(url, await resolveDestination(url, request.allowPrivate), request);
    return { statusCode, durationMs: durationMs() };
  } catch (error) {
    return { durationMs: durationMs(), error: describeFailure(error, request.timeoutMs) };
  }
}
