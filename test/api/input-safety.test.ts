import type { Response } from 'supertest';
import { api } from '../helpers/contract';
import { buildExpert, buildRequest, createExpert, createRequest, uniqueTag, type Expert } from '../helpers/factories';
import { bearer, createKey } from '../helpers/keys';
import { startTestContext, type TestContext } from '../helpers/test-context';

const errorPaths = (response: Response): string[] => [...new Set((response.body.errors as Array<{ path: string }>).map((error) => error.path))].sort();

describe('input validation and injection', () => {
  let context: TestContext;
  beforeAll(async () => {
    context = await startTestContext();
  });
  afterAll(() => context.close());

  const admin = () => bearer(context.adminKey);
  const expertsWithSkill = async (skill: string): Promise<Expert[]> =>
    (await api(context.app).get(`/v1/experts?skill=${encodeURIComponent(skill)}`).set(admin()).expect(200)).body.items;
  const currentExpert = async (id: string): Promise<Expert> => (await api(context.app).get(`/v1/experts/${id}`).set(admin()).expect(200)).body;
  const postRawExpert = (json: string) => api(context.app).post('/v1/experts').set(admin()).set('Content-Type', 'application/json').send(json);

  describe('POST /v1/experts', () => {
    it('names every bad field at once and stores nothing', async () => {
      const skill = uniqueTag('scenography');
      const body = { ...buildExpert({ skills: [skill] }), name: '', email: 'not-an-email', languages: ['PL'], capacity: 21, modes: ['hybrid'], location: { country: 'XX' } };
      const response = await api(context.app).post('/v1/experts').set(admin()).send(body).expect(400).expect('Content-Type', /application\/problem\+json/);
      expect(response.body.code).toBe('validation_failed');
      expect(errorPaths(response)).toEqual(['capacity', 'email', 'languages.0', 'location.country', 'modes.0', 'name']);
      expect(await expertsWithSkill(skill)).toEqual([]);
    });

    it('rejects unknown fields, naming each one, also when nested', async () => {
      const skill = uniqueTag('printmaking');
      const valid = buildExpert({ skills: [skill] });
      const response = await api(context.app)
        .post('/v1/experts')
        .set(admin())
        .send({ ...valid, nickname: 'Aga', location: { ...valid.location, altitude: 12 } })
        .expect(400);
      expect(errorPaths(response)).toEqual(['location.altitude', 'nickname']);
      expect(await expertsWithSkill(skill)).toEqual([]);
    });

    it('refuses server-managed fields such as ratingCount', async () => {
      const skill = uniqueTag('land art');
      const body = { ...buildExpert({ skills: [skill] }), ratingCount: 50, ownerId: '000000000000000000000000' };
      const response = await api(context.app).post('/v1/experts').set(admin()).send(body).expect(400);
      expect(await expertsWithSkill(skill)).toEqual([]);
      expect(errorPaths(response)).toEqual(['ownerId', 'ratingCount']);
    });

    it('trims strings before storing them', async () => {
      const expert = await createExpert(context.app, admin(), { name: '  Ana  ', location: { country: 'PL', city: ' Kołobrzeg ' } });
      expect(await currentExpert(expert.id)).toMatchObject({ name: 'Ana', location: { city: 'Kołobrzeg' } });
    });

    it('accepts a 120-character name but rejects 121 characters', async () => {
      await api(context.app).post('/v1/experts').set(admin()).send(buildExpert({ name: 'A'.repeat(120) })).expect(201);
      const skill = uniqueTag('calligraphy');
      const response = await api(context.app).post('/v1/experts').set(admin()).send(buildExpert({ name: 'A'.repeat(121), skills: [skill] })).expect(400);
      expect(errorPaths(response)).toEqual(['name']);
      expect(await expertsWithSkill(skill)).toEqual([]);
    });

    it('rejects a name that is only whitespace', async () => {
      const skill = uniqueTag('embroidery');
      const response = await api(context.app).post('/v1/experts').set(admin()).send(buildExpert({ name: '   ', skills: [skill] })).expect(400);
      expect(errorPaths(response)).toEqual(['name']);
      expect(await expertsWithSkill(skill)).toEqual([]);
    });

    it('rejects a JSON array as the body', async () => {
      const skill = uniqueTag('pottery');
      await postRawExpert(JSON.stringify([buildExpert({ skills: [skill] })])).expect(400);
      expect(await expertsWithSkill(skill)).toEqual([]);
    });

    it('answers malformed JSON with 400', async () => {
      const response = await postRawExpert('{"name": "Ana",').expect(400);
      expect(response.body.code).toBe('malformed_json');
    });

    it('answers a body that does not inflate as its Content-Encoding says with 400', async () => {
      for (const encoding of ['gzip', 'deflate', 'br']) {
        const response = await api(context.app).post('/v1/experts').set(admin()).set('Content-Type', 'application/json').set('Content-Encoding', encoding).send('not compressed').expect(400);
        expect(response.body.code).toBe('malformed_json');
      }
    });

    it('refuses text with an unpaired surrogate, naming the field, and stores nothing', async () => {
      const skill = uniqueTag('lacquer');
      const json = JSON.stringify(buildExpert({ skills: [skill], headline: 'Lone SURROGATE here' })).replace('SURROGATE', '\\ud800');
      const response = await postRawExpert(json).expect(400);
      expect(response.body.code).toBe('validation_failed');
      expect(errorPaths(response)).toEqual(['headline']);
      expect(await expertsWithSkill(skill)).toEqual([]);
      await postRawExpert(JSON.stringify(buildExpert({ skills: [uniqueTag('emoji')], headline: 'Paired surrogates are fine 🎨' }))).expect(201);
    });

    it('refuses a body that is not JSON with 415 and stores nothing', async () => {
      const skill = uniqueTag('weaving');
      const form = new URLSearchParams({ name: 'Ana', email: 'ana@example.org', skills: skill }).toString();
      const response = await api(context.app).post('/v1/experts').set(admin()).set('Content-Type', 'application/x-www-form-urlencoded').send(form).expect(415);
      expect(response.body.code).toBe('unsupported_media_type');
      expect(await expertsWithSkill(skill)).toEqual([]);
    });

    it('refuses a body over 100 kB with 413 and stores nothing', async () => {
      const skill = uniqueTag('murals');
      const response = await api(context.app).post('/v1/experts').set(admin()).send(buildExpert({ skills: [skill], bio: 'x'.repeat(101 * 1024) })).expect(413);
      expect(response.body.code).toBe('payload_too_large');
      expect(await expertsWithSkill(skill)).toEqual([]);
    });
  });

  describe('injection through bodies', () => {
    it.each([
      ['an operator object as the e-mail', (body: object) => ({ ...body, email: { $gt: '' } }), ['email']],
      ['a $where clause', (body: object) => ({ ...body, $where: 'sleep(1000)' }), ['$where']],
      ['a key with a dot', (body: object) => ({ ...body, 'location.country': 'DE' }), ['location.country']],
      ['an operator inside a nested object', (body: object) => ({ ...body, location: { $ne: null } }), ['location.$ne', 'location.country']],
    ])('rejects %s with 400 and stores nothing', async (_name, mutate, paths) => {
      const skill = uniqueTag('wood carving');
      const response = await api(context.app).post('/v1/experts').set(admin()).send(mutate(buildExpert({ skills: [skill] }))).expect(400);
      expect(errorPaths(response)).toEqual(paths);
      expect(await expertsWithSkill(skill)).toEqual([]);
    });

    it.each(['__proto__', 'constructor'])('rejects a %s key without polluting any prototype', async (key) => {
      const skill = uniqueTag('stained glass');
      const json = JSON.stringify(buildExpert({ skills: [skill] })).replace(/^\{/, `{"${key}": {"polluted": true, "prototype": {"polluted": true}},`);
      const response = await postRawExpert(json).expect(400);
      expect(errorPaths(response)).toEqual([key]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await expertsWithSkill(skill)).toEqual([]);
    });

    it('rejects update operators in a PATCH and leaves the profile unchanged', async () => {
      const expert = await createExpert(context.app, admin());
      const response = await api(context.app)
        .patch(`/v1/experts/${expert.id}`)
        .set(admin())
        .set('If-Match', '"r1"')
        .send({ $set: { email: 'attacker@example.org' }, $inc: { ratingCount: 10 } })
        .expect(400);
      expect(errorPaths(response)).toEqual(expect.arrayContaining(['$inc', '$set']));
      expect(await currentExpert(expert.id)).toEqual(expert);
    });

    it('rejects a PATCH that tries to move a request to another stage or owner', async () => {
      const request = await createRequest(context.app, admin());
      const response = await api(context.app)
        .patch(`/v1/requests/${request.id}`)
        .set(admin())
        .set('If-Match', '"r1"')
        .send({ stage: 'completed', ownerId: '000000000000000000000000', title: '' })
        .expect(400);
      expect(errorPaths(response)).toEqual(['ownerId', 'stage', 'title']);
      expect((await api(context.app).get(`/v1/requests/${request.id}`).set(admin()).expect(200)).body).toEqual(request);
    });

    it('rejects an empty PATCH', async () => {
      const request = await createRequest(context.app, admin());
      await api(context.app).patch(`/v1/requests/${request.id}`).set(admin()).set('If-Match', '"r1"').send({}).expect(400);
      expect((await api(context.app).get(`/v1/requests/${request.id}`).set(admin()).expect(200)).headers.etag).toBe('"r1"');
    });

    it('names every bad field of a request at once', async () => {
      const body = { ...buildRequest(), organization: { name: 'Stadtmuseum', type: 'museum', country: 'XX' }, mode: 'hybrid', deadline: '30.04.2027', budget: { amount: -5, currency: 'euro' } };
      const response = await api(context.app).post('/v1/requests').set(admin()).send(body).expect(400);
      expect(errorPaths(response)).toEqual(['budget.amount', 'budget.currency', 'deadline', 'mode', 'organization.country', 'organization.type']);
    });
  });

  describe('country and language codes', () => {
    it.each([
      ['location.country', 'Poland', { location: { country: 'Poland' } }],
      ['location.country', '1', { location: { country: '1' } }],
      ['languages.0', 'e1', { languages: ['e1'] }],
    ])('answers 400 naming %s for %p, which is not a code at all', async (path, _value, override) => {
      const skill = uniqueTag('street theatre');
      const response = await api(context.app).post('/v1/experts').set(admin()).send(buildExpert({ skills: [skill], ...override })).expect(400);
      expect(errorPaths(response)).toEqual([path]);
      expect(await expertsWithSkill(skill)).toEqual([]);
    });

    it.each([
      ['/v1/experts?country=Germany', 'country'],
      ['/v1/experts?language=e1', 'language'],
      ['/v1/requests?country=Lithuania', 'country'],
    ])('answers 400 to GET %s naming %s', async (url, path) => {
      const response = await api(context.app).get(url).set(admin()).expect(400);
      expect(errorPaths(response)).toEqual([path]);
    });
  });

  describe('query strings', () => {
    it.each([
      ['/v1/experts?limit=0', 'limit'],
      ['/v1/experts?limit=101', 'limit'],
      ['/v1/experts?limit=abc', 'limit'],
      ['/v1/experts?limit=2.5', 'limit'],
      ['/v1/experts?colour=blue', 'colour'],
      ['/v1/experts?cursor=not-a-cursor', 'cursor'],
      [`/v1/experts?cursor=${'a'.repeat(201)}`, 'cursor'],
      [`/v1/experts?cursor=${Buffer.from(`v1:${'x'.repeat(24)}`).toString('base64url')}`, 'cursor'],
      ['/v1/experts?country=pl', 'country'],
      ['/v1/experts?language=PL', 'language'],
      ['/v1/experts?mode=hybrid', 'mode'],
      ['/v1/experts?skill[$ne]=x', 'skill[$ne]'],
      ['/v1/experts?skill=a&skill=b', 'skill'],
      ['/v1/requests?country[$ne]=PL', 'country[$ne]'],
      ['/v1/requests?stage=done', 'stage'],
      ['/v1/requests?limit=-1', 'limit'],
    ])('answers 400 to GET %s naming %s', async (url, path) => {
      const response = await api(context.app).get(url).set(admin()).expect(400);
      expect(errorPaths(response)).toEqual([path]);
    });

    it('takes an operator-looking skill literally', async () => {
      await createExpert(context.app, admin());
      const response = await api(context.app).get(`/v1/experts?skill=${encodeURIComponent('{"$ne":null}')}`).set(admin()).expect(200);
      expect(response.body.items).toEqual([]);
    });
  });

  describe('path ids', () => {
    it.each(['not-an-id', 'x'.repeat(24), '6650A1B2C3D4E5F601234567', '{"$gt":""}', '6650a1b2c3d4e5f6012345678'])('answers 400 for the id %s', async (id) => {
      const encoded = encodeURIComponent(id);
      for (const url of [`/v1/experts/${encoded}`, `/v1/experts/${encoded}/export`, `/v1/requests/${encoded}`]) {
        const response = await api(context.app).get(url).set(admin()).expect(400);
        expect(errorPaths(response)).toEqual(['id']);
      }
      await api(context.app).delete(`/v1/experts/${encoded}`).set(admin()).expect(400);
      await api(context.app).patch(`/v1/requests/${encoded}`).set(admin()).set('If-Match', '"r1"').send({ title: 'x' }).expect(400);
    });

    it('refuses a body on an operation that takes none, and changes nothing', async () => {
      const expert = await createExpert(context.app, admin());
      const refused = await api(context.app).delete(`/v1/experts/${expert.id}`).set(admin()).send({ confirm: true }).expect(400);
      expect(errorPaths(refused)).toEqual(['confirm']);
      await api(context.app).get(`/v1/experts/${expert.id}`).set(admin()).expect(200);
      const request = await createRequest(context.app, admin());
      await api(context.app).post(`/v1/requests/${request.id}/start`).set(admin()).send([1]).expect(400);
      await api(context.app).post(`/v1/requests/${request.id}/reopen`).set(admin()).send({ note: 'please' }).expect(400);
      expect((await api(context.app).get(`/v1/requests/${request.id}`).set(admin()).expect(200)).body.history).toHaveLength(1);
      await api(context.app).delete(`/v1/experts/${expert.id}`).set(admin()).send({}).expect(204);
    });

    it('answers 400 for a path that is not valid percent-encoding', async () => {
      for (const path of ['/v1/experts/%ZZ', '/v1/requests/%E0%A4%A/matches']) {
        const response = await api(context.app).get(path).set(admin());
        expect([path, response.status, response.body.code]).toEqual([path, 400, 'validation_failed']);
      }
      await api(context.app).post('/v1/invitations/%/accept').set(admin()).expect(400);
    });

    it('answers 404 for a well-formed id that matches nothing', async () => {
      const id = '000000000000000000000000';
      await api(context.app).get(`/v1/experts/${id}`).set(admin()).expect(404);
      await api(context.app).get(`/v1/requests/${id}`).set(admin()).expect(404);
      await api(context.app).patch(`/v1/experts/${id}`).set(admin()).set('If-Match', '"r1"').send({ capacity: 1 }).expect(404);
      await api(context.app).delete(`/v1/api-keys/${id}`).set(admin()).expect(404);
    });
  });
});

describe('rate limiting', () => {
  let context: TestContext;
  beforeAll(async () => {
    context = await startTestContext({ RATE_LIMIT_PER_MINUTE: '5' });
  });
  afterAll(() => context.close());

  it('answers the 6th call of a key with 429 and RateLimit headers, while another key is still served', async () => {
    const busy = await createKey(context.app, context.adminKey, { role: 'partner' });
    const quiet = await createKey(context.app, context.adminKey, { role: 'partner' });
    for (let call = 1; call <= 5; call += 1) {
      const response = await api(context.app).get('/v1/experts').set(busy.auth).expect(200);
      expect(response.headers.ratelimit).toBeDefined();
    }
    const limited = await api(context.app).get('/v1/experts').set(busy.auth).expect(429).expect('Content-Type', /application\/problem\+json/);
    expect(limited.body.code).toBe('rate_limited');
    expect(limited.headers.ratelimit).toMatch(/remaining=0/);
    expect(limited.headers['ratelimit-policy']).toMatch(/^5;/);
    await api(context.app).get('/v1/experts').set(quiet.auth).expect(200);
  });
});
