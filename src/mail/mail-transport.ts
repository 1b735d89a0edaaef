import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createTransport } from 'nodemailer';
import type { MailCalendar, MailKind } from './mail-outbox.repository';

/** A mail as it leaves: everything fixed by its outbox entry, so every attempt sends the same message. */
export interface OutgoingMail {
  id: string;
  kind: MailKind;
  messageId: string;
  from: string;
  to: string;
  language: string;
  subject: string;
  text: string;
  html: string;
  /** Extra header fields (List-Unsubscribe and List-Unsubscribe-Post on reminders), sent as given. */
  headers?: Record<string, string>;
  /** The `Date` header: when the mail was recorded, not when an attempt ran. */
  date: Date;
  /** Sent as nodemailer's `icalEvent`: a text/calendar alternative with its METHOD, as calendar clients expect (RFC 6047). */
  calendar?: MailCalendar;
}

/** How an attempt failed: `permanent` when the server refused the mail for good (SMTP 5xx, RFC 5321 §4.2.1). */
export class MailSendError extends Error {
  constructor(
    readonly reason: string,
    readonly permanent: boolean,
  ) {
    super(reason);
  }
}

export interface MailTransport {
  readonly kind: 'smtp' | 'files';
  send(mail: OutgoingMail): Promise<void>;
  /** Deletes whatever copy of the mail the transport keeps (the embedded mailbox's files); SMTP keeps none. */
  forget(id: string): Promise<void>;
  close(): void;
}

/** What the embedded mailbox lists of one mail (its `<id>.json`, beside `<id>.eml`). */
export interface KeptMail {
  id: string;
  kind: MailKind;
  messageId: string;
  to: string;
  language: string;
  subject: string;
  text: string;
  /** The iCalendar METHOD of the attached invite (`invite.ics`), when the mail carries one. */
  calendar?: string;
  keptAt: string;
}

const SMTP_TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/**
 * Only the error's code and the server's reply code, never its text: a refusal often quotes the address.
 * nodemailer marks errors with `code` (ECONNECTION, EENVELOPE, …) and `responseCode`.
 */
function sendError(error: unknown): MailSendError {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };
  const reply = typeof responseCode === 'number' ? responseCode : undefined;
  const reason = [typeof code === 'string' ? code : 'ERROR', reply].filter((part) => part !== undefined).join(' ');
  return new MailSendError(reason, reply !== undefined && reply >= 500 && reply < 600);
}

const message = (mail: OutgoingMail) => ({
  from: mail.from,
  to: mail.to,
  subject: mail.subject,
  text: mail.text,
  html: mail.html,
  messageId: mail.messageId,
  date: mail.date,
  headers: { ...mail.headers, 'Content-Language': mail.language },
  ...(mail.calendar ? { icalEvent: { method: mail.calendar.method, filename: 'invite.ics', content: mail.calendar.content } } : {}),
});

/**
 * nodemailer over SMTP (`smtp://` or `smtps://`, credentials in the URL), over a pool of up to 2 kept-open
 * connections (nodemailer's pooled SMTP: a new connection, greeting and TLS handshake per mail cost more than the
 * mail); a connection the server dropped is replaced, and a mail it failed is retried by the outbox as any other.
 */
export function smtpTransport(url: string): MailTransport {
  const transporter = createTransport({ url, pool: true, maxConnections: 2, ...SMTP_TIMEOUTS });
  return {
    kind: 'smtp',
    async send(mail) {
      try {
        await transporter.sendMail(message(mail));
      } catch (error) {
        throw sendError(error);
      }
    },
    forget: async () => undefined,
    close: () => transporter.close(),
  };
}

/**
 * The embedded mailbox for development: each mail is composed exactly as SMTP would carry it and kept as
 * `<dir>/<id>.eml`, with `<id>.json` (what the mailbox page lists) beside it. Written to a temporary name first, so a
 * reader never sees half a mail.
 */
export function fileTransport(dir: string): MailTransport {
  const transporter = createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  const write = async (file: string, content: string | Buffer) => {
    await writeFile(`${file}.tmp`, content, { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  };
  return {
    kind: 'files',
    async send(mail) {
      await mkdir(dir, { recursive: true, mode: 0o700 });
      const info = await transporter.sendMail(message(mail));
      const kept: KeptMail = { id: mail.id, kind: mail.kind, messageId: mail.messageId, to: mail.to, language: mail.language, subject: mail.subject, text: mail.text, ...(mail.calendar ? { calendar: mail.calendar.method } : {}), keptAt: new Date().toISOString() };
      await write(path.join(dir, `${mail.id}.eml`), info.message as Buffer);
      await write(path.join(dir, `${mail.id}.json`), JSON.stringify(kept));
    },
    async forget(id) {
      await Promise.all(['eml', 'json'].map((extension) => rm(path.join(dir, `${id}.${extension}`), { force: true })));
    },
    close: () => transporter.close(),
  };
}

/** The mails kept in `dir`, newest first; an empty list when there is no folder yet. */
export async function listKeptMails(dir: string): Promise<KeptMail[]> {
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const read = async (name: string): Promise<KeptMail[]> => {
    try {
      return [JSON.parse(await readFile(path.join(dir, name), 'utf8')) as KeptMail];
    } catch (error) {
      // Erased between listing and reading.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  };
  const kept = (await Promise.all(names.filter((name) => name.endsWith('.json')).map(read))).flat();
  return kept.sort((a, b) => b.keptAt.localeCompare(a.keptAt) || a.id.localeCompare(b.id));
}

export const mailDirectory = (dataDir: string): string => path.join(dataDir, 'mail');
