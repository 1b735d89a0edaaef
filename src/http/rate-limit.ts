import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit } from 'express-rate-limit';
import { AppError } from '../errors';
import { sendProblem } from './problem';

const limited = (_req: Parameters<RequestHandler>[0], res: Parameters<RequestHandler>[1]) =>
  sendProblem(res, new AppError('rate_limited', 'Rate limit exceeded; retry after the time in the RateLimit header'));

/** Per API key, after authentication, with the IETF `RateLimit` headers. Memory store: limits are per instance. */
export function rateLimitPerKey(limitPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    keyGenerator: (req) => `key:${req.principal?.keyId ?? 'none'}`,
    handler: limited,
  });
}

/** Per client address, before authentication, so guessing keys is bounded too; generous enough for a partner's servers. */
export function rateLimitPerAddress(limitPerMinute: number): RequestHandler {
  return rateLimit({
    windowMs: 60_000,
    limit: limitPerMinute,
    standardHeaders: false,
    legacyHeaders: false,
    keyGenerator: (req) => `ip:${ipKeyGenerator(req.ip ?? 'unknown')}`,
    handler: limited,
  });
}
