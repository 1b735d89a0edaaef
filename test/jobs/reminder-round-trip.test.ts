import type { Job } from 'bull';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, pendingInvitations, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

const HOUR_MS = 60 * 60 * 1000;

let context: TestContext;
let admin: Auth;
let partner: Auth;
let receiver: WebhookReceiver;
let expert: Awaited<ReturnType<typeof createExpert>>;

beforeAll(async () => {
  context = await startTestContext({ AUTO_INVITE: 'on', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50' }, { workers: true });
  admin = bearer(context.adminKey);
  partner = await createKey(context.app, admin, { role: 'partner' });
  receiver = await startWebhookReceiver();
  await api(context.app).post('/v1/webhooks').set(partner).send({ url: receiver.url, events: ['consultation.reminder'] }).expect(201);
  expert = await createExpert(context.app, admin);
});
afterAll(async () => {
  await receiver.close();
  await context.close();
});

const reminderQueue = () => context.queues.queue('consultation-reminder');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A request of the partner, accepted by the expert, ready to be scheduled. */
async function acceptedRequest(): Promise<string> {
  const requestId = await submitRequest(context.app, partner);
  const [invitation] = await pendingInvitations(context.app, admin, requestId);
  await api(context.app).post(`/v1/invitations/${invitation!.id}/accept`).set(expert.auth).expect(200);
  await waitForStage(context.app, partner, requestId, 'accepted');
  return requestId;
}

const schedule = (requestId: string, startsAt: Date) =>
  api(context.app).post(`/v1/requests/${requestId}/schedule`).set(partner).send({ startsAt: startsAt.toISOString(), durationMinutes: 60 }).expect(200);

const remindersOf = (requestId: string) =>
  receiver.received.map((delivery) => JSON.parse(delivery.body) as { type: string; data: { requestId: string; startsAt: string } }).filter((event) => event.data.requestId === requestId);

async function waitForReminders(requestId: string, count: number, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  while (remindersOf(requestId).length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} reminders of ${requestId}, got ${remindersOf(requestId).length}`);
    await sleep(50);
  }
  return remindersOf(requestId);
}

/** Waits until a reminder job for this request and start time has completed; returns what it returned. */
async function completedReminderJob(requestId: string, startsAt: Date, timeoutMs = 10000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = (await reminderQueue().getCompleted()) as Array<Job<{ requestId: string; startsAt: string }>>;
    const done = jobs.find((job) => job.data.requestId === requestId && job.data.startsAt === startsAt.toISOString());
    if (done) return done.returnvalue;
    if (Date.now() > deadline) throw new Error(`no completed reminder job for ${requestId} at ${startsAt.toISOString()}`);
    await sleep(100);
  }
}

/**
 * A: the reminder of A falls due a few seconds from now (24 h before A), time enough to move the consultation to B
 * first, so that A's job runs while the consultation is at B.
 */
async function roundTripToB(requestId: string) {
  const a = new Date(Date.now() + 24 * HOUR_MS + 4000);
  const b = new Date(Date.now() + 72 * HOUR_MS);
  await schedule(requestId, a);
  await schedule(requestId, b);
  expect(await completedReminderJob(requestId, a)).toBe(false);
  expect(remindersOf(requestId)).toEqual([]);
  return a;
}

describe('the reminder after a schedule moved away and back (A → B → A)', () => {
  it('is sent for A once the schedule is back at A, although the first job for A already ran', async () => {
    const requestId = await acceptedRequest();
    const a = await roundTripToB(requestId);

    const back = await schedule(requestId, a);
    expect(back.body.schedule.startsAt).toBe(a.toISOString());
    const [reminder] = await waitForReminders(requestId, 1);
    expect(reminder).toMatchObject({ type: 'consultation.reminder', data: { requestId, startsAt: a.toISOString(), expertId: expert.id } });
    await sleep(500);
    expect(remindersOf(requestId)).toHaveLength(1);
  });

  it('is repaired by the reconciler when Redis lost the job of the move back to A, and sent once', async () => {
    const requestId = await acceptedRequest();
    const a = await roundTripToB(requestId);

    await reminderQueue().pause();
    await schedule(requestId, a);
    const queued = (await reminderQueue().getJobs(['paused', 'waiting'])) as Array<Job<{ requestId: string }>>;
    const lost = queued.filter((job) => job.data.requestId === requestId);
    expect(lost).toHaveLength(1);
    await lost[0]!.remove();
    await reminderQueue().resume();
    await sleep(500);
    expect(remindersOf(requestId)).toEqual([]);

    await context.services.reconciler.runOnce();
    const [reminder] = await waitForReminders(requestId, 1);
    expect(reminder).toMatchObject({ type: 'consultation.reminder', data: { requestId, startsAt: a.toISOString() } });

    await context.services.reconciler.runOnce();
    await sleep(500);
    expect(remindersOf(requestId)).toHaveLength(1);
  });
});
