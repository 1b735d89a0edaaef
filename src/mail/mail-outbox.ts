import { createHash } from 'node:crypto';
import type { Logger } from '../logger';
import { mailRepository, type MailCalendar, type MailKind, type MailRecord } from './mail-outbox.repository';
import { MailSendError, type MailTransport, type OutgoingMail } from './mail-transport';

export type EnqueueMail = (mailId: string, attempt: number, delayMs: number) => Promise<void>;
export type MailOutbox = ReturnType<typeof createMailOutbox>;

/** A mail to record: rendered already, for one recipient (a party, `expert:<id>` or `contact:<requestId>`) of one event. */
export interface MailToRecord {
  eventKey: string;
  recipient: string;
  kind: MailKind;
  requestId?: string;
  to: string;
  language: string;
  subject: string;
  text: string;
  html: string;
  calendar?: MailCalendar;
  /** Extra header fields, such as List-Unsubscribe (RFC 2369) on reminders. */
  headers?: Record<string, string>;
}

export interface MailOutboxSettings {
  from: string;
  retryBaseMs: number;
  maxAttempts: number;
}

/** The same (event, recipient) always gives the same id: recording twice stores once. */
export const mailIdFor = (eventKey: string, recipient: string): string =>
  `mail_${createHash('sha256').update(`${eventKey}\n${recipient}`).digest('hex').slice(0, 32)}`;

/** After attempt n fails, attempt n + 1 waits base · 2^(n−1): with 30 s and 12 attempts the last comes about 17 hours after the first. */
export const mailRetryDelayMs = (failedAttempt: number, baseMs: number): number => baseMs * 2 ** (failedAttempt - 1);

/** A claim for sending older than this belongs to a process that died mid-send (SMTP gives up after 30 s of silence). */
export const SENDING_STALE_MS = 5 * 60 * 1000;

/** The domain of `from` (`Name <user@domain>` or `user@domain`), for Message-IDs (RFC 5322 §3.6.4). */
const domainOf = (from: string): string => /@([^\s<>@]+)>?\s*$/.exec(from)?.[1] ?? 'localhost';

/**
 * The mail outbox (ARCHITECTURE.md "Reaching people"; Ghost's BatchSendingService): a mail is stored before any send,
 * the job carries only its id and attempt number, and a claim per revision (`pending → sending`) lets one run send it.
 * A mail that the server accepted is never sent again by a job; only a claim left by a process that died mid-send is
 * taken back after SENDING_STALE_MS, and that resend carries the same Message-ID, which receivers use to drop doubles.
 */
export function createMailOutbox(deps: { settings: MailOutboxSettings; transport: MailTransport; enqueue: EnqueueMail; logger: Logger; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'mail' });
  const { settings } = deps;

  async function enqueue(mailId: string, attempt: number, delayMs: number): Promise<void> {
    try {
      await deps.enqueue(mailId, attempt, delayMs);
    } catch (error) {
      log.warn({ mailId, attempt, err: String(error) }, 'mail delivery not enqueued: the reconciler will retry');
    }
  }

  const outgoing = (mail: MailRecord): OutgoingMail => ({
    id: mail.id,
    kind: mail.kind,
    messageId: mail.messageId,
    from: settings.from,
    to: mail.to!,
    language: mail.language,
    subject: mail.subject!,
    text: mail.text!,
    html: mail.html!,
    ...(mail.calendar ? { calendar: mail.calendar } : {}),
    ...(mail.headers ? { headers: mail.headers } : {}),
    date: mail.createdAt,
  });

  /** Records what a failed attempt leaves: another attempt later, or `failed` when the server refused for good or the attempts ran out. */
  async function afterFailure(claimed: MailRecord, error: unknown): Promise<void> {
    const failure = error instanceof MailSendError ? error : new MailSendError('ERROR', false);
    const last = failure.permanent || claimed.attemptCount >= settings.maxAttempts;
    const nextAttemptAt = last ? null : new Date(now().getTime() + mailRetryDelayMs(claimed.attemptCount, settings.retryBaseMs));
    log.warn({ mailId: claimed.id, attempt: claimed.attemptCount, reason: failure.reason, final: last }, 'mail attempt failed');
    const settled = await mailRepository.changeAt(claimed, (current) => current.status === 'sending', { status: last ? 'failed' : 'pending', nextAttemptAt, lastError: failure.reason });
    if (settled && nextAttemptAt) await enqueue(claimed.id, claimed.attemptCount + 1, Math.max(0, nextAttemptAt.getTime() - now().getTime()));
  }

  /** Sends a mail this run holds the claim of (`sending`, attempt `claimed.attemptCount`) and records how it went. */
  async function sendClaimed(claimed: MailRecord): Promise<'sent' | 'failed'> {
    try {
      await deps.transport.send(outgoing(claimed));
    } catch (error) {
      await afterFailure(claimed, error);
      return 'failed';
    }
    const sent = await mailRepository.changeAt(claimed, (current) => current.status === 'sending', { status: 'sent', sentAt: now(), nextAttemptAt: null });
    if (!sent && (await mailRepository.findById(claimed.id))?.status === 'erased') {
      // Erased while it was being sent: the copy just kept must go too.
      await deps.transport.forget(claimed.id);
    }
    log.info({ mailId: claimed.id, kind: claimed.kind, attempt: claimed.attemptCount, transport: deps.transport.kind }, 'mail sent');
    return 'sent';
  }

  const newRecord = (mail: MailToRecord) => {
    const id = mailIdFor(mail.eventKey, mail.recipient);
    return { id, ...mail, messageId: `<${id}@${domainOf(settings.from)}>` };
  };

  return {
    /** Stores the mail (once per event and recipient) and enqueues its first attempt. True when this call stored it. */
    async record(mail: MailToRecord): Promise<boolean> {
      const stored = await mailRepository.insert({ ...newRecord(mail), status: 'pending', attemptCount: 0, nextAttemptAt: now() });
      if (stored) await enqueue(stored.id, 1, 0);
      return stored !== undefined;
    },

    /**
     * For a caller already off the request path (a job): stores the mail claimed for its first attempt and sends it at
     * once, three round trips instead of a stored mail's one plus its delivery job's five. A process that dies after
     * storing leaves a stale claim, which the reconciler takes back (SENDING_STALE_MS), so the mail is still sent, with
     * the same Message-ID. True when this call stored it (whether or not the first attempt succeeded).
     */
    async recordAndSend(mail: MailToRecord): Promise<boolean> {
      const stored = await mailRepository.insert({ ...newRecord(mail), status: 'sending', attemptCount: 1, nextAttemptAt: null, claimedAt: now() });
      if (stored) await sendClaimed(stored);
      return stored !== undefined;
    },

    /** Whether the mail of this event to this recipient was recorded already (one read by `_id`). */
    async recorded(eventKey: string, recipient: string): Promise<boolean> {
      return (await mailRepository.findById(mailIdFor(eventKey, recipient))) !== undefined;
    },

    /**
     * The job body: attempt `attempt` of the mail, if it is still pending and this is its next attempt, and this run wins
     * the claim. Anything else (a duplicate job, a mail already sent, erased or failed) does nothing.
     */
    async deliver(mailId: string, attempt: number): Promise<'sent' | 'failed' | 'skipped'> {
      const mail = await mailRepository.findById(mailId);
      if (!mail || mail.status !== 'pending' || mail.attemptCount + 1 !== attempt) return 'skipped';
      const at = now();
      const claimed = await mailRepository.changeAt(mail, (current) => current.status === 'pending' && current.attemptCount + 1 === attempt, {
        status: 'sending',
        attemptCount: attempt,
        claimedAt: at,
      });
      if (!claimed) return 'skipped';
      return sendClaimed(claimed);
    },

    /** The reconciler's part: enqueues every pending mail that is due and takes back claims of processes that died mid-send. */
    async reenqueueDue(at: Date = now()): Promise<number> {
      const { due, stale } = await mailRepository.findDue(at, new Date(at.getTime() - SENDING_STALE_MS));
      for (const mail of stale) {
        const reopened = await mailRepository.changeAt(mail, (current) => current.status === 'sending', { status: 'pending', nextAttemptAt: at, lastError: 'INTERRUPTED' });
        if (reopened) due.push(reopened);
      }
      await Promise.all(due.map((mail) => enqueue(mail.id, mail.attemptCount + 1, 0)));
      return due.length;
    },

    /** Right to erasure: every mail to `recipient` loses its address and content (pending ones are never sent), and kept copies go. */
    async eraseRecipient(recipient: string): Promise<number> {
      const ids = await mailRepository.eraseRecipient(recipient);
      await Promise.all(ids.map((id) => deps.transport.forget(id)));
      return ids.length;
    },

    /** What an export shows of the mails to `recipient`: what was said, when, and how delivery went; never the mail's internals. */
    async listFor(recipient: string) {
      const mails = await mailRepository.listForRecipient(recipient);
      return mails.map((mail) => ({
        id: mail.id,
        kind: mail.kind,
        language: mail.language,
        status: mail.status,
        ...(mail.to !== undefined ? { to: mail.to } : {}),
        ...(mail.subject !== undefined ? { subject: mail.subject } : {}),
        createdAt: mail.createdAt.toISOString(),
        ...(mail.sentAt ? { sentAt: mail.sentAt.toISOString() } : {}),
      }));
    },
  };
}
