import { trusted } from 'mongoose';
import { pauseBeforeRetry, updateAtRevision } from '../infra/claims';
import { isDuplicateKeyError } from '../infra/database';
import { MailModel, type MAIL_KINDS, type MAIL_STATUSES } from './mail-outbox.model';

export type MailStatus = (typeof MAIL_STATUSES)[number];
export type MailKind = (typeof MAIL_KINDS)[number];
export interface MailCalendar {
  method: 'REQUEST' | 'CANCEL';
  content: string;
}

export interface MailRecord {
  id: string;
  eventKey: string;
  kind: MailKind;
  recipient: string;
  /** Absent on a mail about the person alone (a sign-in link). */
  requestId?: string;
  /** Absent once erased, like subject, text and html. */
  to?: string;
  language: string;
  subject?: string;
  text?: string;
  html?: string;
  /** An iCalendar invite attached to the mail (a scheduling message, RFC 6047); absent once erased. */
  calendar?: MailCalendar;
  /** Extra header fields (name → value), such as List-Unsubscribe; absent once erased. */
  headers?: Record<string, string>;
  messageId: string;
  status: MailStatus;
  attemptCount: number;
  nextAttemptAt: Date | null;
  claimedAt?: Date;
  sentAt?: Date;
  lastError?: string;
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}

export type NewMailRecord = Omit<MailRecord, 'revision' | 'createdAt' | 'updatedAt' | 'sentAt' | 'lastError'>;
export type MailChange = Partial<Pick<MailRecord, 'status' | 'attemptCount' | 'nextAttemptAt' | 'claimedAt' | 'sentAt' | 'lastError'>>;

type Stored = Omit<MailRecord, 'id'> & { _id: string };

const toRecord = ({ _id, ...fields }: Stored): MailRecord => ({ id: _id, ...fields });

/** The fields that carry personal data or what was said to the person: erasure removes them all. */
const PERSONAL_FIELDS = ['to', 'subject', 'text', 'html', 'calendar', 'headers', 'lastError'] as const;

export const mailRepository = {
  /** The mail as stored by this call (revision 1), or undefined when one with the same `_id` already existed. */
  async insert(mail: NewMailRecord): Promise<MailRecord | undefined> {
    const { id, ...fields } = mail;
    try {
      return toRecord((await MailModel.create({ _id: id, ...fields, revision: 1 })).toObject<Stored>({ flattenMaps: true }));
    } catch (error) {
      if (isDuplicateKeyError(error)) return undefined;
      throw error;
    }
  },

  async findById(id: string): Promise<MailRecord | undefined> {
    const doc = await MailModel.findById(id).lean<Stored>();
    return doc ? toRecord(doc) : undefined;
  },

  /**
   * Applies `change` as the single writer of the mail's revision `read.revision` (src/infra/claims.ts), if `condition`
   * holds for the mail as read (still the stored one while the revision is); the mail as written, or undefined when
   * the condition fails or another writer came first.
   */
  async changeAt(read: MailRecord, condition: (current: MailRecord) => boolean, change: MailChange): Promise<MailRecord | undefined> {
    if (!condition(read)) return undefined;
    const doc = await updateAtRevision<Stored>(MailModel.collection, read.id, read.revision, { $set: change });
    return doc ? toRecord(doc) : undefined;
  },

  /** Pending mails whose next attempt is due by `now`, and mails claimed for sending before `staleBefore` (a process died mid-send). */
  async findDue(now: Date, staleBefore: Date): Promise<{ due: MailRecord[]; stale: MailRecord[] }> {
    const [due, stale] = await Promise.all([
      MailModel.find({ status: 'pending', nextAttemptAt: trusted({ $lte: now }) }).lean<Stored[]>(),
      MailModel.find({ status: 'sending', claimedAt: trusted({ $lt: staleBefore }) }).lean<Stored[]>(),
    ]);
    return { due: due.map(toRecord), stale: stale.map(toRecord) };
  },

  async listForRecipient(recipient: string): Promise<MailRecord[]> {
    const docs = await MailModel.find({ recipient }).sort({ createdAt: 1, _id: 1 }).lean<Stored[]>();
    return docs.map(toRecord);
  },

  /**
   * Empties every mail to `recipient` of its address and content and marks it `erased` (a pending one is then never
   * sent), each as the single writer of its revision. The ids of the mails erased.
   */
  async eraseRecipient(recipient: string): Promise<string[]> {
    const ids = (await MailModel.find({ recipient }, { _id: 1 }).lean<Array<{ _id: string }>>()).map((doc) => doc._id);
    for (const id of ids) {
      for (let attempt = 0; ; attempt += 1) {
        const current = await this.findById(id);
        if (!current || (current.status === 'erased' && PERSONAL_FIELDS.every((field) => current[field] === undefined))) break;
        const update = { $set: { status: 'erased', nextAttemptAt: null }, $unset: Object.fromEntries(PERSONAL_FIELDS.map((field) => [field, ''])) };
        if (await updateAtRevision<Stored>(MailModel.collection, id, current.revision, update)) break;
        if (attempt === 50) throw new Error(`could not erase mail ${id}`);
        await pauseBeforeRetry(attempt);
      }
    }
    return ids;
  },
};
