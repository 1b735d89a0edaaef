import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const developmentAdminKeyFile = (dataDir: string) => path.join(dataDir, 'admin-api-key');

/**
 * Outside production, a service started without ADMIN_API_KEY gets one of its own, kept (owner-readable only) in
 * the data folder, so a newcomer can call the API and run the demo right after `npm start`.
 */
export async function developmentAdminKey(dataDir: string): Promise<{ key: string; created: boolean }> {
  const file = developmentAdminKeyFile(dataDir);
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim().length >= 16) return { key: existing.trim(), created: false };
  const key = `dev-admin-${randomBytes(24).toString('base64url')}`;
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return { key, created: true };
}
