import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from './project-root';

const execFileAsync = promisify(execFile);
const SOURCE_DIR = path.join(PROJECT_ROOT, 'tools', 'ferretdb');
const SOURCE_FILES = ['go.mod', 'go.sum', 'main.go', 'patches.json'];
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
  const modules = path.join(path.dirname(binary), `modules.${process.pid}`);
  try {
    const modfile = await writePatchedModules(go, modules);
    await execFileAsync(go, ['build', '-trimpath', '-modfile', modfile, '-o', partial, '.'], {
      cwd: SOURCE_DIR,
      env: { ...process.env, CGO_ENABLED: '0' },
      maxBuffer: 16 * 1024 * 1024,
    });
    await rename(partial, binary);
  } catch (error) {
    await rm(partial, { force: true });
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`building FerretDB failed: ${stderr.trim() || String(error)}`);
  } finally {
    // The copies keep the module cache's read-only folders, which only their owner's write bit lets rm empty.
    await execFileAsync('chmod', ['-R', 'u+w', modules]).catch(() => undefined);
    await rm(modules, { recursive: true, force: true });
  }
  return binary;
}

interface SourcePatch {
  module: string;
  file: string;
  find: string;
  replace: string;
  count: number;
}

/**
 * Copies each module that tools/ferretdb/patches.json changes from the module cache to `dir`, applies the patches to
 * the copies and writes a go.mod (with its go.sum) that replaces the modules by them, for `go build -modfile`. The
 * project's go.mod and the module cache stay untouched. Throws when a patch no longer finds its text the expected
 * number of times: a new FerretDB version needs the patch reviewed.
 */
async function writePatchedModules(go: string, dir: string): Promise<string> {
  const { patches } = JSON.parse(await readFile(path.join(SOURCE_DIR, 'patches.json'), 'utf8')) as { patches: SourcePatch[] };
  const copies = new Map<string, string>();
  for (const patch of patches) {
    let copy = copies.get(patch.module);
    if (!copy) {
      const { stdout } = await execFileAsync(go, ['mod', 'download', '-json', patch.module], { cwd: SOURCE_DIR, maxBuffer: 1024 * 1024 });
      copy = path.join(dir, patch.module);
      await cp((JSON.parse(stdout) as { Dir: string }).Dir, copy, { recursive: true });
      copies.set(patch.module, copy);
    }
    const file = path.join(copy, patch.file);
    const source = await readFile(file, 'utf8');
    const found = source.split(patch.find).length - 1;
    if (found !== patch.count) throw new Error(`patching ${patch.module}/${patch.file}: expected ${patch.count} occurrence(s) of the patched text, found ${found}`);
    // The module cache's files are read-only, and so are their copies.
    await chmod(file, 0o644);
    await writeFile(file, source.split(patch.find).join(patch.replace));
  }
  const replaces = [...copies].map(([module, copy]) => `replace ${module} => ${copy}\n`).join('');
  const modfile = path.join(dir, 'go.mod');
  await writeFile(modfile, `${await readFile(path.join(SOURCE_DIR, 'go.mod'), 'utf8')}\n${replaces}`);
  await copyFile(path.join(SOURCE_DIR, 'go.sum'), path.join(dir, 'go.sum'));
  return modfile;
}
