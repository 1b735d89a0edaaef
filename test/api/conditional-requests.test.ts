import { api } from '../helpers/contract';
import { createExpert, createRequest, type Auth } from '../helpers/factories';
import { bearer, createExpertWithKey, createKey, type TestKey } from '../helpers/keys';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let owner: TestKey;
let otherPartner: TestKey;
let otherExpert: TestKey;
beforeAll(async () => {
  context = await startTestContext();
  [owner, otherPartner] = await Promise.all([createKey(context.app, context.adminKey, { role: 'partner' }), createKey(context.app, context.adminKey, { role: 'partner' })]);
  otherExpert = (await createExpertWithKey(context.app, context.adminKey)).key;
});
afterAll(() => context.close());

/** A resource brought to revision 3 by two edits, so tags r1, r2 and r3 all name real revisions. */
async function requestAtR3(): Promise<string> {
  const { id } = await createRequest(context.app, owner.auth);
  for (const [revision, title] of [[1, 'Second title'], [2, 'Third title']] as const) {
    await api(context.app).patch(`/v1/requests/${id}`).set(owner.auth).set('If-Match', `"r${revision}"`).send({ title }).expect(200);
  }
  return id;
}

async function expertAtR3(): Promise<string> {
  const { id } = await createExpert(context.app, owner.auth);
  for (const [revision, capacity] of [[1, 2], [2, 3]] as const) {
    await api(context.app).patch(`/v1/experts/${id}`).set(owner.auth).set('If-Match', `"r${revision}"`).send({ capacity }).expect(200);
  }
  return id;
}

// RFC 9110 §13.1.1 against a current strong ETag "r3"; undefined sends no If-Match at all.
const HEADERS: Array<[string | undefined, number]> = [
  ['"r3"', 200],
  ['W/"r3"', 412],
  ['"r1", "r3"', 200],
  ['"r3","r1"', 200],
  [', "r3" ,', 200],
  ['*', 200],
  ['"r1"', 412],
  ['"r1", W/"r3"', 412],
  ['"r4"', 412],
  ['r3', 400],
  ['"r3" garbage', 400],
  [undefined, 428],
];

const CASES = [
  { resource: 'request', at: requestAtR3, path: (id: string) => `/v1/requests/${id}`, body: { title: 'Changed under a precondition' }, field: 'title' },
  { resource: 'expert', at: expertAtR3, path: (id: string) => `/v1/experts/${id}`, body: { capacity: 1 }, field: 'capacity' },
] as const;

describe.each(CASES)('If-Match on PATCH of a $resource', ({ at, path, body, field }) => {
  const patch = (id: string, auth: Auth, header: string | undefined) => {
    const call = api(context.app).patch(path(id)).set(auth);
    return (header === undefined ? call : call.set('If-Match', header)).send(body);
  };

  it.each(HEADERS)('the owner sending %p gets %i, and only a 200 changes it', async (header, status) => {
    const id = await at();
    const before = (await api(context.app).get(path(id)).set(owner.auth).expect(200)).body;
    const response = await patch(id, owner.auth, header).expect(status);
    const after = (await api(context.app).get(path(id)).set(owner.auth).expect(200)).body;
    if (status === 200) {
      expect(response.headers.etag).toBe('"r4"');
      expect(after[field]).toBe(body[field as keyof typeof body]);
    } else {
      expect(after).toEqual(before);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    if (status === 412) expect(response.body.currentEtag).toBe('"r3"');
    if (status === 400) expect(response.body.errors).toEqual([{ path: 'If-Match', message: expect.any(String) }]);
  });

  it.each(HEADERS)('a stranger sending %p gets the answer it gets without the header', async (header) => {
    const id = await at();
    const partnerWithout = (await patch(id, otherPartner.auth, undefined)).status;
    const expertWithout = (await patch(id, otherExpert.auth, undefined)).status;
    expect([403, 404]).toContain(partnerWithout);
    expect([403, 404]).toContain(expertWithout);
    expect((await patch(id, otherPartner.auth, header)).status).toBe(partnerWithout);
    expect((await patch(id, otherExpert.auth, header)).status).toBe(expertWithout);
    expect((await api(context.app).get(path(id)).set(owner.auth).expect(200)).headers.etag).toBe('"r3"');
  });
});

describe('If-Match and the stage', () => {
  it('answers a cancelled request with 409 whatever If-Match says: the edit is refused before the precondition is judged', async () => {
    const id = await requestAtR3();
    await api(context.app).post(`/v1/requests/${id}/cancel`).set(owner.auth).send({ reason: 'no longer needed' }).expect(200);
    for (const header of ['"r1"', 'W/"r4"', 'nonsense']) {
      const response = await api(context.app).patch(`/v1/requests/${id}`).set(owner.auth).set('If-Match', header).send({ title: 'Too late' }).expect(409);
      expect(response.body.stage).toBe('cancelled');
    }
  });

  it('lets an admin update with If-Match: * whatever the revision', async () => {
    const id = await requestAtR3();
    const response = await api(context.app).patch(`/v1/requests/${id}`).set(bearer(context.adminKey)).set('If-Match', '*').send({ title: 'By the admin' }).expect(200);
    expect(response.body.title).toBe('By the admin');
    expect(response.headers.etag).toBe('"r4"');
  });
});
