import { ExpertWorkloadModel } from '../../src/experts/expert.model';
import { expertRepository } from '../../src/experts/expert.repository';
import { ACCEPT_IN_FLIGHT_MS } from '../../src/invitations/invitation.service';
import { InvitationModel } from '../../src/invitations/invitation.model';
import { RequestModel } from '../../src/requests/request.model';
import { api } from '../helpers/contract';
import { Types } from 'mongoose';
import { bearer, createExpert, createKey, invitationsOf, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;
let partner: Auth;

beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'off' }, { workers: true });
  admin = bearer(context.adminKey);
  partner = await createKey(context.app, admin, { role: 'partner' });
});
afterAll(() => context.close());

async function matchedRequestWithExperts(count: number) {
  const experts = await Promise.all(Array.from({ length: count }, () => createExpert(context.app, admin, { capacity: 2 })));
  const requestId = await submitRequest(context.app, partner);
  await waitForStage(context.app, partner, requestId, 'matched');
  return { requestId, experts };
}

const invite = async (requestId: string, expertId: string) =>
  (await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId }).expect(201)).body.id as string;

describe('POST /v1/invitations/{id}/accept under contention', () => {
  it('gives exactly one 200 and nineteen 409s for twenty simultaneous accepts of one invitation', async () => {
    const { requestId, experts } = await matchedRequestWithExperts(1);
    const expert = experts[0]!;
    const invitationId = await invite(requestId, expert.id);
    const responses = await Promise.all(Array.from({ length: 20 }, () => api(context.app).post(`/v1/invitations/${invitationId}/accept`).set(expert.auth)));
    const statuses = responses.map((response) => response.status).sort();
    expect(statuses.filter((status) => status === 200)).toHaveLength(1);
    expect(statuses.filter((status) => status === 409)).toHaveLength(19);
    const stored = await expertRepository.findById(expert.id);
    expect(stored).toMatchObject({ activeConsultations: 1, pendingInvitations: 0 });
    expect((await waitForStage(context.app, partner, requestId, 'accepted')).acceptedExpertId).toBe(expert.id);
  });

  it('lets one of two experts accepting rival invitations at the same moment win, and withdraws the other', async () => {
    const { requestId, experts } = await matchedRequestWithExperts(2);
    const [a, b] = experts as [(typeof experts)[0], (typeof experts)[0]];
    const [invitationA, invitationB] = [await invite(requestId, a.id), await invite(requestId, b.id)];
    const [responseA, responseB] = await Promise.all([
      api(context.app).post(`/v1/invitations/${invitationA}/accept`).set(a.auth),
      api(context.app).post(`/v1/invitations/${invitationB}/accept`).set(b.auth),
    ]);
    expect([responseA.status, responseB.status].sort()).toEqual([200, 409]);
    const winner = responseA.status === 200 ? a : b;
    const loser = winner === a ? b : a;
    expect((await waitForStage(context.app, partner, requestId, 'accepted')).acceptedExpertId).toBe(winner.id);
    const all = await invitationsOf(context.app, admin, requestId);
    expect(all.find((invitation) => invitation.expertId === loser.id)?.status).toBe('withdrawn');
    expect(await expertRepository.findById(loser.id)).toMatchObject({ activeConsultations: 0, pendingInvitations: 0 });
    expect(await expertRepository.findById(winner.id)).toMatchObject({ activeConsultations: 1, pendingInvitations: 0 });
  });

  it('gives an expert’s last free slot to one of two accepts racing on different requests', async () => {
    const expert = await createExpert(context.app, admin, { capacity: 2 });
    const requestIds = [await submitRequest(context.app, partner), await submitRequest(context.app, partner)];
    await Promise.all(requestIds.map((requestId) => waitForStage(context.app, partner, requestId, 'matched')));
    const invitationIds = [await invite(requestIds[0]!, expert.id), await invite(requestIds[1]!, expert.id)];
    // Two invitations fit two free slots; the expert then lowers their capacity, so both accepts race for one slot.
    const read = await api(context.app).get(`/v1/experts/${expert.id}`).set(admin).expect(200);
    await api(context.app).patch(`/v1/experts/${expert.id}`).set(admin).set('If-Match', String(read.headers.etag)).send({ capacity: 1 }).expect(200);
    const responses = await Promise.all(invitationIds.map((id) => api(context.app).post(`/v1/invitations/${id}/accept`).set(expert.auth)));
    expect(responses.map((response) => response.status).sort()).toEqual([200, 409]);
    const refused = responses.find((response) => response.status === 409)!;
    expect(refused.body.detail).toMatch(/no free capacity/);
    expect(await expertRepository.findById(expert.id)).toMatchObject({ activeConsultations: 1, pendingInvitations: 1 });
    const stillPending = invitationIds[responses.indexOf(refused)]!;
    expect((await invitationsOf(context.app, admin, requestIds[responses.indexOf(refused)]!)).find((item) => item.id === stillPending)?.status).toBe('pending');
  });

  it('withdraws the other pending invitations when one is accepted', async () => {
    const { requestId, experts } = await matchedRequestWithExperts(3);
    const ids = [await invite(requestId, experts[0]!.id), await invite(requestId, experts[1]!.id), await invite(requestId, experts[2]!.id)];
    await api(context.app).post(`/v1/invitations/${ids[1]}/accept`).set(experts[1]!.auth).expect(200);
    const statuses = Object.fromEntries((await invitationsOf(context.app, admin, requestId)).map((invitation) => [invitation.id, invitation.status]));
    expect(statuses).toEqual({ [ids[0]!]: 'withdrawn', [ids[1]!]: 'accepted', [ids[2]!]: 'withdrawn' });
    await api(context.app).post(`/v1/invitations/${ids[0]}/accept`).set(experts[0]!.auth).expect(409);
  });

  it('hides another expert’s invitation (404) and refuses an accept after a decline (409)', async () => {
    const { requestId, experts } = await matchedRequestWithExperts(2);
    const invitationId = await invite(requestId, experts[0]!.id);
    await api(context.app).post(`/v1/invitations/${invitationId}/accept`).set(experts[1]!.auth).expect(404);
    await api(context.app).post(`/v1/invitations/${invitationId}/decline`).set(experts[0]!.auth).send({}).expect(200);
    const late = await api(context.app).post(`/v1/invitations/${invitationId}/accept`).set(experts[0]!.auth).expect(409);
    expect(late.body.detail).toMatch(/declined/);
    expect((await waitForStage(context.app, partner, requestId, 'matched')).stage).toBe('matched');
  });

  it('keeps an acceptance when an unrelated write to the request lands at the same moment', async () => {
    for (let round = 0; round < 15; round += 1) {
      const { requestId, experts } = await matchedRequestWithExperts(1);
      const invitationId = await invite(requestId, experts[0]!.id);
      const etag = (await api(context.app).get(`/v1/requests/${requestId}`).set(partner).expect(200)).headers.etag!;
      const [accepted, patched] = await Promise.all([
        api(context.app).post(`/v1/invitations/${invitationId}/accept`).set(experts[0]!.auth),
        api(context.app).patch(`/v1/requests/${requestId}`).set(partner).set('If-Match', etag).send({ title: `Retitled in round ${round}` }),
      ]);
      expect(accepted.status).toBe(200);
      expect([200, 409, 412]).toContain(patched.status);
      expect((await waitForStage(context.app, partner, requestId, 'accepted')).acceptedExpertId).toBe(experts[0]!.id);
    }
  });

  it('withdraws an invitation left pending on a request that stopped looking, and gives nothing away on accept', async () => {
    const { requestId, experts } = await matchedRequestWithExperts(1);
    const expert = experts[0]!;
    const invitationId = await invite(requestId, expert.id);
    await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(partner).send({ reason: 'Plans changed' }).expect(200);
    // What a cancel racing an invite can leave: the invitation still pending, still counted.
    await InvitationModel.collection.updateOne({ _id: new Types.ObjectId(invitationId) }, { $set: { status: 'pending' } });
    await ExpertWorkloadModel.collection.updateOne({ _id: expert.id } as never, { $set: { pendingInvitations: 1 } });

    const refused = await api(context.app).post(`/v1/invitations/${invitationId}/accept`).set(expert.auth).expect(409);
    expect(refused.body).toMatchObject({ code: 'conflict', stage: 'cancelled' });
    expect((await invitationsOf(context.app, admin, requestId)).map((invitation) => invitation.status)).toEqual(['withdrawn']);
    expect(await expertRepository.findById(expert.id)).toMatchObject({ activeConsultations: 0, pendingInvitations: 0 });
  });

  it('lets the reconciler move a request on past an accept that died midway, but not while it may still finish', async () => {
    const { requestId, experts } = await matchedRequestWithExperts(1);
    const invitationId = await invite(requestId, experts[0]!.id);
    const respondedAt = new Date();
    // An accept that closed its invitation and then stopped: the request is still `invited`.
    await InvitationModel.collection.updateOne({ _id: new Types.ObjectId(invitationId) }, { $set: { status: 'accepted', respondedAt } });

    await context.services.invitations.resumeStalled(new Date(respondedAt.getTime() + 1000));
    expect((await api(context.app).get(`/v1/requests/${requestId}`).set(partner).expect(200)).body.stage).toBe('invited');

    await context.services.invitations.resumeStalled(new Date(respondedAt.getTime() + ACCEPT_IN_FLIGHT_MS + 1000));
    expect((await waitForStage(context.app, partner, requestId, 'matched')).stage).toBe('matched');
    expect((await invitationsOf(context.app, admin, requestId)).map((invitation) => invitation.status)).toEqual(['withdrawn']);
  });

  it('waits for an invitation still being written before moving on, but not for one that never will be', async () => {
    const { requestId, experts } = await matchedRequestWithExperts(1);
    const invitationId = await invite(requestId, experts[0]!.id);
    // A second invite half done: its id is on the request, its document not yet written.
    const beingWritten = new Types.ObjectId();
    await RequestModel.collection.updateOne({ _id: new Types.ObjectId(requestId) }, { $push: { invitationIds: beingWritten.toHexString() } } as never);

    await api(context.app).post(`/v1/invitations/${invitationId}/decline`).set(experts[0]!.auth).send({}).expect(200);
    expect((await api(context.app).get(`/v1/requests/${requestId}`).set(partner).expect(200)).body.stage).toBe('invited');

    await context.services.invitations.resumeStalled(new Date(beingWritten.getTimestamp().getTime() + 61_000));
    expect((await waitForStage(context.app, partner, requestId, 'matched')).stage).toBe('matched');
  });
});
