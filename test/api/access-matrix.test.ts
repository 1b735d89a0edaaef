import request, { type Test } from 'supertest';
import { api } from '../helpers/contract';
import { buildExpert, buildRequest, createRequest, type Auth } from '../helpers/factories';
import { bearer, createExpertWithKey, createKey } from '../helpers/keys';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  // Every row builds its own world through the admin key, far beyond the default per-key limit.
  context = await startTestContext({ RATE_LIMIT_PER_MINUTE: '100000' });
});
afterAll(() => context.close());

const ACTORS = ['nobody', 'admin', 'partner', 'other partner', 'requester', 'expert', 'other expert'] as const;
type Actor = (typeof ACTORS)[number];

/** A fresh set of callers and objects: the expert profile and the request belong to `partner`, the expert key acts for that profile. */
interface World {
  auth: Record<Actor, Auth | undefined>;
  expertId: string;
  requestId: string;
  spareKeyId: string;
}

async function buildWorld(): Promise<World> {
  const { app, adminKey } = context;
  const [partner, otherPartner, requester, spare, otherExpert] = await Promise.all([
    createKey(app, adminKey, { role: 'partner' }),
    createKey(app, adminKey, { role: 'partner' }),
    createKey(app, adminKey, { role: 'requester' }),
    createKey(app, adminKey, { role: 'requester' }),
    createExpertWithKey(app, adminKey),
  ]);
  const [{ key: expertKey, expert }, ownRequest] = await Promise.all([
    createExpertWithKey(app, adminKey, { creator: partner.auth }),
    createRequest(app, partner.auth),
  ]);
  return {
    auth: {
      nobody: undefined,
      admin: bearer(adminKey),
      partner: partner.auth,
      'other partner': otherPartner.auth,
      requester: requester.auth,
      expert: expertKey.auth,
      'other expert': otherExpert.key.auth,
    },
    expertId: expert.id,
    requestId: ownRequest.id,
    spareKeyId: spare.id,
  };
}

interface Route {
  name: string;
  call: (world: World) => Test;
  expected: Record<Actor, number>;
}

const statuses = (...codes: number[]): Record<Actor, number> => Object.fromEntries(ACTORS.map((actor, i) => [actor, codes[i]!])) as Record<Actor, number>;
const client = () => api(context.app);

const ROUTES: Route[] = [
  {
    name: 'POST /v1/api-keys',
    call: () => client().post('/v1/api-keys').send({ role: 'requester', label: 'Koszalin library' }),
    expected: statuses(401, 201, 403, 403, 403, 403, 403),
  },
  {
    name: 'DELETE /v1/api-keys/{id}',
    call: (world) => client().delete(`/v1/api-keys/${world.spareKeyId}`),
    expected: statuses(401, 204, 403, 403, 403, 403, 403),
  },
  { name: 'POST /v1/experts', call: () => client().post('/v1/experts').send(buildExpert()), expected: statuses(401, 201, 201, 201, 403, 403, 403) },
  { name: 'GET /v1/experts', call: () => client().get('/v1/experts'), expected: statuses(401, 200, 200, 200, 403, 200, 200) },
  { name: 'GET /v1/experts/{id}', call: (world) => client().get(`/v1/experts/${world.expertId}`), expected: statuses(401, 200, 200, 200, 403, 200, 404) },
  {
    name: 'PATCH /v1/experts/{id}',
    call: (world) => client().patch(`/v1/experts/${world.expertId}`).set('If-Match', '"r1"').send({ capacity: 2 }),
    expected: statuses(401, 200, 200, 403, 403, 200, 404),
  },
  { name: 'DELETE /v1/experts/{id}', call: (world) => client().delete(`/v1/experts/${world.expertId}`), expected: statuses(401, 204, 204, 403, 403, 204, 404) },
  {
    name: 'GET /v1/experts/{id}/export',
    call: (world) => client().get(`/v1/experts/${world.expertId}/export`),
    expected: statuses(401, 200, 403, 403, 403, 200, 404),
  },
  { name: 'POST /v1/requests', call: () => client().post('/v1/requests').send(buildRequest()), expected: statuses(401, 201, 201, 201, 201, 403, 403) },
  { name: 'GET /v1/requests', call: () => client().get('/v1/requests'), expected: statuses(401, 200, 200, 200, 200, 200, 200) },
  { name: 'GET /v1/requests/{id}', call: (world) => client().get(`/v1/requests/${world.requestId}`), expected: statuses(401, 200, 200, 404, 404, 404, 404) },
  {
    name: 'PATCH /v1/requests/{id}',
    call: (world) => client().patch(`/v1/requests/${world.requestId}`).set('If-Match', '"r1"').send({ title: 'Revised visitor route' }),
    expected: statuses(401, 200, 200, 404, 404, 403, 403),
  },
];

const CASES = ROUTES.flatMap((route) => ACTORS.map((actor) => ({ route: route.name, actor, status: route.expected[actor], call: route.call })));

describe('access matrix', () => {
  it.each(CASES)('$route answers $status to $actor', async ({ actor, status, call }) => {
    const world = await buildWorld();
    const auth = world.auth[actor];
    const pending = call(world);
    const response = await (auth ? pending.set(auth) : pending);
    expect(response.status).toBe(status);
  });
});

describe('public routes', () => {
  it('serves the OpenAPI document as YAML without a key', async () => {
    const response = await api(context.app).get('/openapi.yaml').expect(200).expect('Content-Type', /application\/yaml/);
    expect(response.text.startsWith('openapi: 3.1')).toBe(true);
  });

  it('serves the API reference from local assets only, with nothing inline', async () => {
    const response = await api(context.app).get('/docs').expect(200).expect('Content-Type', /text\/html/);
    const assets = [...response.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(assets).toEqual(expect.arrayContaining(['/docs/assets/swagger-ui-bundle.js']));
    expect(assets.every((asset) => asset.startsWith('/docs/assets/'))).toBe(true);
    expect(response.text).not.toMatch(/https?:\/\//);
    expect(response.text).not.toMatch(/<script>/);
    // The assets are files served beside the API, not operations of the contract, so plain supertest fetches them.
    for (const asset of assets) await request(context.app).get(asset).expect(200);
  });

  it('serves the Swagger UI bundle as JavaScript', async () => {
    // A static asset outside openapi.yaml: plain supertest.
    const response = await request(context.app).get('/docs/assets/swagger-ui-bundle.js').expect(200).expect('Content-Type', /javascript/);
    expect(response.text).toContain('SwaggerUIBundle');
  });
});
