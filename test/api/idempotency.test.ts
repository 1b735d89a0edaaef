import type { Response } from 'supertest';
import { api } from '../helpers/contract';
import { buildExpert, buildRequest, uniqueTag, type Auth } from '../helpers/factories';
import { bearer, createKey } from '../helpers/keys';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

const newKey = (role: 'partner' | 'requester') => createKey(context.app, context.adminKey, { role });

const postRequest = (auth: Auth, idempotencyKey: string, body: object) =>
  api(context.app).post('/v1/requests').set(auth).set('Idempotency-Key', idempotencyKey).send(body);
const postExpert = (auth: Auth, idempotencyKey: string, body: object) =>
  api(context.app).post('/v1/experts').set(auth).set('Idempotency-Key', idempotencyKey).send(body);

async function ownRequestIds(auth: Auth): Promise<string[]> {
  const response = await api(context.app).get('/v1/requests?limit=100').set(auth).expect(200);
  return response.body.items.map((item: { id: string }) => item.id);
}

async function expertIdsWithSkill(skill: string): Promise<string[]> {
  const response = await api(context.app).get(`/v1/experts?limit=100&skill=${encodeURIComponent(skill)}`).set(bearer(context.adminKey)).expect(200);
  return response.body.items.map((item: { id: string }) => item.id);
}

function expectOneWinner(responses: Response[]): string {
  expect(responses.map((response) => response.status).every((status) => status === 201 || status === 409)).toBe(true);
  const ids = new Set(responses.filter((response) => response.status === 201).map((response) => response.body.id as string));
  expect(ids.size).toBe(1);
  expect(responses.filter((response) => response.status === 201 && response.headers['idempotent-replayed'] === undefined)).toHaveLength(1);
  return [...ids][0]!;
}

describe('Idempotency-Key on POST /v1/requests', () => {
  it('answers a retry with the first response and creates nothing new', async () => {
    const key = await newKey('requester');
    const body = buildRequest();
    const first = await postRequest(key.auth, 'retry-1', body).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await postRequest(key.auth, 'retry-1', body).expect(201).expect('Idempotent-Replayed', 'true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(await ownRequestIds(key.auth)).toEqual([first.body.id]);
  });

  it('treats the same body with its fields in another order as the same request', async () => {
    const key = await newKey('requester');
    const body = buildRequest();
    const first = await postRequest(key.auth, 'reordered', body).expect(201);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const retry = await postRequest(key.auth, 'reordered', reordered).expect(201).expect('Idempotent-Replayed', 'true');
    expect(retry.body.id).toBe(first.body.id);
  });

  it('answers 422 for the same key with a different body and creates nothing', async () => {
    const key = await newKey('partner');
    const body = buildRequest();
    const first = await postRequest(key.auth, 'changed-body', body).expect(201);
    const response = await postRequest(key.auth, 'changed-body', { ...body, title: 'Another title' }).expect(422);
    expect(response.body.code).toBe('unprocessable');
    expect(await ownRequestIds(key.auth)).toEqual([first.body.id]);
  });

  it('scopes keys to the caller: another owner with the same key gets its own request', async () => {
    const [mine, theirs] = await Promise.all([newKey('partner'), newKey('partner')]);
    const body = buildRequest();
    const first = await postRequest(mine.auth, 'shared-key', body).expect(201);
    const other = await postRequest(theirs.auth, 'shared-key', body).expect(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(other.body.id).not.toBe(first.body.id);
    expect(await ownRequestIds(theirs.auth)).toEqual([other.body.id]);
  });

  it('creates exactly one request when ten identical calls race', async () => {
    const key = await newKey('requester');
    const body = buildRequest();
    const responses = await Promise.all(Array.from({ length: 10 }, () => postRequest(key.auth, 'race', body)));
    const id = expectOneWinner(responses);
    expect(await ownRequestIds(key.auth)).toEqual([id]);
  });

  it('creates two requests for two posts without a key', async () => {
    const key = await newKey('requester');
    const body = buildRequest();
    await api(context.app).post('/v1/requests').set(key.auth).send(body).expect(201);
    await api(context.app).post('/v1/requests').set(key.auth).send(body).expect(201);
    expect(await ownRequestIds(key.auth)).toHaveLength(2);
  });

  it.each([
    ['longer than 255 characters', 'k'.repeat(256)],
    ['with a space', 'two words'],
  ])('rejects a key %s with 400 and creates nothing', async (_name, idempotencyKey) => {
    const key = await newKey('requester');
    const response = await postRequest(key.auth, idempotencyKey, buildRequest()).expect(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ path: 'Idempotency-Key' })]);
    expect(await ownRequestIds(key.auth)).toEqual([]);
  });
});

describe('Idempotency-Key on POST /v1/experts', () => {
  it('answers a retry with the first response and creates no duplicate', async () => {
    const partner = await newKey('partner');
    const body = buildExpert({ skills: [uniqueTag('weaving')] });
    const first = await postExpert(partner.auth, 'expert-retry', body).expect(201);
    const retry = await postExpert(partner.auth, 'expert-retry', body).expect(201).expect('Idempotent-Replayed', 'true');
    expect(retry.body).toEqual(first.body);
    expect(await expertIdsWithSkill(body.skills[0]!)).toEqual([first.body.id]);
  });

  it('answers 422 for the same key with a different body', async () => {
    const partner = await newKey('partner');
    const skill = uniqueTag('lettering');
    const first = await postExpert(partner.auth, 'expert-changed', buildExpert({ skills: [skill] })).expect(201);
    const response = await postExpert(partner.auth, 'expert-changed', buildExpert({ skills: [skill] })).expect(422);
    expect(response.body.code).toBe('unprocessable');
    expect(await expertIdsWithSkill(skill)).toEqual([first.body.id]);
  });

  it('scopes keys to the caller: another partner with the same key creates its own profile', async () => {
    const [mine, theirs] = await Promise.all([newKey('partner'), newKey('partner')]);
    const skill = uniqueTag('puppetry');
    const first = await postExpert(mine.auth, 'expert-shared', buildExpert({ skills: [skill] })).expect(201);
    const other = await postExpert(theirs.auth, 'expert-shared', buildExpert({ skills: [skill] })).expect(201);
    expect(other.headers['idempotent-replayed']).toBeUndefined();
    expect(await expertIdsWithSkill(skill)).toEqual([first.body.id, other.body.id]);
  });

  it('creates exactly one profile when ten identical calls race', async () => {
    const partner = await newKey('partner');
    const body = buildExpert({ skills: [uniqueTag('amber jewellery')] });
    const responses = await Promise.all(Array.from({ length: 10 }, () => postExpert(partner.auth, 'expert-race', body)));
    const id = expectOneWinner(responses);
    expect(await expertIdsWithSkill(body.skills[0]!)).toEqual([id]);
  });

  it('frees the key after a failed first attempt, so a corrected retry succeeds', async () => {
    const partner = await newKey('partner');
    const skill = uniqueTag('film scoring');
    const taken = await postExpert(partner.auth, 'taken-email', buildExpert({ skills: [skill] })).expect(201);
    await postExpert(partner.auth, 'after-failure', buildExpert({ email: taken.body.email, skills: [skill] })).expect(409);
    const corrected = await postExpert(partner.auth, 'after-failure', buildExpert({ skills: [skill] })).expect(201);
    expect(corrected.headers['idempotent-replayed']).toBeUndefined();
    expect(await expertIdsWithSkill(skill)).toEqual([taken.body.id, corrected.body.id]);
  });

  it('keeps keys of different operations apart', async () => {
    const partner = await newKey('partner');
    await postRequest(partner.auth, 'same-key-two-routes', buildRequest()).expect(201);
    await postExpert(partner.auth, 'same-key-two-routes', buildExpert()).expect(201);
  });
});
