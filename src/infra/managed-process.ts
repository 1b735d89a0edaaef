import { spawn, type ChildProcess } from 'node:child_process';

export interface ManagedProcess {
  readonly pid: number | undefined;
  readonly exited: boolean;
  /** Asks the child to stop, then kills it if it has not stopped within the grace period. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartOptions {
  command: string;
  args: string[];
  cwd?: string;
  /** Keeps the child's stdin open: children that watch stdin stop when this process dies. */
  stdinLifeline?: boolean;
  onOutput?: (line: string) => void;
}

export function startProcess(options: StartOptions): ManagedProcess & { child: ChildProcess } {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    stdio: [options.stdinLifeline ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once('exit', () => {
      exited = true;
      child.stdin?.destroy();
      resolve();
    });
    child.once('error', () => {
      exited = true;
      resolve();
    });
  });
  for (const stream of [child.stdout, child.stderr]) {
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) options.onOutput?.(line);
    });
  }

  return {
    child,
    get pid() {
      return child.pid;
    },
    get exited() {
      return exited;
    },
    async stop(graceMs = 5000) {
      if (exited) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exit;
      clearTimeout(timer);
    },
  };
}

/** Retries `probe` until it succeeds, the child exits, or the deadline passes. */
export async function waitUntilReady(
  what: string,
  probe: () => Promise<void>,
  process: ManagedProcess,
  timeoutMs = 30000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    if (process.exited) throw new Error(`${what} exited during start-up`);
    try {
      await probe();
      return;
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms: ${String(lastError)}`);
}
