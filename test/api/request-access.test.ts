import { api } from '../helpers/contract';
import { bearer, createExpert, invite, matchedRequest, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';
import { InvitationModel } from '../../src/invitations/invitation.model';

const storedStatus = async (invitationId: string) => (await InvitationModel.findById(invitationId).lean())?.status;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('who reads a request follows their current invitation', () => {
  let context: TestContext;
  let admin: Auth;
  beforeAll(async () => {
    context = await startTestContext({ AUTO_INVITE: 'off' });
    admin = bearer(context.adminKey);
  });
  afterAll(() => context.close());

  const ORGANIZATION = { name: 'Muzeum Zalewu', type: 'cultural', country: 'PL', website: 'https://muzeum.example.org' };

  it('shows a pending invitee the summary only and a decliner nothing', async () => {
    const [pending, decliner, stranger] = await Promise.all([1, 2, 3].map(() => createExpert(context.app, admin)));
    const { owner, requestId } = await matchedRequest(context, { organization: ORGANIZATION, deadline: '2027-05-31', topic: 'Exhibitions' });
    await invite(context, owner, requestId, pending!.id);
    const declined = await invite(context, owner, requestId, decliner!.id);
    await api(context.app).post(`/v1/invitations/${declined.id}/decline`).set(decliner!.auth).send({}).expect(200);

    const summary = (await api(context.app).get(`/v1/requests/${requestId}`).set(pending!.auth).expect(200)).body;
    expect(summary).toEqual({
      id: requestId,
      view: 'summary',
      organization: { name: 'Muzeum Zalewu', type: 'cultural', country: 'PL' },
      title: expect.any(String),
      description: expect.any(String),
      skills: ['exhibition design'],
      languages: ['pl'],
      location: { country: 'PL', city: 'Police' },
      mode: 'onsite',
      topic: 'Exhibitions',
      deadline: '2027-05-31',
      stage: 'invited',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const full = (await api(context.app).get(`/v1/requests/${requestId}`).set(owner).expect(200)).body;
    expect(full.history.length).toBeGreaterThan(2);
    expect(full.organization.website).toBe(ORGANIZATION.website);

    for (const outsider of [decliner!, stranger!]) {
      await api(context.app).get(`/v1/requests/${requestId}`).set(outsider.auth).expect(404);
      await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(outsider.auth).send({ reason: 'x' }).expect(404);
    }
    // A pending invitee is a party who may not take the step; a former one is nobody.
    await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(pending!.auth).send({ reason: 'x' }).expect(403);
  });

  it('shows the accepted expert everything and a withdrawn invitee nothing, before and after the consultation', async () => {
    const [chosen, withdrawn] = await Promise.all([1, 2].map(() => createExpert(context.app, admin)));
    const { owner, requestId } = await matchedRequest(context);
    const accepted = await invite(context, owner, requestId, chosen!.id);
    const other = await invite(context, owner, requestId, withdrawn!.id);
    await api(context.app).post(`/v1/invitations/${accepted.id}/accept`).set(chosen!.auth).expect(200);
    expect(await storedStatus(other.id)).toBe('withdrawn');

    const schedule = { startsAt: new Date(Date.now() + 30 * 86_400_000).toISOString(), durationMinutes: 60, meetingUrl: 'https://meet.example.org/zalew' };
    await api(context.app).post(`/v1/requests/${requestId}/schedule`).set(owner).send(schedule).expect(200);
    await api(context.app).post(`/v1/requests/${requestId}/start`).set(chosen!.auth).expect(200);
    await api(context.app).post(`/v1/requests/${requestId}/complete`).set(chosen!.auth).send({ summary: 'Route drafted.' }).expect(200);
    await api(context.app).post(`/v1/requests/${requestId}/feedback`).set(owner).send({ rating: 5, comment: 'Great' }).expect(200);

    const full = (await api(context.app).get(`/v1/requests/${requestId}`).set(chosen!.auth).expect(200)).body;
    expect(full).toMatchObject({ stage: 'closed', acceptedExpertId: chosen!.id, schedule: { meetingUrl: schedule.meetingUrl }, summary: 'Route drafted.', feedback: { rating: 5 } });
    expect(full.view).toBeUndefined();
    await api(context.app).get(`/v1/requests/${requestId}`).set(withdrawn!.auth).expect(404);
    await api(context.app).post(`/v1/requests/${requestId}/feedback`).set(withdrawn!.auth).send({ rating: 1 }).expect(404);
  });
});

describe('an invitee whose invitation expired', () => {
  it('gets 404 on the request as soon as expiresAt has passed, with no job run', async () => {
    const context = await startTestContext({ AUTO_INVITE: 'off', INVITATION_TTL_SECONDS: '2' });
    try {
      const expert = await createExpert(context.app, bearer(context.adminKey));
      const { owner, requestId } = await matchedRequest(context);
      await invite(context, owner, requestId, expert.id);
      expect((await api(context.app).get(`/v1/requests/${requestId}`).set(expert.auth).expect(200)).body.view).toBe('summary');
      await pause(2100);
      await api(context.app).get(`/v1/requests/${requestId}`).set(expert.auth).expect(404);
      await api(context.app).post(`/v1/requests/${requestId}/start`).set(expert.auth).expect(404);
      expect(await context.services.invitations.expire((await InvitationModel.findOne({ requestId }).lean())!._id.toString())).toMatchObject({ status: 'expired' });
      await api(context.app).get(`/v1/requests/${requestId}`).set(expert.auth).expect(404);
    } finally {
      await context.close();
    }
  });
});
