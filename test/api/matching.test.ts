import { api } from '../helpers/contract';
import { buildTestApp, startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: { Authorization: string };

beforeAll(async () => {
  context = await startTestContext();
  admin = { Authorization: `Bearer ${context.adminKey}` };
});
afterAll(() => context.close());

let sequence = 0;
const uniqueEmail = () => `expert.${Date.now()}.${(sequence += 1)}@example.org`;

async function createExpert(overrides: Record<string, unknown> = {}) {
  const body = {
    name: 'Jonas Petrauskas',
    email: uniqueEmail(),
    headline: 'Exhibition designer for maritime museums',
    bio: 'I design exhibitions, visitor routes and scenography for museums on the Lithuanian coast.',
    skills: ['exhibition design', 'scenography'],
    languages: ['lt', 'en'],
    location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
    modes: ['online', 'onsite'],
    ...overrides,
  };
  const response = await api(context.app).post('/v1/experts').set(admin).send(body).expect(201);
  return response.body as { id: string };
}

async function createRequest(overrides: Record<string, unknown> = {}) {
  const body = {
    organization: { name: 'Palangos kurorto muziejus', type: 'cultural', country: 'LT' },
    title: 'Nauja ekspozicija apie gintarą',
    description: 'Ieškome parodų dizainerio, kuris padėtų suprojektuoti naują ekspoziciją ir lankytojų maršrutą muziejuje.',
    skills: ['exhibition design'],
    languages: ['lt'],
    location: { country: 'LT', city: 'Palanga', lat: 55.9175, lon: 21.0686 },
    mode: 'onsite',
    ...overrides,
  };
  const response = await api(context.app).post('/v1/requests').set(admin).send(body).expect(201);
  return response.body as { id: string };
}

const matchIds = async (requestId: string): Promise<string[]> => {
  const response = await api(context.app).get(`/v1/requests/${requestId}/matches?limit=50`).set(admin).expect(200);
  return (response.body.items as Array<{ expertId: string }>).map((item) => item.expertId);
};

describe('GET /v1/requests/{id}/matches', () => {
  it('ranks feasible experts with a score, a breakdown and reasons', async () => {
    const fitting = await createExpert();
    const request = await createRequest();
    const response = await api(context.app).get(`/v1/requests/${request.id}/matches`).set(admin).expect(200);
    const first = response.body.items.find((item: { expertId: string }) => item.expertId === fitting.id);
    expect(first).toMatchObject({ rank: expect.any(Number), expert: { name: 'Jonas Petrauskas' } });
    expect(first.score).toBeGreaterThan(0);
    expect(first.reasons).toContainEqual({ code: 'shared_skills', params: { skills: [{ concept: 'exhibition-design' }] }, message: 'Shares skills: exhibition design' });
    expect(first.reasons).toContainEqual({ code: 'speaks_first_language', params: { language: 'lt' }, message: "Speaks the request's first language, Lithuanian" });
  });

  it('never ranks an expert who shares no language or does not work onsite', async () => {
    const germanOnly = await createExpert({ languages: ['de'], location: { country: 'DE', city: 'Rostock' } });
    const onlineOnly = await createExpert({ modes: ['online'] });
    const request = await createRequest();
    const ids = await matchIds(request.id);
    expect(ids).not.toContain(germanOnly.id);
    expect(ids).not.toContain(onlineOnly.id);
  });

  it('answers 404 for another owner’s request', async () => {
    const request = await createRequest();
    const partner = await api(context.app).post('/v1/api-keys').set(admin).send({ role: 'partner', label: 'other partner' }).expect(201);
    await api(context.app).get(`/v1/requests/${request.id}/matches`).set({ Authorization: `Bearer ${partner.body.key}` }).expect(404);
  });

  it('rejects a limit above 50', async () => {
    const request = await createRequest();
    const response = await api(context.app).get(`/v1/requests/${request.id}/matches?limit=51`).set(admin).expect(400);
    expect(response.body.errors[0].path).toBe('limit');
  });
});

describe('expert writes change the next match result at once', () => {
  it('reflects create, edit, pause, resume and erasure', async () => {
    const request = await createRequest({ languages: ['sv'], organization: { name: 'Karlshamns museum', type: 'cultural', country: 'SE' }, location: { country: 'SE', city: 'Karlshamn' } });
    const created = await createExpert({ languages: ['sv'], location: { country: 'SE', city: 'Karlskrona' } });
    expect(await matchIds(request.id)).toContain(created.id);

    const read = await api(context.app).get(`/v1/experts/${created.id}`).set(admin).expect(200);
    const paused = await api(context.app).patch(`/v1/experts/${created.id}`).set(admin).set('If-Match', String(read.headers.etag)).send({ status: 'paused' }).expect(200);
    expect(await matchIds(request.id)).not.toContain(created.id);

    await api(context.app).patch(`/v1/experts/${created.id}`).set(admin).set('If-Match', String(paused.headers.etag)).send({ status: 'active', languages: ['de'] }).expect(200);
    expect(await matchIds(request.id)).not.toContain(created.id);
    const verdict = await api(context.app).get(`/v1/requests/${request.id}/matches/${created.id}`).set(admin).expect(200);
    expect(verdict.body.exclusions.map((exclusion: { code: string }) => exclusion.code)).toEqual(['no_shared_language']);

    await api(context.app).delete(`/v1/experts/${created.id}`).set(admin).expect(204);
    await api(context.app).get(`/v1/requests/${request.id}/matches/${created.id}`).set(admin).expect(404);
  });

  it('reaches another API instance through Redis', async () => {
    const other = buildTestApp(context.config);
    await other.services.matching.warmUp();
    const request = await createRequest({ languages: ['pl'], organization: { name: 'Biblioteka Elbląg', type: 'cultural', country: 'PL' }, location: { country: 'PL', city: 'Elbląg' } });
    const expert = await createExpert({ languages: ['pl'], location: { country: 'PL', city: 'Elbląg' } });
    const seenByOther = async () => {
      const response = await api(other.app).get(`/v1/requests/${request.id}/matches?limit=50`).set(admin).expect(200);
      return response.body.items.map((item: { expertId: string }) => item.expertId) as string[];
    };
    await expect(eventually(seenByOther)).resolves.toContain(expert.id);
    await api(context.app).delete(`/v1/experts/${expert.id}`).set(admin).expect(204);
    await expect(eventually(async () => ((await seenByOther()).includes(expert.id) ? [] : ['gone']))).resolves.toEqual(['gone']);
    await other.close();
  });
});

async function eventually<T extends unknown[]>(probe: () => Promise<T>, timeoutMs = 3000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await probe();
  while (last.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}

describe('GET /v1/requests/{id}/matches/{expertId}', () => {
  it('explains an excluded expert with every hard constraint that excludes them', async () => {
    const expert = await createExpert({ languages: ['de'], modes: ['online'], status: 'paused', location: { country: 'DE', city: 'Stralsund' } });
    const request = await createRequest();
    const response = await api(context.app).get(`/v1/requests/${request.id}/matches/${expert.id}`).set(admin).expect(200);
    expect(response.body.feasible).toBe(false);
    expect(response.body.exclusions.map((exclusion: { code: string }) => exclusion.code).sort()).toEqual(['mode_mismatch', 'no_shared_language', 'paused']);
  });
});

describe('GET /v1/experts/{id}/matches', () => {
  it('lists open requests that fit the expert, for the expert’s own key', async () => {
    const expert = await createExpert();
    const request = await createRequest();
    const key = await api(context.app).post('/v1/api-keys').set(admin).send({ role: 'expert', label: 'own', expertId: expert.id }).expect(201);
    const response = await api(context.app).get(`/v1/experts/${expert.id}/matches`).set({ Authorization: `Bearer ${key.body.key}` }).expect(200);
    expect(response.body.items.map((item: { requestId: string }) => item.requestId)).toContain(request.id);
    const other = await createExpert();
    await api(context.app).get(`/v1/experts/${other.id}/matches`).set({ Authorization: `Bearer ${key.body.key}` }).expect(404);
  });
});

describe('GET /v1/skills', () => {
  it.each([
    ['wysta', 'pl'],
    ['Ausstellungs', 'de'],
    ['parod', 'lt'],
    ['utställ', 'sv'],
  ])('suggests exhibition design for "%s" (%s)', async (q, lang) => {
    const response = await api(context.app).get(`/v1/skills?q=${encodeURIComponent(q)}&lang=${lang}`).set(admin).expect(200);
    expect(response.body.items.map((item: { id: string }) => item.id)).toContain('exhibition-design');
  });

  it('requires q', async () => {
    await api(context.app).get('/v1/skills').set(admin).expect(400);
  });
});
