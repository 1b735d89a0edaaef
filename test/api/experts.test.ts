import type { Express } from 'express';
import { api } from '../helpers/contract';
import { buildExpert, createExpert, uniqueTag, type Auth, type Expert } from '../helpers/factories';
import { bearer, createExpertWithKey, createKey, type TestKey } from '../helpers/keys';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let partner: TestKey;
let otherPartner: TestKey;
beforeAll(async () => {
  context = await startTestContext();
  partner = await createKey(context.app, context.adminKey, { role: 'partner' });
  otherPartner = await createKey(context.app, context.adminKey, { role: 'partner' });
});
afterAll(() => context.close());

const admin = () => bearer(context.adminKey);

async function listAll(app: Express, auth: Auth, query: string): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/v1/experts?${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await api(app).get(url).set(auth).expect(200);
    ids.push(...(response.body.items as Expert[]).map((expert) => expert.id));
    cursor = response.body.nextCursor;
    pages += 1;
  } while (cursor);
  return { ids, pages };
}

describe('POST /v1/experts', () => {
  it('creates a profile with defaults, Location and ETag', async () => {
    const { modes: _modes, capacity: _capacity, status: _status, ...input } = buildExpert();
    const response = await api(context.app).post('/v1/experts').set(admin()).send(input).expect(201);
    expect(response.body).toMatchObject({ ...input, modes: ['online'], capacity: 3, status: 'active', ratingCount: 0 });
    expect(response.headers.location).toBe(`/v1/experts/${response.body.id}`);
    expect(response.headers.etag).toBe('"r1"');
  });

  it('lets a partner create a profile', async () => {
    const input = buildExpert();
    const response = await api(context.app).post('/v1/experts').set(partner.auth).send(input).expect(201);
    expect(response.body.email).toBe(input.email);
  });

  it('refuses a second profile with the same e-mail in another case with 409', async () => {
    const skill = uniqueTag('amber-craft');
    const first = await createExpert(context.app, admin(), { skills: [skill] });
    const response = await api(context.app)
      .post('/v1/experts')
      .set(partner.auth)
      .send(buildExpert({ email: first.email.toUpperCase(), skills: [skill] }))
      .expect(409)
      .expect('Content-Type', /application\/problem\+json/);
    expect(response.body.code).toBe('duplicate');
    expect((await listAll(context.app, admin(), `skill=${skill}`)).ids).toEqual([first.id]);
  });

  it('stores the e-mail as given, with the domain in lower case', async () => {
    const local = uniqueTag('Ruta.Kazlauskiene');
    const expert = await createExpert(context.app, admin(), { email: `${local}@Example.org` });
    expect(expert.email).toBe(`${local}@example.org`);
  });
});

describe('GET /v1/experts', () => {
  it('filters by skill (case-insensitive), language, country and mode', async () => {
    const skill = uniqueTag('harbour lighting');
    const polish = await createExpert(context.app, admin(), { skills: [skill], languages: ['pl'], location: { country: 'PL', city: 'Gdynia' }, modes: ['online'] });
    const german = await createExpert(context.app, admin(), { skills: [skill], languages: ['de'], location: { country: 'DE', city: 'Stralsund' }, modes: ['onsite'] });
    const lithuanian = await createExpert(context.app, admin(), { skills: [skill], languages: ['lt'], location: { country: 'LT' }, modes: ['online', 'onsite'] });
    const query = `skill=${encodeURIComponent(skill.toUpperCase())}`;

    expect((await listAll(context.app, partner.auth, query)).ids).toEqual([polish.id, german.id, lithuanian.id]);
    expect((await listAll(context.app, partner.auth, `${query}&country=DE`)).ids).toEqual([german.id]);
    expect((await listAll(context.app, partner.auth, `${query}&language=lt`)).ids).toEqual([lithuanian.id]);
    expect((await listAll(context.app, partner.auth, `${query}&mode=onsite`)).ids).toEqual([german.id, lithuanian.id]);
    expect((await listAll(context.app, partner.auth, `${query}&mode=online&country=PL&language=pl`)).ids).toEqual([polish.id]);
  });

  it('pages through every match with opaque cursors, oldest first', async () => {
    const skill = uniqueTag('ceramics');
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push((await createExpert(context.app, partner.auth, { skills: [skill] })).id);
    const firstPage = await api(context.app).get(`/v1/experts?skill=${skill}&limit=2`).set(admin()).expect(200);
    expect(firstPage.body.items).toHaveLength(2);
    expect(firstPage.body.nextCursor).not.toContain(created[1]);

    const all = await listAll(context.app, admin(), `skill=${skill}&limit=2`);
    expect(all).toEqual({ ids: created, pages: 3 });
  });

  it('answers null as nextCursor when the page holds everything', async () => {
    const skill = uniqueTag('bookbinding');
    await createExpert(context.app, admin(), { skills: [skill] });
    const response = await api(context.app).get(`/v1/experts?skill=${skill}&limit=100`).set(admin()).expect(200);
    expect(response.body.items).toHaveLength(1);
    expect(response.body.nextCursor).toBeNull();
  });

  it('shows an expert key only its own profile', async () => {
    const { expert, key } = await createExpertWithKey(context.app, context.adminKey);
    await createExpert(context.app, admin());
    const response = await api(context.app).get('/v1/experts?limit=100').set(key.auth).expect(200);
    expect(response.body.items.map((item: Expert) => item.id)).toEqual([expert.id]);
  });

  it('lets a partner read profiles another partner created', async () => {
    const skill = uniqueTag('glass art');
    const expert = await createExpert(context.app, otherPartner.auth, { skills: [skill] });
    expect((await listAll(context.app, partner.auth, `skill=${skill}`)).ids).toEqual([expert.id]);
  });
});

describe('GET /v1/experts/{id}', () => {
  it('returns the profile with its ETag', async () => {
    const expert = await createExpert(context.app, partner.auth);
    const response = await api(context.app).get(`/v1/experts/${expert.id}`).set(otherPartner.auth).expect(200);
    expect(response.body).toEqual(expert);
    expect(response.headers.etag).toBe('"r1"');
  });

  it('answers 404 to an expert key reading another expert', async () => {
    const { key } = await createExpertWithKey(context.app, context.adminKey);
    const other = await createExpert(context.app, admin());
    const response = await api(context.app).get(`/v1/experts/${other.id}`).set(key.auth).expect(404);
    expect(response.body.code).toBe('not_found');
  });

  it('answers 404 for an id that was never used', async () => {
    await api(context.app).get('/v1/experts/0123456789abcdef01234567').set(admin()).expect(404);
  });
});

describe('PATCH /v1/experts/{id}', () => {
  async function etagOf(id: string): Promise<string> {
    return (await api(context.app).get(`/v1/experts/${id}`).set(admin()).expect(200)).headers.etag as string;
  }

  it('needs If-Match: 428 without it, and nothing changes', async () => {
    const expert = await createExpert(context.app, partner.auth);
    const response = await api(context.app).patch(`/v1/experts/${expert.id}`).set(partner.auth).send({ capacity: 1 }).expect(428);
    expect(response.body.code).toBe('precondition_required');
    expect((await api(context.app).get(`/v1/experts/${expert.id}`).set(admin())).body.capacity).toBe(expert.capacity);
  });

  it('applies a change with the current ETag, answers a new ETag, and keeps other fields', async () => {
    const expert = await createExpert(context.app, partner.auth);
    const response = await api(context.app)
      .patch(`/v1/experts/${expert.id}`)
      .set(partner.auth)
      .set('If-Match', await etagOf(expert.id))
      .send({ capacity: 1, status: 'paused' })
      .expect(200);
    expect(response.headers.etag).toBe('"r2"');
    expect(response.body).toEqual({ ...expert, capacity: 1, status: 'paused', updatedAt: response.body.updatedAt });
  });

  it('answers 412 for a stale ETag and keeps the newer change', async () => {
    const expert = await createExpert(context.app, partner.auth);
    const original = await etagOf(expert.id);
    await api(context.app).patch(`/v1/experts/${expert.id}`).set(admin()).set('If-Match', original).send({ capacity: 5 }).expect(200);
    const response = await api(context.app).patch(`/v1/experts/${expert.id}`).set(partner.auth).set('If-Match', original).send({ capacity: 0 }).expect(412);
    expect(response.body.code).toBe('precondition_failed');
    expect((await api(context.app).get(`/v1/experts/${expert.id}`).set(admin())).body.capacity).toBe(5);
  });

  it('clears an optional field sent as null', async () => {
    const expert = await createExpert(context.app, admin(), { headline: 'Textile designer' });
    const response = await api(context.app)
      .patch(`/v1/experts/${expert.id}`)
      .set(admin())
      .set('If-Match', await etagOf(expert.id))
      .send({ headline: null })
      .expect(200);
    expect(response.body).not.toHaveProperty('headline');
  });

  it('lets an expert key edit its own profile', async () => {
    const { expert, key } = await createExpertWithKey(context.app, context.adminKey);
    const response = await api(context.app)
      .patch(`/v1/experts/${expert.id}`)
      .set(key.auth)
      .set('If-Match', await etagOf(expert.id))
      .send({ skills: ['street art', 'murals'] })
      .expect(200);
    expect(response.body.skills).toEqual(['street art', 'murals']);
  });

  it('answers 404 to an expert key editing another expert', async () => {
    const { key } = await createExpertWithKey(context.app, context.adminKey);
    const other = await createExpert(context.app, admin());
    await api(context.app).patch(`/v1/experts/${other.id}`).set(key.auth).set('If-Match', await etagOf(other.id)).send({ capacity: 0 }).expect(404);
    expect((await api(context.app).get(`/v1/experts/${other.id}`).set(admin())).body.capacity).toBe(other.capacity);
  });

  it('answers 403 to a partner editing a profile another partner created', async () => {
    const expert = await createExpert(context.app, otherPartner.auth);
    const response = await api(context.app)
      .patch(`/v1/experts/${expert.id}`)
      .set(partner.auth)
      .set('If-Match', await etagOf(expert.id))
      .send({ name: 'Taken Over' })
      .expect(403);
    expect(response.body.code).toBe('forbidden');
    expect((await api(context.app).get(`/v1/experts/${expert.id}`).set(admin())).body.name).toBe(expert.name);
  });

  it('refuses to take another profile\'s e-mail with 409', async () => {
    const taken = await createExpert(context.app, admin());
    const expert = await createExpert(context.app, admin());
    const response = await api(context.app)
      .patch(`/v1/experts/${expert.id}`)
      .set(admin())
      .set('If-Match', await etagOf(expert.id))
      .send({ email: taken.email.toUpperCase() })
      .expect(409);
    expect(response.body.code).toBe('duplicate');
    expect((await api(context.app).get(`/v1/experts/${expert.id}`).set(admin())).body.email).toBe(expert.email);
  });

  it('accepts the corrected edit right after a refused one, with the same If-Match', async () => {
    const taken = await createExpert(context.app, admin());
    const expert = await createExpert(context.app, admin());
    const etag = await etagOf(expert.id);
    await api(context.app).patch(`/v1/experts/${expert.id}`).set(admin()).set('If-Match', etag).send({ email: taken.email }).expect(409);
    const corrected = await api(context.app).patch(`/v1/experts/${expert.id}`).set(admin()).set('If-Match', etag).send({ email: `fresh.${Date.now()}@example.org` }).expect(200);
    expect(corrected.body.email).toMatch(/^fresh\./);
  });
});

describe('DELETE /v1/experts/{id}', () => {
  it('lets the partner that created a profile erase it', async () => {
    const expert = await createExpert(context.app, partner.auth);
    await api(context.app).delete(`/v1/experts/${expert.id}`).set(partner.auth).expect(204);
    await api(context.app).get(`/v1/experts/${expert.id}`).set(admin()).expect(404);
  });

  it('answers 403 to another partner and keeps the profile', async () => {
    const expert = await createExpert(context.app, partner.auth);
    await api(context.app).delete(`/v1/experts/${expert.id}`).set(otherPartner.auth).expect(403);
    await api(context.app).get(`/v1/experts/${expert.id}`).set(admin()).expect(200);
  });

  it('answers 404 for a profile that does not exist', async () => {
    await api(context.app).delete('/v1/experts/0123456789abcdef01234567').set(admin()).expect(404);
  });
});
