import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, pendingInvitations, requestBody, submitRequest, waitForStage } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'off' }, { workers: true });
});
afterAll(() => context.close());

const admin = () => bearer(context.adminKey);
const listOwn = async (auth: ReturnType<typeof bearer>) => (await api(context.app).get('/v1/requests').set(auth).expect(200)).body.items as unknown[];

describe('POST /v1/requests with a contact', () => {
  it('refuses a requester without a contact with a 400 naming the field, and files nothing', async () => {
    const requester = await createKey(context.app, admin(), { role: 'requester' });
    const { contact: _contact, ...body } = requestBody();
    const response = await api(context.app).post('/v1/requests').set(requester).send(body).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors).toEqual([{ path: 'contact', message: 'is required for requests submitted with a requester key' }]);
    expect(await listOwn(requester)).toEqual([]);
  });

  it('lets a partner and an admin file without a contact', async () => {
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    for (const auth of [partner, admin()]) {
      const response = await api(context.app).post('/v1/requests').set(auth).send(requestBody({ contact: undefined })).expect(201);
      expect(response.body.contact).toBeUndefined();
    }
  });

  it("defaults the contact's language to the request's first language when the service writes it, else to English", async () => {
    const requester = await createKey(context.app, admin(), { role: 'requester' });
    const cases = [
      { languages: ['lt', 'en'], expected: 'lt' },
      { languages: ['sv'], expected: 'sv' },
      { languages: ['da', 'de'], expected: 'en' },
    ];
    for (const { languages, expected } of cases) {
      const contact = { name: 'Rūta Petrauskienė', email: 'Ruta.P@Example.ORG' };
      const response = await api(context.app).post('/v1/requests').set(requester).send(requestBody({ languages, contact })).expect(201);
      expect(response.body.contact).toEqual({ name: 'Rūta Petrauskienė', email: 'Ruta.P@example.org', language: expected });
    }
    const chosen = await api(context.app).post('/v1/requests').set(requester).send(requestBody({ languages: ['pl'], contact: { name: 'Ola', email: 'ola@example.org', language: 'de' } })).expect(201);
    expect(chosen.body.contact.language).toBe('de');
  });

  it('refuses a bad address or a language the service does not write, naming the field', async () => {
    const cases = [
      { contact: { name: 'Ola', email: 'not-an-address' }, path: 'contact.email' },
      { contact: { name: 'Ola', email: 'ola@example.org', language: 'fr' }, path: 'contact.language' },
      { contact: { name: '', email: 'ola@example.org' }, path: 'contact.name' },
      { contact: { name: 'Ola', email: 'ola@example.org', phone: '123' }, path: 'contact.phone' },
    ];
    for (const { contact, path } of cases) {
      const response = await api(context.app).post('/v1/requests').set(admin()).send(requestBody({ contact })).expect(400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([path]);
    }
  });
});

describe('who sees a contact', () => {
  it('shows it to the owner and admins, to the accepted expert from acceptance on, never to an invited one', async () => {
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const expert = await createExpert(context.app, admin());
    const contact = { name: 'Ewa Zielińska', email: 'ewa.zielinska@example.org', language: 'pl' };
    const id = await submitRequest(context.app, partner, { contact });
    expect((await api(context.app).get(`/v1/requests/${id}`).set(partner).expect(200)).body.contact).toEqual(contact);
    expect((await api(context.app).get(`/v1/requests/${id}`).set(admin()).expect(200)).body.contact).toEqual(contact);

    await waitForStage(context.app, partner, id, 'matched');
    await api(context.app).post(`/v1/requests/${id}/invitations`).set(partner).send({ expertId: expert.id }).expect(201);
    const [invitation] = await pendingInvitations(context.app, admin(), id);
    const summary = await api(context.app).get(`/v1/requests/${id}`).set(expert.auth).expect(200);
    expect(summary.body.view).toBe('summary');
    expect(JSON.stringify(summary.body)).not.toContain('ewa.zielinska');

    await api(context.app).post(`/v1/invitations/${invitation!.id}/accept`).set(expert.auth).expect(200);
    const full = await api(context.app).get(`/v1/requests/${id}`).set(expert.auth).expect(200);
    expect(full.body.acceptedExpertId).toBe(expert.id);
    expect(full.body.contact).toEqual(contact);
  });
});

describe('PATCH /v1/requests/{id} contact', () => {
  it("replaces the contact, defaulting its language to the request's languages", async () => {
    const id = await submitRequest(context.app, admin(), { languages: ['de'], contact: { name: 'A', email: 'a@example.org' } });
    let read = await api(context.app).get(`/v1/requests/${id}`).set(admin()).expect(200);
    // The matching job moves it on first: patch the revision it leaves.
    while (read.body.stage === 'submitted') read = await api(context.app).get(`/v1/requests/${id}`).set(admin()).expect(200);
    const patched = await api(context.app)
      .patch(`/v1/requests/${id}`)
      .set(admin())
      .set('If-Match', read.headers.etag!)
      .send({ contact: { name: 'Greta Lindqvist', email: 'greta@example.se' }, languages: ['sv', 'en'] })
      .expect(200);
    expect(patched.body.contact).toEqual({ name: 'Greta Lindqvist', email: 'greta@example.se', language: 'sv' });
  });
});

describe('DELETE /v1/requests/{id}/contact', () => {
  it("erases the contact for the owner, keeps the request, and answers 204 again when repeated", async () => {
    const requester = await createKey(context.app, admin(), { role: 'requester' });
    const id = await submitRequest(context.app, requester);
    await api(context.app).delete(`/v1/requests/${id}/contact`).set(requester).expect(204);
    const after = await api(context.app).get(`/v1/requests/${id}`).set(requester).expect(200);
    expect(after.body.contact).toBeUndefined();
    expect(after.body.title).toBe(requestBody().title);
    await api(context.app).delete(`/v1/requests/${id}/contact`).set(requester).expect(204);
  });

  it('answers 404 to another owner and 403 to an expert key, and erases nothing', async () => {
    const owner = await createKey(context.app, admin(), { role: 'partner' });
    const stranger = await createKey(context.app, admin(), { role: 'partner' });
    const expert = await createExpert(context.app, admin());
    const id = await submitRequest(context.app, owner);
    await api(context.app).delete(`/v1/requests/${id}/contact`).set(stranger).expect(404);
    await api(context.app).delete(`/v1/requests/${id}/contact`).set(expert.auth).expect(403);
    expect((await api(context.app).get(`/v1/requests/${id}`).set(owner).expect(200)).body.contact.name).toBe('Ewa Zielińska');
  });
});

describe('expert preferredLanguage and timeZone', () => {
  it('defaults to the first language the service writes and to the zone of the country', async () => {
    const cases = [
      { languages: ['da', 'lt', 'en'], country: 'LT', language: 'lt', zone: 'Europe/Vilnius' },
      { languages: ['pl'], country: 'PL', language: 'pl', zone: 'Europe/Warsaw' },
      { languages: ['da'], country: 'DK', language: 'en', zone: 'Europe/Copenhagen' },
      { languages: ['fi', 'sv'], country: 'FI', language: 'sv', zone: 'UTC' },
    ];
    for (const { languages, country, language, zone } of cases) {
      const { id } = await createExpert(context.app, admin(), { languages, location: { country } });
      const expert = (await api(context.app).get(`/v1/experts/${id}`).set(admin()).expect(200)).body;
      expect({ preferredLanguage: expert.preferredLanguage, timeZone: expert.timeZone }).toEqual({ preferredLanguage: language, timeZone: zone });
    }
  });

  it('keeps a chosen language and zone, and returns to the defaults when they are set to null', async () => {
    const { id } = await createExpert(context.app, admin(), { languages: ['pl', 'en'], preferredLanguage: 'de', timeZone: 'Europe/Berlin' });
    const chosen = await api(context.app).get(`/v1/experts/${id}`).set(admin()).expect(200);
    expect([chosen.body.preferredLanguage, chosen.body.timeZone]).toEqual(['de', 'Europe/Berlin']);
    const reset = await api(context.app).patch(`/v1/experts/${id}`).set(admin()).set('If-Match', chosen.headers.etag!).send({ preferredLanguage: null, timeZone: null }).expect(200);
    expect([reset.body.preferredLanguage, reset.body.timeZone]).toEqual(['pl', 'Europe/Warsaw']);
  });

  it('refuses a zone the time-zone database does not know and a language the service does not write, naming the field', async () => {
    const cases = [
      { overrides: { timeZone: 'Mars/Olympus_Mons' }, path: 'timeZone' },
      { overrides: { timeZone: '+02:00' }, path: 'timeZone' },
      { overrides: { timeZone: 'europe vilnius' }, path: 'timeZone' },
      { overrides: { preferredLanguage: 'fi' }, path: 'preferredLanguage' },
    ];
    for (const { overrides, path } of cases) {
      const response = await api(context.app)
        .post('/v1/experts')
        .set(admin())
        .send({ name: 'X', email: `x.${Date.now()}@example.org`, skills: ['branding'], languages: ['en'], location: { country: 'LT' }, ...overrides })
        .expect(400);
      expect(response.body.errors.map((error: { path: string }) => error.path)).toEqual([path]);
    }
  });
});
