import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

describe('src/generated/openapi.ts', () => {
  it('is what `npm run gen:api` makes from openapi.yaml today', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'consult-gen-'));
    const fresh = path.join(dir, 'openapi.ts');
    const result = spawnSync(path.join(root, 'node_modules', '.bin', 'openapi-typescript'), ['openapi.yaml', '-o', fresh], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(result.status).toBe(0);
    const [expected, committed] = await Promise.all([readFile(fresh, 'utf8'), readFile(path.join(root, 'src/generated/openapi.ts'), 'utf8')]);
    await rm(dir, { recursive: true, force: true });
    expect(committed).toBe(expected); // if this fails, run `npm run gen:api` and commit the result
  });
});
