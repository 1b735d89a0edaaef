import type { Request, RequestHandler } from 'express';
import { AppError } from '../errors';
import { echoed } from './redact';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Sec-Fetch-Site values a browser sends for a request another site started (Fetch Metadata, W3C). */
const FOREIGN_FETCH_SITES = new Set(['cross-site', 'same-site']);

/** This service's own origin as the request reached it: scheme and host, from X-Forwarded-* only under TRUST_PROXY. */
function ownOrigin(req: Request): string | undefined {
  try {
    return new URL(`${req.protocol}://${req.host}`).origin;
  } catch {
    return undefined;
  }
}

function foreignOrigin(origin: string, own: ReadonlyArray<string | undefined>): boolean {
  try {
    return !own.includes(new URL(origin).origin);
  } catch {
    return true; // `null` (sandboxed pages, some redirects) and anything unparseable
  }
}

/**
 * Refuses (403 problem+json) a state-changing request (any method but GET, HEAD, OPTIONS) that a browser made on
 * behalf of another page: its `Origin` names another origin than this service's (RFC 6454 §7), or its
 * `Sec-Fetch-Site` is `cross-site` or `same-site` (`Origin: null` passes only with `Sec-Fetch-Site: same-origin`). A
 * browser attaches remembered Basic credentials to such requests, so without this another site could drive an admin's
 * session (a CSRF). `same-site` is refused too: a sibling subdomain is another origin and may host content the
 * operator does not control. Requests with neither header (curl, scripts with a Bearer key) pass: they carry no
 * ambient credentials.
 */
export const sameOriginOnly: RequestHandler = sameOrigin();

/**
 * sameOriginOnly, also taking `also` (origins such as PUBLIC_BASE_URL's, where a proxy in front makes the public
 * origin differ from the one the request reached) as this service's own.
 */
export function sameOrigin(options: { also?: readonly string[] } = {}): RequestHandler {
  const also = (options.also ?? []).map((url) => new URL(url).origin);
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const fetchSite = req.get('Sec-Fetch-Site')?.toLowerCase();
    if (fetchSite && FOREIGN_FETCH_SITES.has(fetchSite)) {
      throw new AppError('forbidden', `Refused: a ${req.method} from another site (Sec-Fetch-Site: ${echoed(fetchSite, 20)}) may not change anything here`);
    }
    const origin = req.get('Origin');
    // A page served with `Referrer-Policy: no-referrer` (the link pages) posts its own forms with `Origin: null` (Fetch,
    // "serializing a request origin"); the browser's Sec-Fetch-Site then still tells that the post is same-origin.
    const ownNullOrigin = origin === 'null' && fetchSite === 'same-origin';
    if (origin !== undefined && !ownNullOrigin && foreignOrigin(origin, [ownOrigin(req), ...also])) {
      throw new AppError('forbidden', `Refused: a ${req.method} from another origin (${echoed(origin)}) may not change anything here`);
    }
    next();
  };
}
