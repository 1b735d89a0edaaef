import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;

beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'off' }, { workers: true });
  admin = bearer(context.adminKey);
});
afterAll(() => context.close());

describe('GET /v1/stats', () => {
  it('counts stages and countries, the cross-border share, the acceptance rate, time to acceptance and ratings', async () => {
    const partner = await createKey(context.app, admin, { role: 'partner' });
    const german = await createExpert(context.app, admin, { location: { country: 'DE', city: 'Anklam', lat: 53.8569, lon: 13.6917 } });
    const polish = await createExpert(context.app, admin);

    const closedId = await submitRequest(context.app, partner);
    await waitForStage(context.app, partner, closedId, 'matched');
    const declined = await api(context.app).post(`/v1/requests/${closedId}/invitations`).set(partner).send({ expertId: polish.id }).expect(201);
    await api(context.app).post(`/v1/invitations/${declined.body.id}/decline`).set(polish.auth).send({}).expect(200);
    const invitation = await api(context.app).post(`/v1/requests/${closedId}/invitations`).set(partner).send({ expertId: german.id }).expect(201);
    await api(context.app).post(`/v1/invitations/${invitation.body.id}/accept`).set(german.auth).expect(200);
    await api(context.app).post(`/v1/requests/${closedId}/schedule`).set(partner).send({ startsAt: new Date(Date.now() + 86_400_000 * 3).toISOString() }).expect(200);
    await api(context.app).post(`/v1/requests/${closedId}/start`).set(german.auth).expect(200);
    await api(context.app).post(`/v1/requests/${closedId}/complete`).set(german.auth).send({ summary: 'Done' }).expect(200);
    await api(context.app).post(`/v1/requests/${closedId}/feedback`).set(partner).send({ rating: 4 }).expect(200);

    const unmatchedId = await submitRequest(context.app, partner, { languages: ['sv'], organization: { name: 'Karlshamn bibliotek', type: 'public', country: 'SE' } });
    await waitForStage(context.app, partner, unmatchedId, 'unmatched');

    const response = await api(context.app).get('/v1/stats').set(admin).expect(200);
    expect(response.body).toMatchObject({
      requests: { total: 2, byStage: { closed: 1, unmatched: 1 }, byCountry: { PL: 1, SE: 1 } },
      crossBorderShare: 1,
      acceptanceRate: 0.5,
      averageRating: 4,
      ratings: 1,
    });
    expect(response.body.medianHoursToAcceptance).toBeGreaterThanOrEqual(0);
    expect(response.body.medianHoursToAcceptance).toBeLessThan(0.1);
  });

  it('is for admins only', async () => {
    const partner = await createKey(context.app, admin, { role: 'partner' });
    await api(context.app).get('/v1/stats').set(partner).expect(403);
    await api(context.app).get('/v1/stats').expect(401);
  });
});
