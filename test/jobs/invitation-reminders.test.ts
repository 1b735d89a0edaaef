import type { Job } from 'bull';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, submitRequest, waitForStage } from '../helpers/scenario';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startTestContext, type TestContext } from '../helpers/test-context';
import { ActionTokenModel } from '../../src/links/action-token.model';

const PUBLIC_BASE_URL = 'https://consult.example.test';
/** A day and three seconds to answer: the reminder (24 h before expiry) falls due three seconds after the invitation. */
const TTL_SECONDS = 24 * 60 * 60 + 3;

let context: TestContext;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
  context = await startTestContext(
    { MAIL: 'on', SMTP_URL: sink.url, MAIL_RETRY_BASE_MS: '50', AUTO_INVITE: 'off', INVITATION_TTL_SECONDS: String(TTL_SECONDS), PUBLIC_BASE_URL },
    { workers: true },
  );
});
afterAll(async () => {
  await context.close();
  await sink.stop();
});

const admin = () => bearer(context.adminKey);
const page = () => request(context.app);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const to = (address: string) => (mail: ParsedMail) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address;
const isReminder = (mail: ParsedMail) => mail.subject!.startsWith('Priminimas');
/** A header field's value as sent, unfolded (mailparser parses List-* fields into objects of its own). */
const headerOf = (mail: ParsedMail, name: string) => mail.headerLines.find((line) => line.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n(?=[ \t])/g, '');
const LINK = /https:\/\/consult\.example\.test\/a\/[A-Za-z0-9_-]{43}/g;
const pathOf = (url: string) => new URL(url).pathname;
const reminderQueue = () => context.queues.queue('invitation-reminder');

let counter = 0;
/** A Lithuanian expert in Klaipėda (Europe/Vilnius) writing in Lithuanian, with a unique address. */
async function lithuanianExpert() {
  const email = `ruta.${Date.now()}.${(counter += 1)}@studija.example.lt`;
  const expert = await createExpert(context.app, admin(), {
    name: 'Rūta Petrauskienė',
    email,
    languages: ['lt', 'en'],
    preferredLanguage: 'lt',
    location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
    modes: ['online'],
  });
  return { ...expert, email };
}

/** A matched online request in Lithuanian, invited to the expert by its partner; the invitation's id. */
async function invite(expert: { id: string }): Promise<{ invitationId: string; requestId: string; partner: ReturnType<typeof bearer> }> {
  const partner = await createKey(context.app, admin(), { role: 'partner' });
  const requestId = await submitRequest(context.app, partner, {
    organization: { name: 'Neringos jaunimo kultūros NVO', type: 'ngo', country: 'LT' },
    title: 'Parodos maršrutas',
    languages: ['lt'],
    location: { country: 'LT', city: 'Nida' },
    mode: 'online',
    contact: undefined,
  });
  await waitForStage(context.app, partner, requestId, 'matched');
  const invited = await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId: expert.id }).expect(201);
  return { invitationId: invited.body.id, requestId, partner };
}

/** The outcome of the completed reminder job of the invitation, waiting for it. */
async function reminderOutcome(invitationId: string, timeoutMs = 10_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const jobs = (await reminderQueue().getCompleted()) as Array<Job<{ invitationId: string }>>;
    const done = jobs.find((job) => job.data.invitationId === invitationId);
    if (done) return (done.returnvalue as { outcome: string }).outcome;
    if (Date.now() > deadline) throw new Error(`no completed reminder job for ${invitationId}`);
    await sleep(100);
  }
}

describe('the reminder 24 h before an invitation expires', () => {
  it('reaches the expert once, in Lithuanian, with new Accept and Decline links first, the time left and List-Unsubscribe', async () => {
    const expert = await lithuanianExpert();
    const { invitationId, requestId } = await invite(expert);
    const [invitation] = await sink.waitFor(1, to(expert.email));
    const [oldAccept] = invitation!.text!.match(LINK)!;

    const [reminder] = await sink.waitFor(1, (mail) => to(expert.email)(mail) && isReminder(mail));
    expect(reminder!.subject).toBe('Priminimas: kvietimo „Parodos maršrutas“ (Neringos jaunimo kultūros NVO) galiojimas baigsis po 24 valandų');
    expect(reminder!.headers.get('content-language')).toBe('lt');
    const links = reminder!.text!.match(LINK)!;
    expect(links).toHaveLength(3);
    const [accept, decline, stop] = links as [string, string, string];
    const lines = reminder!.text!.split('\n');
    expect(lines[0]).toBe(`Priimti kvietimą: ${accept}`);
    expect(lines[1]).toBe(`Atmesti kvietimą: ${decline}`);
    expect(reminder!.text).toContain('Laikas atsakyti: 24 valandos.');
    expect(reminder!.text).toContain('(Europe/Vilnius)');
    expect(reminder!.text).toContain(`Išjungti priminimus: ${stop}`);
    expect(reminder!.text!.indexOf(stop)).toBeGreaterThan(reminder!.text!.indexOf('Parodos maršrutas'));
    expect(headerOf(reminder!, 'list-unsubscribe')).toBe(`<${stop}>`);
    expect(headerOf(reminder!, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(await reminderOutcome(invitationId)).toBe('recorded');

    // A second run of the job (bull is at-least-once) records nothing and leaves no extra tokens behind.
    const tokens = () => ActionTokenModel.db.db!.collection('action_tokens').countDocuments({ partyId: expert.id } as never);
    expect(await tokens()).toBe(5);
    expect(await context.services.reminderMail.invitationReminder(invitationId)).toBe('duplicate');
    expect(await tokens()).toBe(5);

    // The invitation's own link still works; the reminder's accepts.
    await page().get(pathOf(oldAccept!)).expect(200);
    await page().post(pathOf(accept)).type('form').send('').expect(200);
    await waitForStage(context.app, admin(), requestId, 'accepted');
    await sleep(500);
    expect(sink.mails.filter((mail) => to(expert.email)(mail) && isReminder(mail))).toHaveLength(1);
  });

  it('is not sent once the expert has answered', async () => {
    const expert = await lithuanianExpert();
    const { invitationId } = await invite(expert);
    await api(context.app).post(`/v1/invitations/${invitationId}/decline`).set(admin()).send({}).expect(200);

    expect(await reminderOutcome(invitationId)).toBe('not_pending');
    await sleep(300);
    expect(sink.mails.filter(to(expert.email))).toHaveLength(1);
  });

  it("is not sent after the expert turned reminders off with the one-click POST of the List-Unsubscribe link (RFC 8058), which refuses another site's POST", async () => {
    const expert = await lithuanianExpert();
    const first = await invite(expert);
    const [reminder] = await sink.waitFor(1, (mail) => to(expert.email)(mail) && isReminder(mail));
    const stop = pathOf(/^<(.+)>$/.exec(headerOf(reminder!, 'list-unsubscribe')!)![1]!);

    const shown = await page().get(stop).expect(200);
    expect(shown.text).toContain('Išjungti priminimus?');
    expect(shown.text).toContain('<form method="post">');
    const foreign = await page().post(stop).set('Origin', 'https://evil.example').type('form').send('List-Unsubscribe=One-Click').expect(403);
    expect(foreign.headers['content-type']).toMatch(/^text\/html/);
    expect((await api(context.app).get(`/v1/experts/${expert.id}`).set(admin()).expect(200)).body.reminders).toBe(true);

    // A mail provider's POST: no Origin, no Sec-Fetch-Site, the RFC 8058 body; twice is fine.
    const done = await page().post(stop).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(done.text).toContain('Priminimai išjungti');
    // RFC 8058 §3.2 prefers multipart/form-data for the same body.
    await page().post(stop).field('List-Unsubscribe', 'One-Click').expect(200);
    await page().post(stop).type('form').send('List-Unsubscribe=Other').expect(400);
    expect((await api(context.app).get(`/v1/experts/${expert.id}`).set(admin()).expect(200)).body.reminders).toBe(false);

    const second = await invite(expert);
    expect(await reminderOutcome(second.invitationId)).toBe('reminders_off');
    await sleep(300);
    // Other mails still go: the second invitation came, its reminder did not.
    const mails = sink.mails.filter(to(expert.email));
    expect(mails.filter(isReminder)).toHaveLength(1);
    expect(mails.filter((mail) => mail.subject!.startsWith('Kvietimas'))).toHaveLength(2);
    expect(first.invitationId).not.toBe(second.invitationId);

    // The choice is the profile's: the expert turns reminders back on through the API.
    const profile = await api(context.app).get(`/v1/experts/${expert.id}`).set(expert.auth).expect(200);
    const back = await api(context.app).patch(`/v1/experts/${expert.id}`).set(expert.auth).set('If-Match', profile.headers.etag!).send({ reminders: true }).expect(200);
    expect(back.body.reminders).toBe(true);
  });

  it('is repaired by the reconciler when Redis lost its job, and sent once', async () => {
    const expert = await lithuanianExpert();
    await reminderQueue().pause();
    const { invitationId } = await invite(expert);
    const queued = (await reminderQueue().getJobs(['delayed', 'waiting', 'paused'])) as Array<Job<{ invitationId: string }>>;
    const lost = queued.filter((job) => job.data.invitationId === invitationId);
    expect(lost).toHaveLength(1);
    await lost[0]!.remove();
    await reminderQueue().resume();
    await sleep(3500);
    expect(sink.mails.filter((mail) => to(expert.email)(mail) && isReminder(mail))).toEqual([]);

    const counts = await context.services.reconciler.runOnce();
    expect(counts.invitationReminders).toBeGreaterThanOrEqual(1);
    await sink.waitFor(1, (mail) => to(expert.email)(mail) && isReminder(mail));
    await context.services.reconciler.runOnce();
    await sleep(500);
    expect(sink.mails.filter((mail) => to(expert.email)(mail) && isReminder(mail))).toHaveLength(1);
  });
});
