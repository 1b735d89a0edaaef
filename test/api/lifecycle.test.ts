import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, invitationsOf, pendingInvitations, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;
let partner: Auth;

beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'on', MAX_INVITATIONS: '5' }, { workers: true });
  admin = bearer(context.adminKey);
  partner = await createKey(context.app, admin, { role: 'partner', label: 'Culture portal' });
});
afterAll(() => context.close());

/** Three Lithuanian-speaking experts near Klaipėda: nobody else in this file speaks Lithuanian. */
async function lithuanianExperts() {
  const at = { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 };
  const skills = ['exhibition design', 'scenography'];
  return Promise.all([1, 2, 3].map(() => createExpert(context.app, admin, { languages: ['lt', 'en'], location: at, skills })));
}
const lithuanianRequest = {
  organization: { name: 'Klaipėdos kultūros centras', type: 'cultural', country: 'LT' },
  title: 'Parodos erdvės pertvarkymas',
  description: 'Reikia parodų dizainerio, kuris padėtų pertvarkyti parodų salę ir lankytojų maršrutą.',
  languages: ['lt'],
  location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
  mode: 'onsite',
};

describe('a consultation from submission to feedback', () => {
  it('goes submitted → matched → invited → declined → next invited → accepted → scheduled → in progress → completed → closed', async () => {
    const experts = await lithuanianExperts();
    const byId = new Map(experts.map((expert) => [expert.id, expert]));
    const requestId = await submitRequest(context.app, partner, lithuanianRequest);
    await waitForStage(context.app, partner, requestId, 'invited');

    const [first] = await pendingInvitations(context.app, admin, requestId);
    const firstExpert = byId.get(first!.expertId)!;
    const own = await api(context.app).get('/v1/invitations?status=pending').set(firstExpert.auth).expect(200);
    expect(own.body.items.map((item: { id: string }) => item.id)).toEqual([first!.id]);
    await api(context.app).post(`/v1/invitations/${first!.id}/decline`).set(firstExpert.auth).send({ reason: 'Fully booked' }).expect(200);

    const [second] = await pendingInvitations(context.app, admin, requestId);
    expect(second!.expertId).not.toBe(first!.expertId);
    const secondExpert = byId.get(second!.expertId)!;
    const accepted = await api(context.app).post(`/v1/invitations/${second!.id}/accept`).set(secondExpert.auth).expect(200);
    expect(accepted.body.status).toBe('accepted');
    expect((await waitForStage(context.app, partner, requestId, 'accepted')).acceptedExpertId).toBe(secondExpert.id);

    const startsAt = new Date(Date.now() + 7 * 24 * 3600 * 1000).toISOString();
    await api(context.app).post(`/v1/requests/${requestId}/schedule`).set(partner).send({ startsAt, durationMinutes: 90 }).expect(200);
    await api(context.app).post(`/v1/requests/${requestId}/start`).set(secondExpert.auth).expect(200);
    await api(context.app).post(`/v1/requests/${requestId}/complete`).set(secondExpert.auth).send({ summary: 'Two workshops; a new route plan.' }).expect(200);
    const closed = await api(context.app).post(`/v1/requests/${requestId}/feedback`).set(partner).send({ rating: 4, comment: 'Practical' }).expect(200);

    expect(closed.body.stage).toBe('closed');
    expect(closed.body.history.map((entry: { stage: string }) => entry.stage)).toEqual([
      'submitted', 'matched', 'invited', 'accepted', 'scheduled', 'in_progress', 'completed', 'closed',
    ]);
    expect(closed.body.history[1].actor).toEqual({ role: 'system' });
    const profile = await api(context.app).get(`/v1/experts/${secondExpert.id}`).set(admin).expect(200);
    expect(profile.body).toMatchObject({ ratingAverage: 4, ratingCount: 1 });
  });
});

describe('erasing an invited expert', () => {
  it('withdraws their pending invitation and invites the next expert at once', async () => {
    await lithuanianExperts();
    const requestId = await submitRequest(context.app, partner, { ...lithuanianRequest, title: 'Ištrintas ekspertas' });
    const [first] = await pendingInvitations(context.app, admin, requestId);
    await api(context.app).delete(`/v1/experts/${first!.expertId}`).set(admin).expect(204);

    const invitations = await invitationsOf(context.app, admin, requestId);
    expect(invitations.find((invitation) => invitation.id === first!.id)?.status).toBe('withdrawn');
    const next = invitations.filter((invitation) => invitation.status === 'pending');
    expect(next).toHaveLength(1);
    expect(next[0]!.expertId).not.toBe(first!.expertId);
  });
});

describe('illegal transitions', () => {
  it('answers 409 with the current stage and the allowed next stages', async () => {
    const requestId = await submitRequest(context.app, partner, { languages: ['sv'], location: { country: 'SE', city: 'Karlshamn' } });
    await waitForStage(context.app, partner, requestId, 'unmatched');
    const response = await api(context.app).post(`/v1/requests/${requestId}/start`).set(partner).expect(409);
    expect(response.body).toMatchObject({ code: 'invalid_transition', stage: 'unmatched', allowedNextStages: ['cancelled', 'matched'] });
    await api(context.app).post(`/v1/requests/${requestId}/complete`).set(admin).send({ summary: 'x' }).expect(409);
    await api(context.app).post(`/v1/requests/${requestId}/feedback`).set(partner).send({ rating: 5 }).expect(409);
  });

  it('lets only the right party act: owner may not complete, admin may reopen, owner may not', async () => {
    const requestId = await submitRequest(context.app, partner, { languages: ['sv'], location: { country: 'SE', city: 'Ronneby' } });
    await waitForStage(context.app, partner, requestId, 'unmatched');
    await api(context.app).post(`/v1/requests/${requestId}/reopen`).set(partner).expect(403);
    const reopened = await api(context.app).post(`/v1/requests/${requestId}/reopen`).set(admin).expect(200);
    expect(reopened.body.stage).toBe('matched');
    const stranger = await createKey(context.app, admin, { role: 'partner' });
    await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(stranger).send({ reason: 'x' }).expect(404);
    const cancelled = await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(partner).send({ reason: 'Funding fell through' }).expect(200);
    expect(cancelled.body).toMatchObject({ stage: 'cancelled', cancellationReason: 'Funding fell through' });
    await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(partner).send({ reason: 'again' }).expect(409);
  });

  it('puts a reopened request back to unmatched when still nobody is feasible, instead of retrying forever', async () => {
    const requestId = await submitRequest(context.app, partner, { languages: ['sv'], location: { country: 'SE', city: 'Sölvesborg' } });
    await waitForStage(context.app, partner, requestId, 'unmatched');
    await api(context.app).post(`/v1/requests/${requestId}/reopen`).set(admin).expect(200);
    const again = await waitForStage(context.app, partner, requestId, 'unmatched');
    expect(again.history.map((entry: { stage: string }) => entry.stage)).toEqual(['submitted', 'unmatched', 'matched', 'unmatched']);
    expect(again.history.at(-1)).toMatchObject({ actor: { role: 'system' }, note: 'no feasible expert is left to invite' });
  });

  it('starts a new round of invitations, to experts not invited before, when an admin reopens a request', async () => {
    await Promise.all([lithuanianExperts(), lithuanianExperts()]);
    const requestId = await submitRequest(context.app, partner, { ...lithuanianRequest, title: 'Naujas raundas' });
    const declined = new Set<string>();
    while ((await api(context.app).get(`/v1/requests/${requestId}`).set(partner).expect(200)).body.stage !== 'unmatched') {
      const [pending] = await pendingInvitations(context.app, admin, requestId);
      declined.add(pending!.expertId);
      await api(context.app).post(`/v1/invitations/${pending!.id}/decline`).set(admin).send({}).expect(200);
    }
    expect(declined.size).toBe(5);

    await api(context.app).post(`/v1/requests/${requestId}/reopen`).set(admin).expect(200);
    const [invitation] = await pendingInvitations(context.app, admin, requestId);
    expect(declined.has(invitation!.expertId)).toBe(false);
    expect((await waitForStage(context.app, partner, requestId, 'invited')).stage).toBe('invited');
  });

  it('cancels a request that a background job moves at the same moment, since cancelling is allowed either way', async () => {
    for (let round = 0; round < 8; round += 1) {
      const requestId = await submitRequest(context.app, partner, { languages: ['sv'], location: { country: 'SE', city: 'Olofström' } });
      await waitForStage(context.app, partner, requestId, 'unmatched');
      await api(context.app).post(`/v1/requests/${requestId}/reopen`).set(admin).expect(200);
      const cancelled = await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(partner).send({ reason: `Round ${round}` });
      expect([round, cancelled.status, cancelled.body.stage]).toEqual([round, 200, 'cancelled']);
    }
  });

  it('rejects a schedule without startsAt and a rating of 6', async () => {
    const requestId = await submitRequest(context.app, partner);
    const bad = await api(context.app).post(`/v1/requests/${requestId}/schedule`).set(partner).send({ durationMinutes: 5 }).expect(400);
    expect(bad.body.errors.map((error: { path: string }) => error.path).sort()).toEqual(['durationMinutes', 'startsAt']);
    await api(context.app).post(`/v1/requests/${requestId}/feedback`).set(partner).send({ rating: 6 }).expect(400);
  });

  it('rejects a start time far in the past or beyond two years, naming startsAt', async () => {
    const requestId = await submitRequest(context.app, partner);
    for (const startsAt of ['9999-12-31T23:59:59-23:59', new Date(Date.now() - 3 * 86_400_000).toISOString()]) {
      const bad = await api(context.app).post(`/v1/requests/${requestId}/schedule`).set(partner).send({ startsAt }).expect(400);
      expect(bad.body.errors.map((error: { path: string }) => error.path)).toEqual(['startsAt']);
    }
  });
});

describe('inviting by hand', () => {
  it('refuses an infeasible expert with 422 naming the reason, and a second invitation of the same expert with 409', async () => {
    const germanOnly = await createExpert(context.app, admin, { languages: ['de'], location: { country: 'DE', city: 'Rostock' } });
    const experts = await lithuanianExperts();
    const requestId = await submitRequest(context.app, partner, lithuanianRequest);
    await waitForStage(context.app, partner, requestId, 'invited');
    const refused = await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId: germanOnly.id }).expect(422);
    expect(refused.body.detail).toMatch(/language/i);
    const [pending] = await pendingInvitations(context.app, admin, requestId);
    await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId: pending!.expertId }).expect(409);
    const another = experts.find((expert) => expert.id !== pending!.expertId)!;
    const invited = await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId: another.id }).expect(201);
    expect(invited.body).toMatchObject({ requestId, expertId: another.id, status: 'pending' });
    await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(another.auth).send({}).expect(403);
  });
});
