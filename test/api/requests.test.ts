import { api } from '../helpers/contract';
import { buildRequest, createRequest, type Auth, type ConsultationRequest } from '../helpers/factories';
import { bearer, createExpertWithKey, createKey } from '../helpers/keys';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

const admin = () => bearer(context.adminKey);
const newKey = (role: 'partner' | 'requester', ownerId?: string) => createKey(context.app, context.adminKey, { role, ...(ownerId ? { ownerId } : {}) });

async function listIds(auth: Auth, query = ''): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/v1/requests?limit=100${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await api(context.app).get(url).set(auth).expect(200);
    ids.push(...(response.body.items as ConsultationRequest[]).map((request) => request.id));
    cursor = response.body.nextCursor;
  } while (cursor);
  return ids;
}

async function etagOf(auth: Auth, id: string): Promise<string> {
  return (await api(context.app).get(`/v1/requests/${id}`).set(auth).expect(200)).headers.etag as string;
}

describe('POST /v1/requests', () => {
  it.each(['partner', 'requester'] as const)('lets a %s submit a request that starts at stage submitted', async (role) => {
    const key = await newKey(role);
    const input = buildRequest();
    const before = Date.now();
    const response = await api(context.app).post('/v1/requests').set(key.auth).send(input).expect(201);
    expect(response.body).toMatchObject({ ...input, stage: 'submitted' });
    expect(response.body.history).toEqual([{ stage: 'submitted', at: expect.any(String), actor: { role, id: key.id } }]);
    expect(Date.parse(response.body.history[0].at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(response.body.history[0].at)).toBeLessThanOrEqual(Date.now());
    expect(response.headers.location).toBe(`/v1/requests/${response.body.id}`);
    expect(response.headers.etag).toBe('"r1"');
  });

  it('lets an admin submit a request', async () => {
    const response = await api(context.app).post('/v1/requests').set(admin()).send(buildRequest()).expect(201);
    expect(response.body.history[0].actor.role).toBe('admin');
  });

  it('defaults skills to an empty list', async () => {
    const { skills: _skills, ...input } = buildRequest();
    const response = await api(context.app).post('/v1/requests').set(admin()).send(input).expect(201);
    expect(response.body.skills).toEqual([]);
  });

  it('answers 403 to an expert key and stores nothing', async () => {
    const { key } = await createExpertWithKey(context.app, context.adminKey);
    const before = await listIds(admin());
    await api(context.app).post('/v1/requests').set(key.auth).send(buildRequest()).expect(403);
    expect(await listIds(admin())).toEqual(before);
  });
});

describe('GET /v1/requests', () => {
  it('lists only the caller\'s own requests', async () => {
    const [mine, theirs] = await Promise.all([newKey('partner'), newKey('partner')]);
    const first = await createRequest(context.app, mine.auth);
    const second = await createRequest(context.app, mine.auth);
    await createRequest(context.app, theirs.auth);
    expect(await listIds(mine.auth)).toEqual([first.id, second.id]);
  });

  it('lists every owner\'s requests to an admin', async () => {
    const [partner, requester] = await Promise.all([newKey('partner'), newKey('requester')]);
    const ids = [(await createRequest(context.app, partner.auth)).id, (await createRequest(context.app, requester.auth)).id];
    expect(await listIds(admin())).toEqual(expect.arrayContaining(ids));
  });

  it('filters by stage and by country', async () => {
    const key = await newKey('requester');
    const polish = await createRequest(context.app, key.auth, { location: { country: 'PL', city: 'Elbląg' } });
    const swedish = await createRequest(context.app, key.auth, { location: { country: 'SE', city: 'Ystad' } });
    expect(await listIds(key.auth, '&country=SE')).toEqual([swedish.id]);
    expect(await listIds(key.auth, '&stage=submitted')).toEqual([polish.id, swedish.id]);
    expect(await listIds(key.auth, '&stage=matched')).toEqual([]);
  });

  it('pages with limit and cursor', async () => {
    const key = await newKey('requester');
    const created = [];
    for (let i = 0; i < 3; i += 1) created.push((await createRequest(context.app, key.auth)).id);
    const first = await api(context.app).get('/v1/requests?limit=2').set(key.auth).expect(200);
    expect(first.body.items.map((item: ConsultationRequest) => item.id)).toEqual(created.slice(0, 2));
    const second = await api(context.app).get(`/v1/requests?limit=2&cursor=${first.body.nextCursor}`).set(key.auth).expect(200);
    expect(second.body).toMatchObject({ items: [expect.objectContaining({ id: created[2] })], nextCursor: null });
  });

  it('shows an expert key no requests of others', async () => {
    const { key } = await createExpertWithKey(context.app, context.adminKey);
    await createRequest(context.app, admin());
    expect(await listIds(key.auth)).toEqual([]);
  });
});

describe('GET /v1/requests/{id}', () => {
  it('returns the owner\'s request with an ETag', async () => {
    const key = await newKey('requester');
    const request = await createRequest(context.app, key.auth);
    const response = await api(context.app).get(`/v1/requests/${request.id}`).set(key.auth).expect(200);
    expect(response.body).toEqual(request);
    expect(response.headers.etag).toBe('"r1"');
  });

  it('answers 404 for another owner\'s request', async () => {
    const [owner, stranger] = await Promise.all([newKey('partner'), newKey('partner')]);
    const request = await createRequest(context.app, owner.auth);
    const response = await api(context.app).get(`/v1/requests/${request.id}`).set(stranger.auth).expect(404);
    expect(response.body.code).toBe('not_found');
  });

  it('shares requests between two keys of the same owner', async () => {
    const first = await newKey('requester');
    const second = await newKey('requester', first.ownerId);
    const request = await createRequest(context.app, first.auth);
    await api(context.app).get(`/v1/requests/${request.id}`).set(second.auth).expect(200);
    expect(await listIds(second.auth)).toEqual([request.id]);
    await api(context.app)
      .patch(`/v1/requests/${request.id}`)
      .set(second.auth)
      .set('If-Match', '"r1"')
      .send({ title: 'Visitor route, revised by a colleague' })
      .expect(200);
  });
});

describe('PATCH /v1/requests/{id}', () => {
  it('needs If-Match: 428 without it, and nothing changes', async () => {
    const key = await newKey('requester');
    const request = await createRequest(context.app, key.auth);
    const response = await api(context.app).patch(`/v1/requests/${request.id}`).set(key.auth).send({ title: 'Changed' }).expect(428);
    expect(response.body.code).toBe('precondition_required');
    expect((await api(context.app).get(`/v1/requests/${request.id}`).set(key.auth)).body).toEqual(request);
  });

  it('applies a change with the current ETag, answers a new ETag, and keeps other fields', async () => {
    const key = await newKey('partner');
    const request = await createRequest(context.app, key.auth);
    const response = await api(context.app)
      .patch(`/v1/requests/${request.id}`)
      .set(key.auth)
      .set('If-Match', await etagOf(key.auth, request.id))
      .send({ deadline: '2027-03-31', budget: { amount: 1500, currency: 'EUR' } })
      .expect(200);
    expect(response.headers.etag).toBe('"r2"');
    expect(response.body).toEqual({ ...request, deadline: '2027-03-31', budget: { amount: 1500, currency: 'EUR' }, updatedAt: response.body.updatedAt });
  });

  it('answers 412 for a stale ETag and keeps the newer change', async () => {
    const key = await newKey('requester');
    const request = await createRequest(context.app, key.auth);
    const original = await etagOf(key.auth, request.id);
    await api(context.app).patch(`/v1/requests/${request.id}`).set(key.auth).set('If-Match', original).send({ title: 'First edit' }).expect(200);
    const response = await api(context.app).patch(`/v1/requests/${request.id}`).set(key.auth).set('If-Match', original).send({ title: 'Lost edit' }).expect(412);
    expect(response.body.code).toBe('precondition_failed');
    expect((await api(context.app).get(`/v1/requests/${request.id}`).set(key.auth)).body.title).toBe('First edit');
  });

  it('answers 412 for an If-Match that is no ETag of ours', async () => {
    const key = await newKey('requester');
    const request = await createRequest(context.app, key.auth);
    await api(context.app).patch(`/v1/requests/${request.id}`).set(key.auth).set('If-Match', '"some-other-etag"').send({ title: 'Changed' }).expect(412);
  });

  it('clears optional fields sent as null', async () => {
    const key = await newKey('requester');
    const request = await createRequest(context.app, key.auth, { topic: 'wayfinding', deadline: '2027-06-01', budget: { amount: 900, currency: 'EUR' } });
    const response = await api(context.app)
      .patch(`/v1/requests/${request.id}`)
      .set(key.auth)
      .set('If-Match', '"r1"')
      .send({ topic: null, deadline: null, budget: null })
      .expect(200);
    expect(response.body).not.toHaveProperty('topic');
    expect(response.body).not.toHaveProperty('deadline');
    expect(response.body).not.toHaveProperty('budget');
  });

  it('answers 404 for another owner\'s request and leaves it unchanged', async () => {
    const [owner, stranger] = await Promise.all([newKey('requester'), newKey('requester')]);
    const request = await createRequest(context.app, owner.auth);
    await api(context.app).patch(`/v1/requests/${request.id}`).set(stranger.auth).set('If-Match', '"r1"').send({ title: 'Hijacked' }).expect(404);
    expect((await api(context.app).get(`/v1/requests/${request.id}`).set(owner.auth)).body).toEqual(request);
  });

  it('lets an admin edit any request', async () => {
    const key = await newKey('partner');
    const request = await createRequest(context.app, key.auth);
    const response = await api(context.app).patch(`/v1/requests/${request.id}`).set(admin()).set('If-Match', '"r1"').send({ mode: 'online' }).expect(200);
    expect(response.body.mode).toBe('online');
  });
});
