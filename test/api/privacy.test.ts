import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import { api } from '../helpers/contract';
import { buildExpert, createExpert, uniqueTag } from '../helpers/factories';
import { bearer, createExpertWithKey, createKey } from '../helpers/keys';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

const admin = () => bearer(context.adminKey);

async function collectionsMentioning(text: string): Promise<string[]> {
  const db = mongoose.connection.db!;
  const names = (await db.listCollections().toArray()).map((collection) => collection.name);
  const mentioning: string[] = [];
  for (const name of names) {
    const documents = await db.collection(name).find().toArray();
    if (JSON.stringify(documents).includes(text)) mentioning.push(name);
  }
  return mentioning;
}

describe('GET /v1/experts/{id}/export', () => {
  it('gives the expert its profile and its API keys, without secrets or hashes', async () => {
    const { expert, key } = await createExpertWithKey(context.app, context.adminKey);
    const secondKey = await createKey(context.app, context.adminKey, { role: 'expert', expertId: expert.id, label: 'Laptop in the studio' });
    const before = Date.now();
    const response = await api(context.app).get(`/v1/experts/${expert.id}/export`).set(key.auth).expect(200);

    expect(response.body.profile).toEqual(expert);
    expect(response.body.apiKeys).toEqual([
      { id: key.id, role: 'expert', label: 'expert key', createdAt: expect.any(String) },
      { id: secondKey.id, role: 'expert', label: 'Laptop in the studio', createdAt: expect.any(String) },
    ]);
    expect(Date.parse(response.body.exportedAt)).toBeGreaterThanOrEqual(before);
    const text = JSON.stringify(response.body);
    for (const secret of [key.key, secondKey.key]) {
      expect(text).not.toContain(secret.split('_').slice(2).join('_'));
      expect(text).not.toContain(createHash('sha256').update(secret).digest('hex'));
    }
  });

  it('gives an admin the same export', async () => {
    const { expert, key } = await createExpertWithKey(context.app, context.adminKey);
    const response = await api(context.app).get(`/v1/experts/${expert.id}/export`).set(admin()).expect(200);
    expect(response.body.profile).toEqual(expert);
    expect(response.body.apiKeys.map((apiKey: { id: string }) => apiKey.id)).toEqual([key.id]);
  });

  it('answers 403 to a partner, even the one that created the profile', async () => {
    const partner = await createKey(context.app, context.adminKey, { role: 'partner' });
    const expert = await createExpert(context.app, partner.auth);
    const response = await api(context.app).get(`/v1/experts/${expert.id}/export`).set(partner.auth).expect(403);
    expect(response.body.code).toBe('forbidden');
  });

  it('answers 404 to another expert', async () => {
    const { expert } = await createExpertWithKey(context.app, context.adminKey);
    const { key: otherKey } = await createExpertWithKey(context.app, context.adminKey);
    await api(context.app).get(`/v1/experts/${expert.id}/export`).set(otherKey.auth).expect(404);
  });

  it('answers 404 for an expert that does not exist', async () => {
    await api(context.app).get('/v1/experts/0123456789abcdef01234567/export').set(admin()).expect(404);
  });
});

describe('DELETE /v1/experts/{id} (right to erasure)', () => {
  it('erases the profile, revokes its key and frees the e-mail', async () => {
    const skill = uniqueTag('sound design');
    const { expert, key } = await createExpertWithKey(context.app, context.adminKey, { overrides: { skills: [skill] } });
    await api(context.app).get('/v1/experts').set(key.auth).expect(200);

    await api(context.app).delete(`/v1/experts/${expert.id}`).set(admin()).expect(204);

    await api(context.app).get(`/v1/experts/${expert.id}`).set(admin()).expect(404);
    await api(context.app).get(`/v1/experts/${expert.id}/export`).set(admin()).expect(404);
    await api(context.app).get('/v1/experts').set(key.auth).expect(401);
    const list = await api(context.app).get(`/v1/experts?skill=${encodeURIComponent(skill)}`).set(admin()).expect(200);
    expect(list.body.items).toEqual([]);
    const again = await api(context.app).post('/v1/experts').set(admin()).send(buildExpert({ email: expert.email })).expect(201);
    expect(again.body.id).not.toBe(expert.id);
  });

  it('lets the expert erase itself, which revokes every key of the expert', async () => {
    const { expert, key } = await createExpertWithKey(context.app, context.adminKey);
    const secondKey = await createKey(context.app, context.adminKey, { role: 'expert', expertId: expert.id });
    await api(context.app).delete(`/v1/experts/${expert.id}`).set(key.auth).expect(204);
    await api(context.app).get(`/v1/experts/${expert.id}`).set(key.auth).expect(401);
    await api(context.app).get(`/v1/experts/${expert.id}`).set(secondKey.auth).expect(401);
  });

  it('leaves other experts and their keys alone', async () => {
    const { expert } = await createExpertWithKey(context.app, context.adminKey);
    const { expert: neighbour, key: neighbourKey } = await createExpertWithKey(context.app, context.adminKey);
    await api(context.app).delete(`/v1/experts/${expert.id}`).set(admin()).expect(204);
    const response = await api(context.app).get(`/v1/experts/${neighbour.id}`).set(neighbourKey.auth).expect(200);
    expect(response.body).toEqual(neighbour);
  });

  it('answers 404 when the profile was already erased', async () => {
    const expert = await createExpert(context.app, admin());
    await api(context.app).delete(`/v1/experts/${expert.id}`).set(admin()).expect(204);
    await api(context.app).delete(`/v1/experts/${expert.id}`).set(admin()).expect(404);
  });

  it('leaves the e-mail and name nowhere in the database, not even in stored idempotent responses', async () => {
    const partner = await createKey(context.app, context.adminKey, { role: 'partner' });
    const body = buildExpert({ name: `Ieva ${uniqueTag('Jankauskaite')}` });
    const created = await api(context.app).post('/v1/experts').set(partner.auth).set('Idempotency-Key', 'erase-me').send(body).expect(201);
    expect(await collectionsMentioning(body.email)).not.toEqual([]);

    await api(context.app).delete(`/v1/experts/${created.body.id}`).set(partner.auth).expect(204);

    expect(await collectionsMentioning(body.email)).toEqual([]);
    expect(await collectionsMentioning(body.name)).toEqual([]);
  });
});
