import type { Express } from 'express';
import type { components } from '../../src/generated/openapi';
import { api } from './contract';
import { createExpert, type Auth, type Expert, type ExpertInput } from './factories';

type Role = components['schemas']['Role'];
type ApiKeyCreated = components['schemas']['ApiKeyCreated'];

export interface TestKey {
  id: string;
  key: string;
  role: Role;
  ownerId: string;
  expertId?: string;
  auth: Auth;
}

export const bearer = (key: string): Auth => ({ Authorization: `Bearer ${key}` });

/** Issues a key through POST /v1/api-keys with the admin key. */
export async function createKey(
  app: Express,
  adminKey: string,
  input: { role: Role; label?: string; expertId?: string; ownerId?: string },
): Promise<TestKey> {
  const response = await api(app)
    .post('/v1/api-keys')
    .set(bearer(adminKey))
    .send({ label: `${input.role} key`, ...input })
    .expect(201);
  const created = response.body as ApiKeyCreated;
  return {
    id: created.id,
    key: created.key,
    role: created.role,
    ownerId: created.ownerId ?? created.id,
    ...(created.expertId ? { expertId: created.expertId } : {}),
    auth: bearer(created.key),
  };
}

/** An expert profile (created by `creator`, the admin by default) and a key that acts for it. */
export async function createExpertWithKey(
  app: Express,
  adminKey: string,
  options: { creator?: Auth; overrides?: Partial<ExpertInput> } = {},
): Promise<{ expert: Expert; key: TestKey }> {
  const expert = await createExpert(app, options.creator ?? bearer(adminKey), options.overrides);
  const key = await createKey(app, adminKey, { role: 'expert', expertId: expert.id });
  return { expert, key };
}
