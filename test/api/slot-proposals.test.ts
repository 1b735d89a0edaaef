import { readEvent } from '../helpers/ical';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, invite, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

let context: TestContext;
let receiver: WebhookReceiver;

beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'off', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50' }, { workers: true });
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver.close();
  await context.close();
});

const admin = () => bearer(context.adminKey);
const DAY = 24 * 60 * 60 * 1000;
/** A whole hour `days` from now, in UTC. */
const future = (days: number, hour = 9) => {
  const at = new Date(Date.now() + days * DAY);
  at.setUTCHours(hour, 0, 0, 0);
  return at.toISOString();
};

/** A request matched by the matching job, owned by a fresh partner. */
async function matchedRequest() {
  const owner = await createKey(context.app, admin(), { role: 'partner' });
  const requestId = await submitRequest(context.app, owner);
  await waitForStage(context.app, owner, requestId, 'matched');
  return { owner, requestId };
}

/** A request its expert has accepted, owned by a fresh partner. */
async function acceptedRequest() {
  const expert = await createExpert(context.app, admin());
  const { owner, requestId } = await matchedRequest();
  const invitation = await invite(context, owner, requestId, expert.id);
  await api(context.app).post(`/v1/invitations/${invitation.id}/accept`).set(expert.auth).expect(200);
  return { owner, requestId, expert };
}

const read = async (requestId: string) => (await api(context.app).get(`/v1/requests/${requestId}`).set(admin()).expect(200)).body;
const etagOf = async (requestId: string) => (await api(context.app).get(`/v1/requests/${requestId}`).set(admin()).expect(200)).headers.etag;
const propose = (requestId: string, auth: Auth, body: unknown) => api(context.app).post(`/v1/requests/${requestId}/proposals`).set(auth).send(body as object);
const pick = (requestId: string, auth: Auth, slotId: string) => api(context.app).post(`/v1/requests/${requestId}/proposals/${slotId}/pick`).set(auth);
const twoSlots = () => ({ slots: [{ startsAt: future(3) }, { startsAt: future(4, 12), durationMinutes: 90 }], timeZone: 'Europe/Warsaw', location: 'Muzeum, sala 2' });

describe('POST /v1/requests/{id}/proposals', () => {
  it('stores the slots in UTC with ids, answers the request with its ETag, and tells the owner’s webhook ids and instants only', async () => {
    const { owner, requestId, expert } = await acceptedRequest();
    await api(context.app).post('/v1/webhooks').set(owner).send({ url: receiver.url, events: ['consultation.proposed'] }).expect(201);
    const body = { slots: [{ startsAt: future(5).replace('Z', '+03:00'), durationMinutes: 45 }, { startsAt: future(6) }], timeZone: 'Europe/Vilnius', meetingUrl: 'https://meet.example.org/secret-room' };

    const response = await propose(requestId, expert.auth, body).expect(200);
    expect(response.headers.etag).toBe(await etagOf(requestId));
    const firstInstant = new Date(Date.parse(body.slots[0]!.startsAt)).toISOString();
    expect(response.body.stage).toBe('accepted');
    expect(response.body.proposal).toMatchObject({
      number: 1,
      slots: [
        { id: 'p1s1', startsAt: firstInstant, durationMinutes: 45 },
        { id: 'p1s2', startsAt: body.slots[1]!.startsAt, durationMinutes: 60 },
      ],
      timeZone: 'Europe/Vilnius',
      meetingUrl: body.meetingUrl,
    });
    expect(response.body.history).toHaveLength(4);

    const [delivery] = await receiver.waitFor(1);
    const event = JSON.parse(delivery!.body) as { type: string; data: Record<string, unknown> };
    expect(event.type).toBe('consultation.proposed');
    expect(event.data).toEqual({
      requestId,
      stage: 'accepted',
      proposal: 1,
      timeZone: 'Europe/Vilnius',
      slots: [
        { id: 'p1s1', startsAt: firstInstant, durationMinutes: 45 },
        { id: 'p1s2', startsAt: body.slots[1]!.startsAt, durationMinutes: 60 },
      ],
    });
    expect(delivery!.body).not.toContain('secret-room');
  });

  it.each([
    ['four slots', { slots: [1, 2, 3, 4].map((day) => ({ startsAt: future(day) })), timeZone: 'Europe/Warsaw', location: 'x' }, 'slots'],
    ['no slot', { slots: [], timeZone: 'Europe/Warsaw', location: 'x' }, 'slots'],
    ['overlapping slots', { slots: [{ startsAt: future(3), durationMinutes: 90 }, { startsAt: future(3).replace('T09:00', 'T10:00') }], timeZone: 'Europe/Warsaw', location: 'x' }, 'slots.1'],
    ['the same slot twice', { slots: [{ startsAt: future(3) }, { startsAt: future(3) }], timeZone: 'Europe/Warsaw', location: 'x' }, 'slots.1'],
    ['an unknown zone', { slots: [{ startsAt: future(3) }], timeZone: 'Europe/Atlantis', location: 'x' }, 'timeZone'],
    ['a zone offset instead of a name', { slots: [{ startsAt: future(3) }], timeZone: '+02:00', location: 'x' }, 'timeZone'],
    ['both a place and a link', { slots: [{ startsAt: future(3) }], timeZone: 'Europe/Warsaw', location: 'x', meetingUrl: 'https://meet.example.org/a' }, 'location'],
    ['neither a place nor a link', { slots: [{ startsAt: future(3) }], timeZone: 'Europe/Warsaw' }, 'location'],
    ['a slot in the past', { slots: [{ startsAt: new Date(Date.now() - 3_600_000).toISOString() }], timeZone: 'Europe/Warsaw', location: 'x' }, 'slots.0.startsAt'],
    ['a slot three years ahead', { slots: [{ startsAt: future(3 * 365) }], timeZone: 'Europe/Warsaw', location: 'x' }, 'slots.0.startsAt'],
    ['a javascript: link', { slots: [{ startsAt: future(3) }], timeZone: 'Europe/Warsaw', meetingUrl: 'javascript:alert(1)' }, 'meetingUrl'],
  ])('refuses %s with a 400 naming the field, and changes nothing', async (_name, body, path) => {
    const { requestId, expert } = await acceptedRequest();
    const before = await read(requestId);
    const response = await propose(requestId, expert.auth, body).expect(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(path);
    expect(await read(requestId)).toEqual(before);
  });

  it('lets only the accepted expert or an admin propose, only while accepted or scheduled', async () => {
    const { owner, requestId, expert } = await acceptedRequest();
    const stranger = await createExpert(context.app, admin());
    const before = await read(requestId);
    await propose(requestId, owner, twoSlots()).expect(403);
    await propose(requestId, stranger.auth, twoSlots()).expect(404);
    expect(await read(requestId)).toEqual(before);
    await propose(requestId, admin(), twoSlots()).expect(200);

    // A feasible expert, so that the request below is matched.
    await createExpert(context.app, admin());
    const matched = await matchedRequest();
    const refused = await propose(matched.requestId, admin(), twoSlots()).expect(409);
    expect(refused.body).toMatchObject({ code: 'invalid_transition', stage: 'matched' });
    await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(owner).send({ reason: 'Funding ended' }).expect(200);
    await propose(requestId, expert.auth, twoSlots()).expect(409);
  });
});

describe('POST /v1/requests/{id}/proposals/{slotId}/pick', () => {
  it('schedules at the slot for the owner; a second pick, a stale slot and an unknown one are refused saying why', async () => {
    const { owner, requestId, expert } = await acceptedRequest();
    await propose(requestId, expert.auth, twoSlots()).expect(200);
    const newer = (await propose(requestId, expert.auth, twoSlots()).expect(200)).body;
    expect(newer.proposal.slots.map((slot: { id: string }) => slot.id)).toEqual(['p2s1', 'p2s2']);

    await pick(requestId, expert.auth, 'p2s2').expect(403);
    const stale = await pick(requestId, owner, 'p1s2').expect(409);
    expect(stale.body).toMatchObject({ code: 'conflict', reason: 'superseded' });
    expect(stale.body.detail).toContain('p1s2');
    await pick(requestId, owner, 'p2s3').expect(404);
    await pick(requestId, owner, 'slot-2').expect(400);
    expect((await read(requestId)).stage).toBe('accepted');

    const pickedResponse = await pick(requestId, owner, 'p2s2').expect(200);
    const picked = pickedResponse.body;
    const slot = newer.proposal.slots[1];
    expect(picked.stage).toBe('scheduled');
    expect(picked.schedule).toEqual({ startsAt: slot.startsAt, durationMinutes: 90, location: 'Muzeum, sala 2' });
    expect(picked.proposal).toMatchObject({ pickedSlotId: 'p2s2' });

    const again = await pick(requestId, owner, 'p2s1').expect(409);
    expect(again.body).toMatchObject({ reason: 'picked' });
    await pick(requestId, owner, 'p2s2').expect(409);
    expect(await etagOf(requestId)).toBe(pickedResponse.headers.etag);
  });

  it('moves a scheduled consultation only when a new slot is picked; a direct schedule retires an open proposal', async () => {
    const { owner, requestId, expert } = await acceptedRequest();
    const first = future(3);
    await api(context.app).post(`/v1/requests/${requestId}/schedule`).set(owner).send({ startsAt: first }).expect(200);
    await propose(requestId, expert.auth, twoSlots()).expect(200);
    const waiting = await read(requestId);
    expect(waiting.schedule.startsAt).toBe(first);
    const moved = (await pick(requestId, owner, 'p1s1').expect(200)).body;
    expect(moved.schedule.startsAt).toBe(waiting.proposal.slots[0].startsAt);
    expect(moved.history.map((entry: { stage: string }) => entry.stage).slice(-2)).toEqual(['scheduled', 'scheduled']);

    await propose(requestId, expert.auth, twoSlots()).expect(200);
    await api(context.app).post(`/v1/requests/${requestId}/schedule`).set(admin()).send({ startsAt: future(9) }).expect(200);
    const retired = await pick(requestId, owner, 'p2s1').expect(409);
    expect(retired.body).toMatchObject({ reason: 'superseded' });
  });
});

describe('GET /v1/requests/{id}/calendar.ics', () => {
  it('is 404 before scheduling, then one UTC event for the parties; cancelled after a cancellation', async () => {
    const { owner, requestId, expert } = await acceptedRequest();
    await api(context.app).get(`/v1/requests/${requestId}/calendar.ics`).set(owner).expect(404);
    await propose(requestId, expert.auth, twoSlots()).expect(200);
    const { proposal } = (await pick(requestId, owner, 'p1s2').expect(200)).body;

    const response = await api(context.app).get(`/v1/requests/${requestId}/calendar.ics`).set(expert.auth).set('Accept-Language', 'de').expect(200);
    expect(response.headers['content-type']).toBe('text/calendar; charset=utf-8');
    const { method, event } = readEvent(response.text);
    expect(method).toBeNull();
    expect(event.startDate.toJSDate().toISOString()).toBe(proposal.slots[1].startsAt);
    expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(90 * 60_000);
    expect(event.startDate.zone.tzid).toBe('UTC');
    expect(event.uid).toBe(`${requestId}@${context.config.MAIL_FROM.replace(/^.*@/, '').replace(/>$/, '')}`);
    expect(event.sequence).toBe(0);
    expect(event.summary).toMatch(/^Beratung: /);
    expect(event.location).toBe('Muzeum, sala 2');

    const stranger = await createExpert(context.app, admin());
    await api(context.app).get(`/v1/requests/${requestId}/calendar.ics`).set(stranger.auth).expect(404);
    await api(context.app).post(`/v1/requests/${requestId}/cancel`).set(owner).send({ reason: 'Funding ended' }).expect(200);
    const { vevent: gone } = readEvent((await api(context.app).get(`/v1/requests/${requestId}/calendar.ics`).set(owner).expect(200)).text);
    expect(gone.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(gone.getFirstPropertyValue('sequence')).toBe(1);
  });
});
