import mongoose from 'mongoose';
import { api } from '../helpers/contract';
import { createExpert, createRequest } from '../helpers/factories';
import { bearer, createExpertWithKey, createKey } from '../helpers/keys';
import { buildTestApp, startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

const admin = () => bearer(context.adminKey);

describe('POST /v1/api-keys', () => {
  it('creates a partner key that is its own owner and works at once', async () => {
    const response = await api(context.app)
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'partner', label: 'Szczecin culture portal' })
      .expect(201);
    expect(response.body).toMatchObject({ role: 'partner', label: 'Szczecin culture portal', ownerId: response.body.id });
    expect(response.body.key).toMatch(new RegExp(`^ck_${response.body.id}_[A-Za-z0-9_-]{43}$`));
    expect(response.headers.location).toBe(`/v1/api-keys/${response.body.id}`);
    await api(context.app).get('/v1/experts').set(bearer(response.body.key)).expect(200);
  });

  it('stores only a hash of the key, never the secret', async () => {
    const key = await createKey(context.app, context.adminKey, { role: 'requester' });
    const stored = await mongoose.connection.collection('api_keys').findOne({ publicId: key.id });
    expect(stored).not.toBeNull();
    expect(JSON.stringify(stored)).not.toContain(key.key);
    expect(JSON.stringify(stored)).not.toContain(key.key.split('_').slice(2).join('_'));
  });

  it('trims the label', async () => {
    const response = await api(context.app).post('/v1/api-keys').set(admin()).send({ role: 'requester', label: '  Gdańsk library  ' }).expect(201);
    expect(response.body.label).toBe('Gdańsk library');
  });

  it('lets an admin-role key create keys itself', async () => {
    const adminKey = await createKey(context.app, context.adminKey, { role: 'admin' });
    await api(context.app).post('/v1/api-keys').set(adminKey.auth).send({ role: 'partner', label: 'Rostock design week' }).expect(201);
  });

  it('binds an expert key to the expert profile it names', async () => {
    const { expert, key } = await createExpertWithKey(context.app, context.adminKey);
    expect(key.expertId).toBe(expert.id);
    const own = await api(context.app).get(`/v1/experts/${expert.id}`).set(key.auth).expect(200);
    expect(own.body.email).toBe(expert.email);
  });

  it('rejects a missing role and label, naming both fields', async () => {
    const response = await api(context.app).post('/v1/api-keys').set(admin()).send({}).expect(400);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['label', 'role']);
  });

  it('rejects an unknown role and a label over 120 characters', async () => {
    const response = await api(context.app).post('/v1/api-keys').set(admin()).send({ role: 'superuser', label: 'x'.repeat(121) }).expect(400);
    expect(response.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['label', 'role']);
  });

  it('requires expertId for an expert key', async () => {
    const response = await api(context.app).post('/v1/api-keys').set(admin()).send({ role: 'expert', label: 'No profile' }).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'expertId' })]);
  });

  it('refuses expertId on a partner key', async () => {
    const expert = await createExpert(context.app, admin());
    const response = await api(context.app)
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'partner', label: 'Wrong binding', expertId: expert.id })
      .expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'expertId' })]);
  });

  it('answers 422 for an expert key naming an expert that does not exist', async () => {
    const response = await api(context.app)
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'expert', label: 'Ghost', expertId: '000000000000000000000000' })
      .expect(422);
    expect(response.body.code).toBe('unprocessable');
  });

  it('issues a second key for the same owner with ownerId', async () => {
    const first = await createKey(context.app, context.adminKey, { role: 'requester' });
    const second = await createKey(context.app, context.adminKey, { role: 'requester', ownerId: first.ownerId });
    expect(second.id).not.toBe(first.id);
    expect(second.ownerId).toBe(first.ownerId);
  });

  it('answers 422 for an ownerId that names no owner of that role', async () => {
    const partner = await createKey(context.app, context.adminKey, { role: 'partner' });
    for (const ownerId of [partner.ownerId, '000000000000000000000000']) {
      const response = await api(context.app).post('/v1/api-keys').set(admin()).send({ role: 'requester', label: 'Borrowed owner', ownerId }).expect(422);
      expect(response.body.errors).toEqual([expect.objectContaining({ path: 'ownerId' })]);
    }
  });

  it('refuses ownerId on an expert key', async () => {
    const { key } = await createExpertWithKey(context.app, context.adminKey);
    const response = await api(context.app)
      .post('/v1/api-keys')
      .set(admin())
      .send({ role: 'expert', label: 'Shared', expertId: key.expertId, ownerId: key.ownerId })
      .expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'ownerId' })]);
  });

  it('is for admins only: a partner key gets 403', async () => {
    const partner = await createKey(context.app, context.adminKey, { role: 'partner' });
    const response = await api(context.app).post('/v1/api-keys').set(partner.auth).send({ role: 'admin', label: 'Escalation' }).expect(403);
    expect(response.body.code).toBe('forbidden');
  });
});

describe('authentication', () => {
  it('answers 401 problem+json without an Authorization header', async () => {
    const response = await api(context.app).get('/v1/experts').expect(401).expect('Content-Type', /application\/problem\+json/);
    expect(response.body.code).toBe('unauthenticated');
  });

  it.each([
    ['an unknown key', 'Bearer ck_000000000000000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
    ['a key that is not in the key format', 'Bearer not-a-real-key'],
    ['another scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['an empty bearer token', 'Bearer '],
    ['an operator smuggled into the token', 'Bearer {"$gt":""}'],
  ])('answers 401 for %s', async (_name, header) => {
    const response = await api(context.app).get('/v1/experts').set('Authorization', header).expect(401);
    expect(response.body.code).toBe('unauthenticated');
  });

  it('accepts the admin key from ADMIN_API_KEY', async () => {
    await api(context.app).get('/v1/requests').set(admin()).expect(200);
  });
});

describe('DELETE /v1/api-keys/{id}', () => {
  it('revokes a key at once', async () => {
    const partner = await createKey(context.app, context.adminKey, { role: 'partner' });
    await api(context.app).get('/v1/experts').set(partner.auth).expect(200);
    await api(context.app).delete(`/v1/api-keys/${partner.id}`).set(admin()).expect(204);
    const response = await api(context.app).get('/v1/experts').set(partner.auth).expect(401);
    expect(response.body.code).toBe('unauthenticated');
  });

  it('revokes a key on every instance, including one that has it cached', async () => {
    const otherInstance = buildTestApp(context.config);
    try {
      const partner = await createKey(context.app, context.adminKey, { role: 'partner' });
      await api(otherInstance.app).get('/v1/experts').set(partner.auth).expect(200);
      await api(context.app).delete(`/v1/api-keys/${partner.id}`).set(admin()).expect(204);
      const deadline = Date.now() + 1000;
      let status = 200;
      while (status !== 401 && Date.now() < deadline) {
        status = (await api(otherInstance.app).get('/v1/experts').set(partner.auth)).status;
      }
      expect(status).toBe(401);
    } finally {
      await otherInstance.close();
    }
  });

  it('leaves the other key of the same owner working, with the owner\'s requests', async () => {
    const first = await createKey(context.app, context.adminKey, { role: 'partner' });
    const second = await createKey(context.app, context.adminKey, { role: 'partner', ownerId: first.ownerId });
    const request = await createRequest(context.app, first.auth);
    await api(context.app).delete(`/v1/api-keys/${first.id}`).set(admin()).expect(204);
    await api(context.app).get(`/v1/requests/${request.id}`).set(second.auth).expect(200);
  });

  it('answers 404 for a key that was already revoked', async () => {
    const key = await createKey(context.app, context.adminKey, { role: 'requester' });
    await api(context.app).delete(`/v1/api-keys/${key.id}`).set(admin()).expect(204);
    await api(context.app).delete(`/v1/api-keys/${key.id}`).set(admin()).expect(404);
  });

  it('answers 400 for an id that is not 24 hexadecimal characters', async () => {
    const response = await api(context.app).delete('/v1/api-keys/not-an-id').set(admin()).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'id' })]);
  });

  it('is for admins only: a key cannot revoke itself', async () => {
    const partner = await createKey(context.app, context.adminKey, { role: 'partner' });
    await api(context.app).delete(`/v1/api-keys/${partner.id}`).set(partner.auth).expect(403);
    await api(context.app).get('/v1/experts').set(partner.auth).expect(200);
  });
});
