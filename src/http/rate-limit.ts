import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../errors';
import { sendProblem } from './problem';

/** Per API key (per address for unauthenticated calls), with the IETF `RateLimit` headers. Memory store: limits are per instance. */
export function rateLimitPerKey(limitPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => (req.principal ? `key:${req.principal.keyId}` : `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`),
    handler: (_req, res) => sendProblem(res, new AppError('rate_limited', 'Rate limit exceeded; retry after the time in the RateLimit header')),
  });
}
