import mongoose from 'mongoose';
import { api } from '../helpers/contract';
import { buildExpert, buildRequest, createExpert, createRequest, uniqueTag, type Auth } from '../helpers/factories';
import { bearer } from '../helpers/keys';
import { startTestContext, uniqueSuffix, type TestContext } from '../helpers/test-context';

let context: TestContext;
beforeAll(async () => {
  context = await startTestContext();
});
afterAll(() => context.close());

const admin = (): Auth => bearer(context.adminKey);
const nfc = (value: string) => value.normalize('NFC');
const nfd = (value: string) => value.normalize('NFD');
const storedExpert = (id: string) => mongoose.connection.collection('experts').findOne({ _id: new mongoose.Types.ObjectId(id) });
const storedRequest = (id: string) => mongoose.connection.collection('requests').findOne({ _id: new mongoose.Types.ObjectId(id) });
const errorPaths = (body: { errors: Array<{ path: string }> }) => body.errors.map((error) => error.path);

async function etagOf(path: string): Promise<string> {
  return (await api(context.app).get(path).set(admin()).expect(200)).headers.etag as string;
}

describe('Unicode NFC at the boundary', () => {
  const name = 'Rūta Petrauskienė';
  const skill = () => `${uniqueTag('parodų')} dizainas ąžuolų`;

  it('refuses a skill list with one word precomposed and decomposed, naming skills, and stores nothing', async () => {
    const tag = skill();
    const response = await api(context.app)
      .post('/v1/experts')
      .set(admin())
      .send(buildExpert({ skills: [nfc(tag), nfd(tag)] }))
      .expect(400);
    expect(errorPaths(response.body)).toEqual(['skills']);
    const listed = await api(context.app).get(`/v1/experts?skill=${encodeURIComponent(nfc(tag))}`).set(admin()).expect(200);
    expect(listed.body.items).toEqual([]);
  });

  it('stores names, headlines, skills and places of an expert in NFC, and finds them by an NFD query', async () => {
    const tag = skill();
    const expert = await createExpert(context.app, admin(), {
      name: nfd(name),
      headline: nfd('Parodų dizainerė iš Klaipėdos'),
      skills: [nfd(tag)],
      location: { country: 'LT', city: nfd('Klaipėda') },
    });
    expect([expert.name, expert.headline, expert.skills, expert.location.city]).toEqual([nfc(name), nfc('Parodų dizainerė iš Klaipėdos'), [nfc(tag)], nfc('Klaipėda')]);
    const stored = await storedExpert(expert.id);
    expect([stored?.name, stored?.skills, stored?.location.city]).toEqual([nfc(name), [nfc(tag)], nfc('Klaipėda')]);

    const listed = await api(context.app).get(`/v1/experts?skill=${encodeURIComponent(nfd(tag))}`).set(admin()).expect(200);
    expect(listed.body.items.map((item: { id: string }) => item.id)).toEqual([expert.id]);
  });

  it('normalises a PATCH before checking it: a decomposed duplicate is refused and nothing changes, a decomposed name is stored composed', async () => {
    const tag = skill();
    const expert = await createExpert(context.app, admin(), { skills: [tag] });
    const refused = await api(context.app)
      .patch(`/v1/experts/${expert.id}`)
      .set(admin())
      .set('If-Match', await etagOf(`/v1/experts/${expert.id}`))
      .send({ name: nfd(name), skills: [nfd(tag), nfc(tag)] })
      .expect(400);
    expect(errorPaths(refused.body)).toEqual(['skills']);
    expect((await storedExpert(expert.id))?.name).toBe(expert.name);

    const changed = await api(context.app)
      .patch(`/v1/experts/${expert.id}`)
      .set(admin())
      .set('If-Match', await etagOf(`/v1/experts/${expert.id}`))
      .send({ name: nfd(name), bio: nfd('Gintaro ir ąžuolo parodos') })
      .expect(200);
    expect([changed.body.name, changed.body.bio]).toEqual([nfc(name), nfc('Gintaro ir ąžuolo parodos')]);
    expect((await storedExpert(expert.id))?.name).toBe(nfc(name));
  });

  it('stores a request’s organisation, title, description and skills in NFC, and refuses NFC/NFD duplicates', async () => {
    const tag = skill();
    const duplicate = await api(context.app).post('/v1/requests').set(admin()).send(buildRequest({ skills: [nfc(tag), nfd(tag)] })).expect(400);
    expect(errorPaths(duplicate.body)).toEqual(['skills']);

    const organization = { name: nfd('Klaipėdos kultūros centras'), type: 'cultural' as const, country: 'LT' };
    const request = await createRequest(context.app, admin(), { organization, title: nfd('Parodų erdvė'), description: nfd('Reikia parodų dizainerio.'), skills: [nfd(tag)] });
    expect([request.organization.name, request.title, request.description, request.skills]).toEqual([nfc(organization.name), nfc('Parodų erdvė'), nfc('Reikia parodų dizainerio.'), [nfc(tag)]]);
    const stored = await storedRequest(request.id);
    expect([stored?.organization.name, stored?.title, stored?.skills]).toEqual([nfc(organization.name), nfc('Parodų erdvė'), [nfc(tag)]]);

    const patched = await api(context.app)
      .patch(`/v1/requests/${request.id}`)
      .set(admin())
      .set('If-Match', await etagOf(`/v1/requests/${request.id}`))
      .send({ title: nfd('Naujas parodų maršrutas'), topic: nfd('ekspozicija') })
      .expect(200);
    expect([patched.body.title, patched.body.topic]).toEqual([nfc('Naujas parodų maršrutas'), 'ekspozicija']);
    expect((await storedRequest(request.id))?.title).toBe(nfc('Naujas parodų maršrutas'));
  });

  it('answers the same suggestions to a query in either form', async () => {
    const composed = await api(context.app).get(`/v1/skills?q=${encodeURIComponent(nfc('parodų'))}&lang=lt`).set(admin()).expect(200);
    const decomposed = await api(context.app).get(`/v1/skills?q=${encodeURIComponent(nfd('parodų'))}&lang=lt`).set(admin()).expect(200);
    expect(composed.body.items.length).toBeGreaterThan(0);
    expect(decomposed.body.items).toEqual(composed.body.items);
  });

  it('replays an idempotent create retried with the same text in the other form', async () => {
    const key = `nfc-${uniqueSuffix()}`;
    const body = buildRequest({ title: nfc('Parodų erdvė') });
    const first = await api(context.app).post('/v1/requests').set(admin()).set('Idempotency-Key', key).send(body).expect(201);
    const retry = await api(context.app)
      .post('/v1/requests')
      .set(admin())
      .set('Idempotency-Key', key)
      .send({ ...body, title: nfd('Parodų erdvė') })
      .expect(201)
      .expect('Idempotent-Replayed', 'true');
    expect(retry.body.id).toBe(first.body.id);
  });
});

describe('e-mail addresses', () => {
  const address = () => `Ruta.Petrauskiene.${uniqueSuffix()}@Example.ORG`;
  const withLowerDomain = (email: string) => email.replace(/@.*$/, (domain) => domain.toLowerCase());

  it('keeps the spelling of the local part and lower-cases the domain', async () => {
    const email = address();
    const expert = await createExpert(context.app, admin(), { email });
    expect(expert.email).toBe(withLowerDomain(email));
    expect((await api(context.app).get(`/v1/experts/${expert.id}`).set(admin()).expect(200)).body.email).toBe(withLowerDomain(email));
    const stored = await storedExpert(expert.id);
    expect([stored?.emailAsGiven, stored?.email]).toEqual([withLowerDomain(email), email.toLowerCase()]);
  });

  it('refuses another profile with the same address in any case with 409, and creates nothing', async () => {
    const email = address();
    const first = await createExpert(context.app, admin(), { email, skills: [uniqueTag('amber')] });
    const skillTag = uniqueTag('amber');
    const response = await api(context.app).post('/v1/experts').set(admin()).send(buildExpert({ email: email.toUpperCase(), skills: [skillTag] })).expect(409);
    expect(response.body.code).toBe('duplicate');
    expect((await api(context.app).get(`/v1/experts?skill=${skillTag}`).set(admin()).expect(200)).body.items).toEqual([]);
    expect((await storedExpert(first.id))?.emailAsGiven).toBe(withLowerDomain(email));
  });

  it('lets a profile change the case of its own address but not take another’s', async () => {
    const taken = await createExpert(context.app, admin(), { email: address() });
    const expert = await createExpert(context.app, admin(), { email: address() });
    const path = `/v1/experts/${expert.id}`;
    const refused = await api(context.app).patch(path).set(admin()).set('If-Match', await etagOf(path)).send({ email: taken.email.toLowerCase() }).expect(409);
    expect(refused.body.code).toBe('duplicate');

    const respelt = expert.email.replace(/^[^@]+/, (local) => local.toUpperCase());
    const changed = await api(context.app).patch(path).set(admin()).set('If-Match', await etagOf(path)).send({ email: respelt }).expect(200);
    expect(changed.body.email).toBe(respelt);
    expect((await storedExpert(expert.id))?.email).toBe(expert.email.toLowerCase());
  });

  it('still reads and guards an address stored lower-case before the spelling was kept', async () => {
    const email = `legacy.person.${uniqueSuffix()}@example.org`;
    const id = new mongoose.Types.ObjectId();
    await mongoose.connection.collection('experts').insertOne({
      _id: id,
      ownerId: 'legacy-owner', name: 'Legacy Person', email, skills: ['weaving'], skillKeys: ['weaving'], languages: ['lt'],
      location: { country: 'LT' }, modes: ['online'], capacity: 1, status: 'active', revision: 1, createdAt: new Date(), updatedAt: new Date(),
    });
    expect((await api(context.app).get(`/v1/experts/${id.toHexString()}`).set(admin()).expect(200)).body.email).toBe(email);
    const response = await api(context.app).post('/v1/experts').set(admin()).send(buildExpert({ email: email.replace('legacy.person', 'Legacy.Person') })).expect(409);
    expect(response.body.code).toBe('duplicate');
  });
});
