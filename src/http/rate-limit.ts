import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../errors';
import { sendProblem } from './problem';

/**
 * A fixed one-minute window in memory (limits are per instance). Every response carries the IETF draft-7 fields
 * (draft-ietf-httpapi-ratelimit-headers-07): `RateLimit: limit=…, remaining=…, reset=<seconds>` and
 * `RateLimit-Policy: <limit>;w=60`; a refusal is a 429 problem with `Retry-After` in seconds (RFC 9110 §10.2.3).
 * When both limiters pass, the later one's (the per-key) fields are the ones sent. `refuse` answers a refusal
 * another way (a page in the visitor's language, with status 429); the headers are set before it runs.
 */
function limiter(limitPerMinute: number, keyOf: (req: Request) => string, refuse?: RequestHandler): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: keyOf,
    handler: refuse ?? ((_req, res) => sendProblem(res, new AppError('rate_limited', 'Rate limit exceeded; retry after the number of seconds in Retry-After', {}, { key: 'problem.detail.rateLimited' }))),
  });
}

/** Per API key, after authentication. */
export function rateLimitPerKey(limitPerMinute: number): RequestHandler {
  return limiter(limitPerMinute, (req) => `key:${req.principal?.keyId ?? 'none'}`);
}

/**
 * Per client address (`req.ip`, from X-Forwarded-For only under TRUST_PROXY; IPv6 by /56), before authentication
 * and before any body is read, so guessing keys and sending bodies are bounded too; generous enough for a partner's
 * servers.
 */
export function rateLimitPerAddress(limitPerMinute: number, refuse?: RequestHandler): RequestHandler {
  return limiter(limitPerMinute, (req) => `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`, refuse);
}
