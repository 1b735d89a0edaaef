import mongoose from 'mongoose';
import { expertRepository } from '../../src/experts/expert.repository';
import { api } from '../helpers/contract';
import { createKey as createTestKey } from '../helpers/keys';
import { bearer, createExpert, createKey, invitationsOf, requestBody, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;
beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'off', MAX_OPEN_REQUESTS_PER_OWNER: '3', MAX_OPEN_REQUESTS_PER_PARTNER: '4' }, { workers: true });
  admin = bearer(context.adminKey);
  // Someone to match, so requests stay open (a request nobody could match is unmatched and no longer counts).
  await createExpert(context.app, admin, { capacity: 20 });
});
afterAll(() => context.close());

const submit = (auth: Auth) => api(context.app).post('/v1/requests').set(auth).send(requestBody());

async function ownRequests(auth: Auth): Promise<Array<{ id: string; stage: string }>> {
  return (await api(context.app).get('/v1/requests?limit=100').set(auth).expect(200)).body.items;
}

describe('MAX_OPEN_REQUESTS_PER_OWNER', () => {
  it('gives a burst across two keys of one requester exactly the cap, and 429 problems saying why to the rest', async () => {
    const first = await createTestKey(context.app, context.adminKey, { role: 'requester' });
    const second = (await createTestKey(context.app, context.adminKey, { role: 'requester', ownerId: first.ownerId })).auth;
    const responses = await Promise.all(Array.from({ length: 8 }, (_, index) => submit(index % 2 === 0 ? first.auth : second)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429, 429, 429]);
    for (const refused of responses.filter((response) => response.status === 429)) {
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.body).toMatchObject({ type: '/problems/too-many-open-requests', status: 429, code: 'too_many_open_requests', limit: 3 });
      expect(refused.body.detail).toMatch(/already has 3 open requests/);
    }
    expect(await ownRequests(second)).toHaveLength(3);
  });

  it('frees a place when an open request is cancelled', async () => {
    const requester = await createKey(context.app, admin, { role: 'requester' });
    const ids = [await submitRequest(context.app, requester), await submitRequest(context.app, requester), await submitRequest(context.app, requester)];
    await submit(requester).expect(429);
    await api(context.app).post(`/v1/requests/${ids[0]}/cancel`).set(requester).send({ reason: 'filed twice' }).expect(200);
    await submit(requester).expect(201);
    await submit(requester).expect(429);
  });

  it('gives a partner the higher MAX_OPEN_REQUESTS_PER_PARTNER and an admin no cap', async () => {
    const partner = await createKey(context.app, admin, { role: 'partner' });
    for (let index = 0; index < 4; index += 1) await submit(partner).expect(201);
    expect((await submit(partner).expect(429)).body.limit).toBe(4);
    for (let index = 0; index < 6; index += 1) await submit(admin).expect(201);
  });
});

describe('pending invitations per expert', () => {
  it('refuses a manual invitation beyond the expert’s free slots with a 409 that says so', async () => {
    const expert = await createExpert(context.app, admin, { capacity: 2 });
    const partner = await createKey(context.app, admin, { role: 'partner' });
    const requestIds = [await submitRequest(context.app, partner), await submitRequest(context.app, partner), await submitRequest(context.app, partner)];
    await Promise.all(requestIds.map((id) => waitForStage(context.app, partner, id, 'matched')));
    const invite = (requestId: string) => api(context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId: expert.id });
    await invite(requestIds[0]!).expect(201);
    await invite(requestIds[1]!).expect(201);
    const refused = await invite(requestIds[2]!).expect(409);
    expect(refused.body.exclusions).toEqual([{ code: 'invitations_full', message: expect.any(String) }]);
    expect(refused.body.detail).toMatch(/as many pending invitations as free consultation slots/);
    expect(await expertRepository.findById(expert.id)).toMatchObject({ pendingInvitations: 2, activeConsultations: 0 });
    const explained = await api(context.app).get(`/v1/requests/${requestIds[2]}/matches/${expert.id}`).set(partner).expect(200);
    expect(explained.body).toMatchObject({ feasible: false, exclusions: [{ code: 'invitations_full', message: 'Already has 2 pending invitations for 2 free slots' }] });
    expect((await api(context.app).get(`/v1/requests/${requestIds[2]}`).set(partner).expect(200)).body.stage).toBe('matched');
    expect(await invitationsOf(context.app, admin, requestIds[2]!)).toEqual([]);
  });

  it('lets twenty simultaneous invitations of one expert with two free slots give exactly two', async () => {
    const expert = await createExpert(context.app, admin, { capacity: 2 });
    const requestIds = await Promise.all(Array.from({ length: 20 }, () => submitRequest(context.app, admin)));
    await Promise.all(requestIds.map((id) => waitForStage(context.app, admin, id, 'matched', 20_000)));
    const responses = await Promise.all(requestIds.map((id) => api(context.app).post(`/v1/requests/${id}/invitations`).set(admin).send({ expertId: expert.id })));
    expect(responses.filter((response) => response.status === 201)).toHaveLength(2);
    expect(responses.filter((response) => response.status === 409)).toHaveLength(18);
    expect(await expertRepository.findById(expert.id)).toMatchObject({ pendingInvitations: 2 });
  });
});

describe('the open-request audit', () => {
  const HOUR = 60 * 60 * 1000;
  const countOf = async (ownerId: string) => (await mongoose.connection.collection('owner_open_requests').findOne({ _id: ownerId } as never))?.open;

  it('corrects a count that drifted (a process died before giving a place back) only when two audits agree', async () => {
    const requester = await createTestKey(context.app, context.adminKey, { role: 'requester' });
    await submitRequest(context.app, requester.auth);
    await submitRequest(context.app, requester.auth);
    expect(await countOf(requester.ownerId)).toBe(2);
    // What a process dying between cancelling a request and giving its place back leaves behind.
    await mongoose.connection.collection('owner_open_requests').updateOne({ _id: requester.ownerId } as never, { $set: { open: 3 } });
    const start = Date.now();
    expect(await context.services.auditOpenRequests(new Date(start))).toMatchObject({ suspected: 1, corrected: 0 });
    expect(await countOf(requester.ownerId)).toBe(3);
    expect(await context.services.auditOpenRequests(new Date(start + HOUR))).toMatchObject({ corrected: 1 });
    expect(await countOf(requester.ownerId)).toBe(2);
    await submit(requester.auth).expect(201);
    await submit(requester.auth).expect(429);
  });
});
