import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './project-root';

const execFileAsync = promisify(execFile);
const SOURCE_DIR = path.join(PROJECT_ROOT, 'tools', 'ferretdb');
const SOURCE_FILES = ['go.mod', 'go.sum', 'main.go'];
const WELL_KNOWN_GO = ['/usr/local/go/bin/go', '/usr/lib/go/bin/go'];

export class MissingToolchainError extends Error {
  constructor() {
    super(
      'No database available: set MONGODB_URI to a MongoDB server, or install Go (https://go.dev/dl) so the embedded FerretDB can be built (or set MONGOD_BIN to a mongod binary).',
    );
  }
}

export function findGo(explicit?: string): string | undefined {
  if (explicit) return existsSync(explicit) ? explicit : undefined;
  const onPath = (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'go'));
  return [...onPath, ...WELL_KNOWN_GO].find((candidate) => existsSync(candidate));
}

/** The cache path changes whenever the Go program or its dependencies change. */
export async function ferretDbBinaryPath(cacheDir = path.join(PROJECT_ROOT, '.cache')): Promise<string> {
  const hash = createHash('sha256');
  for (const file of SOURCE_FILES) hash.update(await readFile(path.join(SOURCE_DIR, file)));
  return path.join(cacheDir, 'ferretdb', hash.digest('hex').slice(0, 16), 'ferretdb');
}

/** Builds the embedded FerretDB once and reuses the cached binary afterwards. */
export async function ensureFerretDbBinary(options: {
  goBin?: string;
  announce: (message: string) => void;
}): Promise<string> {
  const binary = await ferretDbBinaryPath();
  if (existsSync(binary)) return binary;
  const go = findGo(options.goBin);
  if (!go) throw new MissingToolchainError();

  options.announce('building the embedded database, first run only…');
  await mkdir(path.dirname(binary), { recursive: true });
  // Build beside the final path and rename, so concurrent first runs never see a half-written binary.
  const partial = `${binary}.${process.pid}.partial`;
  try {
    await execFileAsync(go, ['build', '-trimpath', '-o', partial, '.'], {
      cwd: SOURCE_DIR,
      env: { ...process.env, CGO_ENABLED: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
    await rename(partial, binary);
  } catch (error) {
    await rm(partial, { force: true });
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`building FerretDB failed: ${stderr.trim() || String(error)}`);
  }
  return binary;
}
