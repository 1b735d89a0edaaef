// The real SMTP server `npm run load` sends its mails to (test/helpers/smtp-sink.ts, counting without parsing), in a
// process of its own so that receiving never runs on the load generator's event loop and delays its clocks. Prints `url <smtp://…>` once,
// then `received <n>` whenever the count of mails received changes; stops on SIGTERM.
import { startSmtpSink } from '../test/helpers/smtp-sink';

async function main(): Promise<void> {
  // Only the count matters to the report: parsing would take CPU from the service on the same cores.
  const sink = await startSmtpSink({ parse: false });
  process.stdout.write(`url ${sink.url}\n`);
  let reported = 0;
  const timer = setInterval(() => {
    if (sink.received() === reported) return;
    reported = sink.received();
    process.stdout.write(`received ${reported}\n`);
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
