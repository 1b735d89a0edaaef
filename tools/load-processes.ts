// The processes `npm run load` starts (services, baseline, SMTP server): each on a free loopback port, stopped in
// the reverse order of their start, so the service that started the embedded database stops last of them.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(__dirname, '..');
const children: ChildProcess[] = [];

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().once('error', reject).listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts `command` in the project folder with `env` and PORT set to a free port, which it returns. */
export async function startChild(command: string, args: string[], env: Record<string, string>): Promise<number> {
  const port = await freePort();
  children.push(spawn(command, args, { cwd: root, env: { ...process.env, ...env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'inherit'] }));
  return port;
}

/** Resolves once `url` answers 2xx; fails after `seconds`. */
export async function waitFor(url: string, seconds = 300): Promise<void> {
  for (let i = 0; i < seconds * 4; i += 1) {
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not answer within ${seconds} s`);
}

/** Starts tools/load-smtp-sink.ts; `received()` is the number of mails it has received so far (updated every 250 ms). */
export async function startSmtpSinkProcess(): Promise<{ url: string; received: () => number }> {
  const child = spawn('node', ['--import', 'tsx', 'tools/load-smtp-sink.ts'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  let received = 0;
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the SMTP server exited (${code})`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const [word, value = ''] = line.split(' ');
      if (word === 'url') resolve(value);
      if (word === 'received') received = Number(value);
    });
  });
  return { url, received: () => received };
}

/** Stops every child (SIGTERM), the last started first, each waited for. */
export async function stopChildren(): Promise<void> {
  for (const child of children.splice(0).reverse()) {
    await new Promise((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve(null) : (child.once('exit', resolve), child.kill('SIGTERM'))));
  }
}
