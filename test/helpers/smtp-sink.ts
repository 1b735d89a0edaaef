import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`: the same across stop() and start(). */
  url: string;
  /** Every mail received, parsed, in arrival order (none when started with `parse: false`). */
  mails: ParsedMail[];
  /** How many mails it accepted, parsed or not. */
  received(): number;
  /** Resolves once at least `count` mails match `predicate`, with those mails; fails after `timeoutMs`. */
  waitFor(count: number, predicate?: (mail: ParsedMail) => boolean, timeoutMs?: number): Promise<ParsedMail[]>;
  /** Stops listening (connections are refused) until start() listens on the same port again. */
  stop(): Promise<void>;
  start(): Promise<void>;
}

/**
 * A real SMTP server on 127.0.0.1 (no TLS, any sender, no authentication) that parses what it receives with mailparser,
 * or with `parse: false` only counts it (a load run, where parsing would take CPU from the service it measures).
 */
export async function startSmtpSink(options: { parse?: boolean } = {}): Promise<SmtpSink> {
  const mails: ParsedMail[] = [];
  let received = 0;
  let server: SMTPServer | undefined;
  let port = 0;

  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const instance = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        logger: false,
        closeTimeout: 100,
        onData(stream, _session, done) {
          if (options.parse === false) {
            stream.on('end', () => {
              received += 1;
              done();
            });
            stream.resume();
            return;
          }
          simpleParser(stream).then(
            (mail) => {
              received += 1;
              mails.push(mail);
              done();
            },
            (error: Error) => done(error),
          );
        },
      });
      instance.on('error', reject);
      instance.listen(port, '127.0.0.1', () => {
        port = (instance.server.address() as AddressInfo).port;
        server = instance;
        resolve();
      });
    });
  await listen();

  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    received: () => received,
    async waitFor(count, predicate = () => true, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const matching = mails.filter(predicate);
        if (matching.length >= count) return matching;
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, received ${matching.length} matching of ${mails.length}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    stop: () =>
      new Promise<void>((resolve) => {
        const running = server;
        server = undefined;
        if (running) running.close(() => resolve());
        else resolve();
      }),
    start: listen,
  };
}
