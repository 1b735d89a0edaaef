import { createHash, randomBytes } from 'node:crypto';
import { trusted } from 'mongoose';
import { SessionModel } from './session.model';

/** How long a session lasts after signing in (absolute, not sliding): a working day. */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

export interface ExpertSession {
  /** The SHA-256 of the raw session id, hex. */
  id: string;
  expertId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

interface Stored {
  _id: string;
  expertId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

const hashSessionId = (raw: string): string => createHash('sha256').update(raw, 'utf8').digest('hex');
const toSession = ({ _id, ...fields }: Stored): ExpertSession => ({ id: _id, ...fields });
/** A raw session id: 32 random bytes, base64url (43 characters). */
const SESSION_ID_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Server-side sessions of experts signed in through a sign-in link (issue 11 item 7): the cookie carries a random id,
 * the database its hash, the expert and the CSRF token. Signing out deletes the record, erasure every record of the
 * expert, so a copied cookie stops working at once.
 */
export const expertSessions = {
  /** Starts a session for `expertId`; the raw id goes into the cookie and nowhere else. */
  async start(expertId: string, csrfToken: string, now = new Date()): Promise<{ raw: string; session: ExpertSession }> {
    const raw = randomBytes(32).toString('base64url');
    const stored: Stored = { _id: hashSessionId(raw), expertId, csrfToken, createdAt: now, expiresAt: new Date(now.getTime() + SESSION_TTL_MS) };
    await SessionModel.create(stored);
    return { raw, session: toSession(stored) };
  },

  /** The live session of a raw id from a cookie; undefined for an unknown, malformed, ended or expired one. */
  async find(raw: string, now = new Date()): Promise<ExpertSession | undefined> {
    if (!SESSION_ID_SHAPE.test(raw)) return undefined;
    const doc = await SessionModel.findById(hashSessionId(raw)).lean<Stored>();
    return doc && doc.expiresAt.getTime() > now.getTime() ? toSession(doc) : undefined;
  },

  async end(session: Pick<ExpertSession, 'id'>): Promise<void> {
    await SessionModel.deleteOne({ _id: session.id });
  },

  /** Erasure and sign-out everywhere: every session of the expert. The number ended. */
  async endAllOf(expertId: string): Promise<number> {
    return (await SessionModel.deleteMany({ expertId })).deletedCount;
  },

  /** Housekeeping: sessions past their expiry (a lookup refuses them already). */
  async purgeExpiredBefore(cutoff: Date): Promise<number> {
    return (await SessionModel.deleteMany({ expiresAt: trusted({ $lt: cutoff }) })).deletedCount;
  },
};
