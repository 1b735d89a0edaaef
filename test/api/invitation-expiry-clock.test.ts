import { api } from '../helpers/contract';
import { bearer, createExpert, invite, matchedRequest, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';
import { InvitationModel } from '../../src/invitations/invitation.model';
import type { EventType } from '../../src/webhooks/event-types';
import { WebhookEventModel } from '../../src/webhooks/outbox.model';

const eventsOf = async (type: EventType, invitationId: string) => WebhookEventModel.countDocuments({ type, 'data.invitationId': invitationId });
const storedStatus = async (invitationId: string) => (await InvitationModel.findById(invitationId).lean())?.status;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('an invitation past expiresAt while no worker runs its expiry job', () => {
  let context: TestContext;
  let admin: Auth;
  beforeAll(async () => {
    context = await startTestContext({ AUTO_INVITE: 'off', INVITATION_TTL_SECONDS: '1' });
    admin = bearer(context.adminKey);
  });
  afterAll(() => context.close());

  it('reads as expired everywhere, refuses decline and accept naming the expiry, and the job still tidies up once', async () => {
    const expert = await createExpert(context.app, admin);
    const { owner, requestId } = await matchedRequest(context);
    const invitation = await invite(context, owner, requestId, expert.id);
    await pause(1100);
    expect(await storedStatus(invitation.id)).toBe('pending');

    const mine = await api(context.app).get('/v1/invitations').set(expert.auth).expect(200);
    expect(mine.body.items).toEqual([expect.objectContaining({ id: invitation.id, status: 'expired' })]);
    expect((await api(context.app).get('/v1/invitations?status=pending').set(expert.auth).expect(200)).body.items).toEqual([]);
    expect((await api(context.app).get('/v1/invitations?status=expired').set(expert.auth).expect(200)).body.items.map((item: { id: string }) => item.id)).toEqual([invitation.id]);
    // One answered invitation (the lapsed one), none accepted: 0, where an uncounted one would leave it undefined (null).
    expect((await api(context.app).get('/v1/stats').set(admin).expect(200)).body.acceptanceRate).toBe(0);

    const declined = await api(context.app).post(`/v1/invitations/${invitation.id}/decline`).set(expert.auth).send({ reason: 'Too late' }).expect(409);
    expect(declined.body.detail).toBe(`The invitation expired at ${invitation.expiresAt}`);
    expect(declined.body.invitationStatus).toBe('expired');
    const accepted = await api(context.app).post(`/v1/invitations/${invitation.id}/accept`).set(expert.auth).expect(409);
    expect(accepted.body.detail).toBe(`The invitation expired at ${invitation.expiresAt}`);
    expect(accepted.body.invitationStatus).toBe('expired');

    // The refused decline performed the expiry, as the job would have: stored, one event, the request moved on.
    const stored = await InvitationModel.findById(invitation.id).lean();
    expect(stored).toMatchObject({ status: 'expired' });
    expect(stored?.declineReason).toBeUndefined();
    expect(await eventsOf('invitation.declined', invitation.id)).toBe(0);
    expect(await eventsOf('invitation.expired', invitation.id)).toBe(1);
    expect((await api(context.app).get(`/v1/requests/${requestId}`).set(owner).expect(200)).body.stage).toBe('matched');

    expect(await context.services.invitations.expire(invitation.id)).toBeUndefined();
    expect(await eventsOf('invitation.expired', invitation.id)).toBe(1);
  });

  it('leaves the persistent expiry to the job when nobody writes: stored, emitted and the request moved on once', async () => {
    const expert = await createExpert(context.app, admin);
    const { owner, requestId } = await matchedRequest(context);
    const invitation = await invite(context, owner, requestId, expert.id);
    await pause(1100);
    expect((await api(context.app).get(`/v1/requests/${requestId}`).set(owner).expect(200)).body.stage).toBe('invited');

    expect(await context.services.invitations.expire(invitation.id)).toMatchObject({ id: invitation.id, status: 'expired' });
    expect(await context.services.invitations.expire(invitation.id)).toBeUndefined();
    expect(await storedStatus(invitation.id)).toBe('expired');
    expect(await eventsOf('invitation.expired', invitation.id)).toBe(1);
    expect((await api(context.app).get(`/v1/requests/${requestId}`).set(owner).expect(200)).body.stage).toBe('matched');
  });

  it('lets an invitation past expiry lapse, not be withdrawn, when its request is cancelled', async () => {
    const expert = await createExpert(context.app, admin);
    const { owner, requestId } = await matchedRequest(context);
    const invitation = await invite(context, owner, requestId, expert.id);
    await pause(1100);
    await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(owner).send({ reason: 'Plans changed' }).expect(200);
    expect(await storedStatus(invitation.id)).toBe('expired');
    expect(await eventsOf('invitation.expired', invitation.id)).toBe(1);
  });
});
