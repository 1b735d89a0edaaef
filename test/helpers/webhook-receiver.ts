import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Resolves with every request once at least `count` have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

/** What the receiver does with its nth request: answer with a status, or never answer. */
export type Reply = number | 'no answer';

/**
 * A real HTTP server on 127.0.0.1 (port 0) that records each request's headers and raw body and answers with the
 * next reply from `replies`; the last reply repeats.
 */
export async function startWebhookReceiver(replies: Reply[] = [204]): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const reply = replies[Math.min(received.length, replies.length - 1)] ?? 204;
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (reply !== 'no answer') res.writeHead(reply).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hooks/consult`,
    received,
    async waitFor(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} webhook requests within ${timeoutMs} ms, got ${received.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return received;
    },
    close() {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens (a server took the port and let it go). */
export async function unusedLocalUrl(): Promise<string> {
  const receiver = await startWebhookReceiver();
  await receiver.close();
  return receiver.url;
}
