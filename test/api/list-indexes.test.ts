import { Types } from 'mongoose';
import type { Express } from 'express';
import { RequestModel } from '../../src/requests/request.model';
import { api } from '../helpers/contract';
import { createRequest, type Auth, type ConsultationRequest } from '../helpers/factories';
import { bearer, createKey } from '../helpers/keys';
import { createExpert as createExpertWithKey, submitRequest } from '../helpers/scenario';
import { buildTestApp, startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let other: ReturnType<typeof buildTestApp>;
beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'off' });
  other = buildTestApp(context.config);
  await other.services.requests.warmUp();
});
afterAll(async () => {
  await other.close();
  await context.close();
});

const admin = () => bearer(context.adminKey);
const partnerKey = () => createKey(context.app, context.adminKey, { role: 'partner' });
const cancel = (auth: Auth, id: string) => api(context.app).post(`/v1/requests/${id}/cancel`).set(auth).send({ reason: 'no longer needed' }).expect(200);

/** Every id of the list, page by page (`limit` each), in the order served. */
async function listIds(app: Express, auth: Auth, query = '', limit = 100): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/v1/requests?limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const response = await api(app).get(url).set(auth).expect(200);
    ids.push(...(response.body.items as ConsultationRequest[]).map((request) => request.id));
    cursor = response.body.nextCursor;
  } while (cursor);
  return ids;
}

/** What `read` gives once it equals `expected` (changes reach the other instance over Redis), or after 2 s. */
async function eventually(read: () => Promise<string[]>, expected: string[]): Promise<string[]> {
  const deadline = Date.now() + 2000;
  let ids = await read();
  while (JSON.stringify(ids) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    ids = await read();
  }
  return ids;
}

const listedByOther = (auth: Auth, query: string, expected: string[]) => eventually(() => listIds(other.app, auth, query), expected);

async function invitationIds(app: Express, auth: Auth, query = ''): Promise<string[]> {
  const response = await api(app).get(`/v1/invitations?limit=100${query}`).set(auth).expect(200);
  return (response.body.items as Array<{ id: string }>).map((invitation) => invitation.id);
}

describe('GET /v1/requests from the request index', () => {
  it('lists on a second instance a request filed, cancelled and moved on the first', async () => {
    const partner = await partnerKey();
    expect(await listIds(other.app, partner.auth)).toEqual([]);

    const filed = await createRequest(context.app, partner.auth, { location: { country: 'PT', city: 'Porto' } });
    expect(await listedByOther(partner.auth, '', [filed.id])).toEqual([filed.id]);

    await cancel(partner.auth, filed.id);
    expect(await listedByOther(partner.auth, '&stage=cancelled', [filed.id])).toEqual([filed.id]);
    expect(await listIds(other.app, partner.auth, '&stage=submitted')).toEqual([]);

    const second = await createRequest(context.app, partner.auth, { location: { country: 'PT', city: 'Lisbon' } });
    await api(context.app).patch(`/v1/requests/${second.id}`).set(partner.auth).set('If-Match', '"r1"').send({ location: { country: 'ES', city: 'Vigo' } }).expect(200);
    expect(await listedByOther(partner.auth, '&country=ES', [second.id])).toEqual([second.id]);
    expect(await listIds(other.app, partner.auth, '&country=PT')).toEqual([filed.id]);
  });

  it('pages a stage filter across requests that leave the stage between pages', async () => {
    const partner = await partnerKey();
    const ids: string[] = [];
    for (let index = 0; index < 5; index += 1) ids.push((await createRequest(context.app, partner.auth)).id);

    const first = await api(context.app).get('/v1/requests?limit=2&stage=submitted').set(partner.auth).expect(200);
    expect(first.body.items.map((request: ConsultationRequest) => request.id)).toEqual(ids.slice(0, 2));
    await cancel(partner.auth, ids[2]!);
    await cancel(partner.auth, ids[3]!);
    await cancel(partner.auth, ids[0]!);

    const second = await api(context.app).get(`/v1/requests?limit=2&stage=submitted&cursor=${encodeURIComponent(first.body.nextCursor)}`).set(partner.auth).expect(200);
    expect(second.body.items.map((request: ConsultationRequest) => request.id)).toEqual([ids[4]]);
    expect(second.body.nextCursor).toBeNull();
    expect(await listIds(context.app, partner.auth, '&stage=cancelled', 1)).toEqual([ids[0], ids[2], ids[3]]);
    expect(await listIds(context.app, partner.auth, '', 2)).toEqual(ids);
    const listed = (await api(context.app).get('/v1/requests?limit=5').set(partner.auth).expect(200)).body.items;
    const readById = await Promise.all(ids.map(async (id) => (await api(other.app).get(`/v1/requests/${id}`).set(partner.auth).expect(200)).body));
    expect(listed).toEqual(readById);
  });

  it('judges a request it has not read by the document when the index is behind it, and fills the page from further on', async () => {
    const partner = await partnerKey();
    const [changedBehind, next] = [await createRequest(context.app, partner.auth), await createRequest(context.app, partner.auth)];
    const restarted = buildTestApp(context.config);
    try {
      await restarted.services.requests.warmUp();
      // A writer whose announcement never came: only the database knows the request left `submitted`.
      await RequestModel.collection.updateOne({ _id: new Types.ObjectId(changedBehind.id) }, { $set: { stage: 'cancelled' }, $inc: { revision: 1 } });

      const page = await api(restarted.app).get('/v1/requests?limit=1&stage=submitted').set(partner.auth).expect(200);
      expect(page.body.items.map((request: ConsultationRequest) => request.id)).toEqual([next.id]);
      expect(page.body.nextCursor).toBeNull();
      // Having read it, the index holds the request in its new stage.
      expect(await listIds(restarted.app, partner.auth, '&stage=cancelled')).toEqual([changedBehind.id]);
    } finally {
      await restarted.close();
    }
  });

  it('is rebuilt at start-up to what the database holds, for every owner, stage and country', async () => {
    const partner = await partnerKey();
    const filed = [await createRequest(context.app, partner.auth), await createRequest(context.app, partner.auth, { location: { country: 'FI', city: 'Oulu' } })];
    await cancel(partner.auth, filed[0]!.id);

    const restarted = buildTestApp(context.config);
    try {
      expect(await restarted.services.requests.warmUp()).toBe(await RequestModel.countDocuments());
      const stored = await RequestModel.find({}, { ownerId: 1, stage: 1, location: 1 }).sort({ _id: 1 }).lean();
      const idsWhere = (keep: (doc: (typeof stored)[number]) => boolean) => stored.filter(keep).map((doc) => doc._id.toHexString());
      expect(await listIds(restarted.app, admin(), '', 3)).toEqual(idsWhere(() => true));
      expect(await listIds(restarted.app, admin(), '&stage=submitted', 3)).toEqual(idsWhere((doc) => doc.stage === 'submitted'));
      expect(await listIds(restarted.app, admin(), '&stage=cancelled')).toEqual(idsWhere((doc) => doc.stage === 'cancelled'));
      expect(await listIds(restarted.app, admin(), '&country=FI')).toEqual(idsWhere((doc) => doc.location.country === 'FI'));
      expect(await listIds(restarted.app, partner.auth)).toEqual(filed.map((request) => request.id));
      expect(await listIds(restarted.app, partner.auth, '&stage=cancelled')).toEqual([filed[0]!.id]);
    } finally {
      await restarted.close();
    }
  });
});

describe('GET /v1/invitations from the invitation index', () => {
  it("lists on a second instance an expert's invitations made and answered on the first, by status", async () => {
    const expert = await createExpertWithKey(context.app, admin());
    const owner = (await partnerKey()).auth;
    expect(await invitationIds(other.app, expert.auth)).toEqual([]);
    const invited: string[] = [];
    for (let index = 0; index < 2; index += 1) {
      const requestId = await submitRequest(context.app, owner);
      expect(await context.services.consultations.runMatching(requestId)).toBe('matched');
      invited.push((await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(owner).send({ expertId: expert.id }).expect(201)).body.id);
    }
    expect(await eventually(() => invitationIds(other.app, expert.auth, '&status=pending'), invited)).toEqual(invited);

    await api(context.app).post(`/v1/invitations/${invited[0]}/decline`).set(expert.auth).send({}).expect(200);
    expect(await eventually(() => invitationIds(other.app, expert.auth, '&status=declined'), [invited[0]!])).toEqual([invited[0]]);
    expect(await invitationIds(other.app, expert.auth, '&status=pending')).toEqual([invited[1]]);
    expect(await invitationIds(other.app, expert.auth)).toEqual(invited);

    const restarted = buildTestApp(context.config);
    try {
      await restarted.services.invitations.warmUp();
      expect(await invitationIds(restarted.app, expert.auth, '&status=declined')).toEqual([invited[0]]);
      expect(await invitationIds(restarted.app, admin(), '&status=pending')).toContain(invited[1]);
    } finally {
      await restarted.close();
    }
  });
});
