import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, pendingInvitations, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;
let partner: Auth;
let expert: { id: string; auth: Auth };

beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'on' }, { workers: true });
  admin = bearer(context.adminKey);
  partner = await createKey(context.app, admin, { role: 'partner', label: 'Portal' });
  // The only expert in this file's database, with room for every request here.
  expert = await createExpert(context.app, admin, { capacity: 10 });
});
afterAll(() => context.close());

/** A request accepted by the expert, ready to be scheduled. */
async function acceptedRequest(): Promise<string> {
  const requestId = await submitRequest(context.app, partner);
  await waitForStage(context.app, partner, requestId, 'invited');
  const [invitation] = await pendingInvitations(context.app, admin, requestId);
  await api(context.app).post(`/v1/invitations/${invitation!.id}/accept`).set(expert.auth).expect(200);
  await waitForStage(context.app, partner, requestId, 'accepted');
  return requestId;
}

/** A date a week ahead as `YYYY-MM-DD`, so every start time here lies within the allowed window. */
const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

describe('date-times in RFC 3339 (§5.6)', () => {
  it.each([
    [`${nextWeek}t09:00:00z`, `${nextWeek}T09:00:00.000Z`],
    [`${nextWeek}t09:00:00.5+02:00`, `${nextWeek}T07:00:00.500Z`],
    [`${nextWeek}T09:30:00z`, `${nextWeek}T09:30:00.000Z`],
  ])('accepts %s with lower-case letters and answers the canonical %s', async (startsAt, canonical) => {
    const requestId = await acceptedRequest();
    const scheduled = await api(context.app).post(`/v1/requests/${requestId}/schedule`).set(partner).send({ startsAt }).expect(200);
    expect(scheduled.body.schedule.startsAt).toBe(canonical);
    expect((await api(context.app).get(`/v1/requests/${requestId}`).set(partner).expect(200)).body.schedule.startsAt).toBe(canonical);
  });

  it.each([`${nextWeek} 09:00:00Z`, `${nextWeek}T09:00Z`, `${nextWeek}T09:00:00`, `${nextWeek}x09:00:00z`, `${nextWeek}T09:00:00zz`])(
    'refuses %s with 400 naming startsAt, before anything changes',
    async (startsAt) => {
      const requestId = await acceptedRequest();
      const refused = await api(context.app).post(`/v1/requests/${requestId}/schedule`).set(partner).send({ startsAt }).expect(400);
      expect(refused.body.errors.map((error: { path: string }) => error.path)).toEqual(['startsAt']);
      expect((await api(context.app).get(`/v1/requests/${requestId}`).set(partner).expect(200)).body.stage).toBe('accepted');
    },
  );
});
