import type { Request, Response } from 'express';
import { principalOf } from '../http/principal';
import { runIdempotent, type StoredResponse } from './idempotency.service';

export type IdempotencyRunner = (req: Request, res: Response, input: unknown, execute: () => Promise<StoredResponse>) => Promise<void>;

/**
 * Runs a create under the caller's `Idempotency-Key` (if any) and writes the first or replayed response. `input` is
 * the validated body, so a retry that differs only in what validation canonicalises (Unicode form, surrounding
 * spaces, defaults) is the same request.
 */
export const idempotent: IdempotencyRunner = async (req, res, input, execute) => {
  const result = await runIdempotent(
    { scope: principalOf(req).ownerId, operation: `${req.method} ${req.baseUrl}${req.route?.path ?? req.path}`, key: req.get('Idempotency-Key'), body: input },
    execute,
  );
  if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
  res.set(result.headers).status(result.status).json(result.body);
};
