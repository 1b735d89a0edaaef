// The real SMTP server `npm run load` sends its mails to (test/helpers/smtp-sink.ts), in a process of its own so that
// parsing mails never runs on the load generator's event loop and delays its clocks. Prints `url <smtp://…>` once,
// then `received <n>` whenever the count of mails received changes; stops on SIGTERM.
import { startSmtpSink } from '../test/helpers/smtp-sink';

async function main(): Promise<void> {
  const sink = await startSmtpSink();
  process.stdout.write(`url ${sink.url}\n`);
  let received = 0;
  const timer = setInterval(() => {
    if (sink.mails.length === 0) return;
    // Only the count matters to the report: parsed mails are dropped so a long run does not grow.
    received += sink.mails.splice(0).length;
    process.stdout.write(`received ${received}\n`);
  }, 250);
  process.on('SIGTERM', () => {
    clearInterval(timer);
    void sink.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`smtp sink failed: ${String(error)}\n`);
  process.exit(1);
});
