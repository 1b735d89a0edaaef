import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { Types } from 'mongoose';
import { AppError, notFound } from '../errors';
import type { InvalidationBus } from '../infra/invalidation-bus';
import type { Principal } from '../http/principal';
import { apiKeyRepository, type StoredApiKey } from './api-key.repository';
import type { ApiKeyInput } from './api-key.schemas';

const REVOKED_TOPIC = 'api-key-revoked';
const ENV_ADMIN: Principal = { role: 'admin', keyId: 'env-admin', ownerId: 'env-admin' };

export const hashKey = (key: string): string => createHash('sha256').update(key).digest('hex');

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(hashKey(a), 'hex');
  const right = Buffer.from(hashKey(b), 'hex');
  return timingSafeEqual(left, right);
}

const toPrincipal = (key: StoredApiKey): Principal => ({
  role: key.role,
  keyId: key.id,
  ownerId: key.ownerId,
  ...(key.expertId ? { expertId: key.expertId } : {}),
});

export type ApiKeyService = ReturnType<typeof createApiKeyService>;

export function createApiKeyService(deps: {
  adminApiKey?: string;
  bus: InvalidationBus;
  expertExists: (expertId: string) => Promise<boolean>;
}) {
  // Keys are looked up once, then served from memory; revocation evicts them here and, via the bus, everywhere.
  const cache = new Map<string, Principal>();
  deps.bus.subscribe(REVOKED_TOPIC, (hash) => cache.delete(hash));

  async function evict(hashes: string[]): Promise<void> {
    for (const hash of hashes) cache.delete(hash);
    await Promise.all(hashes.map((hash) => deps.bus.publish(REVOKED_TOPIC, hash)));
  }

  return {
    async authenticate(key: string): Promise<Principal | undefined> {
      if (deps.adminApiKey && sameSecret(key, deps.adminApiKey)) return ENV_ADMIN;
      if (!/^ck_[0-9a-f]{24}_[A-Za-z0-9_-]{43}$/.test(key)) return undefined;
      const hash = hashKey(key);
      const cached = cache.get(hash);
      if (cached) return cached;
      const stored = await apiKeyRepository.findByHash(hash);
      if (!stored) return undefined;
      const principal = toPrincipal(stored);
      cache.set(hash, principal);
      return principal;
    },

    async create(input: ApiKeyInput, now = new Date()) {
      if (input.expertId && !(await deps.expertExists(input.expertId))) {
        throw new AppError('unprocessable', 'No expert with this id', { errors: [{ path: 'expertId', message: 'no such expert' }] });
      }
      if (input.ownerId) {
        const owner = await apiKeyRepository.findById(input.ownerId);
        const ownerIsKnown = owner?.ownerId === input.ownerId && owner.role === input.role;
        if (!ownerIsKnown) {
          throw new AppError('unprocessable', `No ${input.role} owner with this id`, { errors: [{ path: 'ownerId', message: `no ${input.role} owner with this id` }] });
        }
      }
      const id = new Types.ObjectId().toHexString();
      const key = `ck_${id}_${randomBytes(32).toString('base64url')}`;
      const stored: StoredApiKey = {
        hash: hashKey(key),
        id,
        role: input.role,
        label: input.label,
        ownerId: input.ownerId ?? id,
        ...(input.expertId ? { expertId: input.expertId } : {}),
        createdAt: now,
      };
      await apiKeyRepository.insert(stored);
      return { id, key, role: stored.role, label: stored.label, ownerId: stored.ownerId, ...(stored.expertId ? { expertId: stored.expertId } : {}), createdAt: now.toISOString() };
    },

    async revoke(id: string): Promise<void> {
      const stored = await apiKeyRepository.findById(id);
      if (!stored) throw notFound('API key');
      await apiKeyRepository.deleteByHash(stored.hash);
      await evict([stored.hash]);
    },

    async revokeAllForExpert(expertId: string): Promise<void> {
      const keys = await apiKeyRepository.findByExpert(expertId);
      await Promise.all(keys.map((key) => apiKeyRepository.deleteByHash(key.hash)));
      await evict(keys.map((key) => key.hash));
    },

    async listForExpert(expertId: string) {
      const keys = await apiKeyRepository.findByExpert(expertId);
      return keys.map((key) => ({ id: key.id, role: key.role, label: key.label, createdAt: key.createdAt.toISOString() }));
    },
  };
}
