import type { Request } from 'express';
import { AppError } from '../errors';
import { pauseBeforeRetry } from '../infra/claims';
import { etagOf } from './etag';

/** An `If-Match` field value: `*`, or a list of entity-tags (RFC 9110 §8.8.3, §13.1.1). */
export type IfMatch = { any: true } | { any: false; tags: Array<{ weak: boolean; tag: string }> };

// entity-tag = [ W/ ] DQUOTE *etagc DQUOTE, etagc = %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3).
const ENTITY_TAG = /^(W\/)?("[\x21\x23-\x7E\x80-\xFF]*")$/;

const malformed = (): AppError =>
  new AppError('validation_failed', 'If-Match must be * or a comma-separated list of entity-tags such as "r3"', {
    errors: [{ path: 'If-Match', message: 'is not * or a list of entity-tags' }],
  });

/**
 * Parses `If-Match` (repeated fields arrive joined by commas). Empty list elements are skipped, as RFC 9110 §5.6.1
 * asks of a recipient. Undefined when the field is absent; a 400 problem naming `If-Match` when it is malformed.
 */
export function parseIfMatch(value: string | undefined): IfMatch | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '*') return { any: true };
  const tags: Array<{ weak: boolean; tag: string }> = [];
  for (const element of trimmed.split(',')) {
    const item = element.trim();
    if (item === '') continue;
    const match = ENTITY_TAG.exec(item);
    if (!match?.[2]) throw malformed();
    tags.push({ weak: match[1] !== undefined, tag: match[2] });
  }
  if (tags.length === 0) throw malformed();
  return { any: false, tags };
}

/**
 * Whether `If-Match` holds for a resource at `revision` (RFC 9110 §13.1.1): `*` matches any current representation;
 * otherwise one listed entity-tag must equal the current ETag by the strong comparison (§8.8.3.2), so a weak tag
 * never matches.
 */
export function ifMatchHolds(condition: IfMatch, revision: number): boolean {
  if (condition.any) return true;
  const current = etagOf(revision);
  return condition.tags.some(({ weak, tag }) => !weak && tag === current);
}

/**
 * The precondition of a write, evaluated by the service after it has loaded the resource and decided the caller
 * may change it (RFC 9110 §13.2.1: a precondition is ignored when the answer without it would not be 2xx or 412,
 * so a stranger gets 404 or 403, never 412). Throws 428 when `If-Match` is absent (RFC 6585 §3: this API requires
 * it for updates) and 412 when it does not hold at `revision`.
 */
export type Precondition = (revision: number) => void;

/** The precondition of the request's `If-Match`; even a malformed field (400) is judged only when the service asks. */
export function ifMatchPrecondition(req: Request): Precondition {
  const field = req.get('If-Match');
  return (revision) => {
    const condition = parseIfMatch(field);
    if (!condition) throw new AppError('precondition_required', 'Send If-Match with the ETag you read', {}, { key: 'problem.detail.ifMatchRequired' });
    if (!ifMatchHolds(condition, revision)) {
      throw new AppError('precondition_failed', `The resource is now at ${etagOf(revision)}; fetch it again and send its ETag`, { currentEtag: etagOf(revision) }, { key: 'problem.detail.changed', values: { etag: etagOf(revision) } });
    }
  };
}

/**
 * A conditional update: `load` reads the resource and refuses what the caller may not do (404, 403, 409), then the
 * precondition is judged at the revision read, then `write` applies the change at that revision ('stale' when another
 * writer landed first). After a lost race it reads again and judges again, so `If-Match: *` or a list naming the
 * newer tag still succeeds while a single older tag gets 412.
 */
export async function updateConditionally<Current extends { revision: number }, Updated>(
  load: () => Promise<Current>,
  precondition: Precondition,
  write: (current: Current) => Promise<Updated | 'stale'>,
): Promise<Updated> {
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const current = await load();
    precondition(current.revision);
    const outcome = await write(current);
    if (outcome !== 'stale') return outcome;
    await pauseBeforeRetry(attempt);
  }
  throw new AppError('precondition_failed', 'The resource kept changing while this update was tried; fetch it again', {}, { key: 'problem.detail.keptChanging' });
}
