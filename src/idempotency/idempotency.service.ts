import { createHash } from 'node:crypto';
import { trusted } from 'mongoose';
import { AppError } from '../errors';
import { IdempotencyRecordModel } from './idempotency.model';
import { isDuplicateKeyError } from '../infra/database';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const WAIT_FOR_FIRST_MS = 3000;
const POLL_MS = 50;

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface RecordDocument {
  _id: string;
  fingerprint: string;
  state: 'in_progress' | 'completed';
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  expiresAt: Date;
}

/** Canonical JSON (sorted keys), so the same body in another key order is the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonical(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export interface IdempotentCall {
  /** Who is calling: keys are scoped to the caller. */
  scope: string;
  /** The operation, e.g. "POST /v1/requests". */
  operation: string;
  key: string | undefined;
  body: unknown;
}

/**
 * Runs `execute` at most once per (caller, operation, key), the way Stripe does: a retry with the same body gets the
 * first response again; another body gets 422; a retry while the first is still running waits for it, briefly.
 * Only successful responses are kept: after a failure the key can be used again.
 */
export async function runIdempotent(call: IdempotentCall, execute: () => Promise<StoredResponse>, now = () => new Date()): Promise<StoredResponse & { replayed: boolean }> {
  if (call.key === undefined) return { ...(await execute()), replayed: false };
  if (!/^[\x21-\x7e]{1,255}$/.test(call.key)) {
    throw new AppError('validation_failed', 'Invalid Idempotency-Key', { errors: [{ path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters' }] });
  }
  const id = sha256(`${call.scope}\n${call.operation}\n${call.key}`);
  const fingerprint = sha256(canonical(call.body));

  const claimed = await claim(id, fingerprint, now());
  if (!claimed) return { ...(await waitForFirst(id, fingerprint, now)), replayed: true };

  let response: StoredResponse;
  try {
    response = await execute();
  } catch (error) {
    await IdempotencyRecordModel.deleteOne({ _id: id });
    throw error;
  }
  if (response.status >= 200 && response.status < 300) {
    const resourceId = (response.body as { id?: unknown } | undefined)?.id;
    await IdempotencyRecordModel.updateOne(
      { _id: id },
      { $set: { state: 'completed', status: response.status, body: response.body, headers: response.headers, ...(typeof resourceId === 'string' ? { resourceId } : {}) } },
    );
  } else {
    await IdempotencyRecordModel.deleteOne({ _id: id });
  }
  return { ...response, replayed: false };
}

/** Inserts the in-progress record; false when another call holds the key. An expired record is taken over. */
async function claim(id: string, fingerprint: string, at: Date): Promise<boolean> {
  const record = { _id: id, fingerprint, state: 'in_progress' as const, createdAt: at, expiresAt: new Date(at.getTime() + IDEMPOTENCY_TTL_MS) };
  try {
    await IdempotencyRecordModel.create(record);
    return true;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const takenOver = await IdempotencyRecordModel.findOneAndReplace({ _id: id, expiresAt: trusted({ $lte: at }) }, record).lean();
  return takenOver !== null;
}

async function waitForFirst(id: string, fingerprint: string, now: () => Date): Promise<StoredResponse> {
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const record = await IdempotencyRecordModel.findById(id).lean<RecordDocument>();
    if (record && record.fingerprint !== fingerprint) {
      throw new AppError('unprocessable', 'This Idempotency-Key was already used with a different body');
    }
    if (record?.state === 'completed' && record.status !== undefined) {
      return { status: record.status, body: record.body, headers: record.headers ?? {} };
    }
    if (!record || record.expiresAt <= now()) {
      throw new AppError('conflict', 'The first request with this Idempotency-Key failed or expired; retry');
    }
    if (Date.now() > deadline) throw new AppError('conflict', 'A request with this Idempotency-Key is still in progress; retry later');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Erasure: stored responses may hold personal data of the object they created. */
export async function forgetIdempotentResponsesFor(resourceId: string): Promise<void> {
  await IdempotencyRecordModel.deleteMany({ resourceId });
}

/** Housekeeping: drops records older than the 24 h window. */
export async function purgeExpiredIdempotencyRecords(now = new Date()): Promise<number> {
  const result = await IdempotencyRecordModel.deleteMany({ expiresAt: trusted({ $lte: now }) });
  return result.deletedCount;
}
