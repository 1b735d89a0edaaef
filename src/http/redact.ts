import type { IncomingHttpHeaders } from 'node:http';

/** How many characters of a caller-supplied value a message or log line may repeat. */
export const ECHO_LIMIT = 64;

export const REDACTED = '[redacted]';

/**
 * A caller-supplied value made safe to repeat in a problem `detail` or a log line: at most `max` characters (UTF-16
 * code units, never splitting a surrogate pair), the rest replaced by `…`. A long value may be a credential pasted into
 * the wrong header (a key as `If-Match`), and echoing it would copy it into logs and caches.
 */
export function echoed(value: string, max: number = ECHO_LIMIT): string {
  if (value.length <= max) return value;
  const end = /[\uD800-\uDBFF]/.test(value[max - 1] ?? '') ? max - 1 : max;
  return `${value.slice(0, end)}…`;
}

/** Query names that carry credentials, compared case-insensitively without separators (`api_key`, `X-Amz-Signature`). */
const CREDENTIAL_NAME = /(?:key|token|secret|passw(?:or)?d|pwd|pass|sig|signature|auth|authorization|credentials?|session(?:id)?|jwt|bearer)$/;
/** Values that are this service's own secrets whatever the parameter is called: API keys and webhook signing secrets. */
const OWN_SECRET_VALUE = /^(?:ck|whsec)_/;

function decodeQueryPart(part: string): string {
  try {
    return decodeURIComponent(part.replaceAll('+', ' '));
  } catch {
    return part;
  }
}

export function isCredentialName(name: string): boolean {
  return CREDENTIAL_NAME.test(name.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/** The decoded values of credential-like query parameters of `url` (a path with an optional query string). */
function credentialValues(url: string): string[] {
  const query = url.split('?').slice(1).join('?');
  if (!query) return [];
  return query.split('&').flatMap((pair) => {
    const [name = '', ...rest] = pair.split('=');
    const value = decodeQueryPart(rest.join('='));
    return value && (isCredentialName(decodeQueryPart(name)) || OWN_SECRET_VALUE.test(value)) ? [value, rest.join('=')] : [];
  });
}

/**
 * An action link's path (`/a/<token>`) or a status page's (`/r/<token>`, `/r/<token>/pick`…), matched
 * case-insensitively as express routes it: everything after `/a/` or `/r/` is the capability itself (issue 10 item 4),
 * so it is redacted whole.
 */
const ACTION_LINK_PATH = /^\/([ar])\/([^?]*)/i;

/** The path segments after `/a/` or `/r/` in `url`, which are secrets wherever they are echoed. */
const actionLinkSecrets = (url: string): string[] => (ACTION_LINK_PATH.exec(url)?.[2] ?? '').split('/').filter((segment) => segment.length >= 6);

/**
 * `url` (path and query as the request line had it) with an action link's token and the value of every
 * credential-like query parameter replaced by `[redacted]`, for logs and problem `instance`s: a key sent as
 * `?api_key=…` or a link opened from a mail must not be written down in clear.
 */
export function redactUrl(original: string): string {
  const url = original.replace(ACTION_LINK_PATH, (_whole, prefix: string, secret: string) => `/${prefix}/${secret ? REDACTED : ''}`);
  const at = url.indexOf('?');
  if (at < 0) return url;
  const pairs = url.slice(at + 1).split('&').map((pair) => {
    const equals = pair.indexOf('=');
    if (equals < 0) return pair;
    const name = pair.slice(0, equals);
    const value = decodeQueryPart(pair.slice(equals + 1));
    return value && (isCredentialName(decodeQueryPart(name)) || OWN_SECRET_VALUE.test(value)) ? `${name}=${REDACTED}` : pair;
  });
  return `${url.slice(0, at)}?${pairs.join('&')}`;
}

/** Request headers whose values the service may echo in a message (preconditions), so a long one is cut short. */
const ECHOABLE_HEADERS = ['if-match', 'if-none-match'] as const;

/**
 * `text` (a problem detail or log message) with every echo of the request's credential-like query values and action
 * link token redacted and every long conditional header value (`If-Match`, `If-None-Match`) shortened by `echoed`: a
 * safety net under messages written anywhere in the service.
 */
export function scrubEchoes(text: string, req: { headers: IncomingHttpHeaders; originalUrl?: string; url?: string }): string {
  let scrubbed = text;
  const url = req.originalUrl ?? req.url ?? '';
  // Very short values are left: replacing them would garble the text, and they hide little.
  for (const value of [...credentialValues(url), ...actionLinkSecrets(url)]) if (value.length >= 6) scrubbed = scrubbed.replaceAll(value, REDACTED);
  for (const name of ECHOABLE_HEADERS) {
    const value = req.headers[name];
    if (typeof value === 'string' && value.length > ECHO_LIMIT) scrubbed = scrubbed.replaceAll(value, echoed(value));
  }
  return scrubbed;
}
