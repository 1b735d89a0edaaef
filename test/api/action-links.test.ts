import { createHash, randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import mongoose, { Types } from 'mongoose';
import request from 'supertest';
import { expertRepository } from '../../src/experts/expert.repository';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, invitationsOf, submitRequest, waitForStage } from '../helpers/scenario';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startTestContext, type TestContext, captureLogLines } from '../helpers/test-context';
import { ActionTokenModel } from '../../src/links/action-token.model';

const PUBLIC_BASE_URL = 'https://consult.example.test';

let context: TestContext;
let sink: SmtpSink;
const { lines: logLines, stream: logTo } = captureLogLines();
const tokensSeen: string[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  context = await startTestContext(
    { MAIL: 'on', SMTP_URL: sink.url, MAIL_RETRY_BASE_MS: '50', AUTO_INVITE: 'off', LOG_LEVEL: 'debug', PUBLIC_BASE_URL },
    { workers: true, logTo },
  );
});
afterAll(async () => {
  await context.close();
  await sink.stop();
});

const admin = () => bearer(context.adminKey);
const page = () => request(context.app);
const to = (address: string) => (mail: ParsedMail) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address;
const LINK = /https:\/\/consult\.example\.test\/a\/([A-Za-z0-9_-]{43})/g;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A Lithuanian expert in Klaipėda who works online, fitting `lithuanianRequest`. */
const lithuanianExpert = (name: string) =>
  createExpert(context.app, admin(), {
    name,
    email: `expert.${Date.now()}.${randomBytes(3).toString('hex')}@studija.example.lt`,
    languages: ['lt', 'en'],
    preferredLanguage: 'lt',
    location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
    modes: ['online'],
  });

async function lithuanianRequest(partner: ReturnType<typeof bearer>) {
  const id = await submitRequest(context.app, partner, {
    organization: { name: 'Neringos jaunimo kultūros NVO', type: 'ngo', country: 'LT' },
    title: 'Parodos maršrutas',
    languages: ['lt'],
    location: { country: 'LT', city: 'Nida' },
    mode: 'online',
    contact: undefined,
  });
  await waitForStage(context.app, partner, id, 'matched');
  return id;
}

/** Invites the expert and returns the invitation's id and the two links of the mail it gets (paths only), in mail order. */
async function invite(partner: ReturnType<typeof bearer>, requestId: string, expert: { id: string }, address?: string) {
  const invited = await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId: expert.id }).expect(201);
  const mailTo = address ?? (await api(context.app).get(`/v1/experts/${expert.id}`).set(admin()).expect(200)).body.email;
  const [mail] = await sink.waitFor(1, to(mailTo));
  const tokens = [...mail!.text!.matchAll(LINK)].map((match) => match[1]!);
  tokensSeen.push(...tokens);
  return { invitationId: invited.body.id as string, mail: mail!, accept: `/a/${tokens[0]}`, decline: `/a/${tokens[1]}`, tokens };
}

const invitationStatus = async (requestId: string, invitationId: string) =>
  (await invitationsOf(context.app, admin(), requestId)).find((invitation) => invitation.id === invitationId)?.status;
/** The request as an admin reads it, with its ETag as `etag` (the body carries no revision). */
const stageOf = async (requestId: string) => {
  const read = await api(context.app).get(`/v1/requests/${requestId}`).set(admin()).expect(200);
  return { ...read.body, etag: read.headers.etag as string };
};

describe('the invitation mail', () => {
  it('reaches a Lithuanian expert in Lithuanian with two links first, Accept then Decline, and stores only their hashes', async () => {
    const address = `ruta.${Date.now()}@studija.example.lt`;
    const expert = await createExpert(context.app, admin(), {
      name: 'Rūta Petrauskienė',
      email: address,
      languages: ['lt', 'en'],
      preferredLanguage: 'lt',
      location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
      modes: ['online'],
    });
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await lithuanianRequest(partner);
    const { mail, tokens, invitationId } = await invite(partner, requestId, expert, address);

    expect(mail.headers.get('content-language')).toBe('lt');
    expect(tokens).toHaveLength(2);
    expect(new Set(tokens).size).toBe(2);
    const lines = mail.text!.split('\n');
    expect(lines[0]).toBe(`Priimti kvietimą: ${PUBLIC_BASE_URL}/a/${tokens[0]}`);
    expect(lines[1]).toBe(`Atmesti kvietimą: ${PUBLIC_BASE_URL}/a/${tokens[1]}`);
    expect(mail.text).toContain('Nuorodos yra asmeninės ir veikia vieną kartą');
    expect(mail.text).not.toContain('/v1/invitations');
    const html = mail.html as string;
    expect(html.indexOf(`/a/${tokens[0]}`)).toBeLessThan(html.indexOf(`/a/${tokens[1]}`));
    expect(html.indexOf(`/a/${tokens[1]}`)).toBeLessThan(html.indexOf('Laba diena'));

    const stored = await ActionTokenModel.db.db!.collection('action_tokens').find({ partyId: expert.id } as never).toArray();
    expect(stored.map((token) => String(token._id)).sort()).toEqual(tokens.map(sha256).sort());
    expect(stored.map((token) => [token.purpose, token.subjectId]).sort()).toEqual([
      ['accept_invitation', invitationId],
      ['decline_invitation', invitationId],
    ]);
    const expiresAt = (await invitationsOf(context.app, admin(), requestId))[0]!;
    for (const token of stored) expect((token.expiresAt as Date).toISOString()).toBe((expiresAt as unknown as { expiresAt: string }).expiresAt);
    const everything = JSON.stringify(stored);
    for (const token of tokens) expect(everything).not.toContain(token);
  });
});

describe('GET and POST /a/{token}', () => {
  it('shows on GET and changes nothing; accepts on POST; a second POST is 410; a tampered token is 404', async () => {
    const expert = await lithuanianExpert('Jonas Kazlauskas');
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await lithuanianRequest(partner);
    const { accept, invitationId } = await invite(partner, requestId, expert);

    const shown = await page().get(accept).expect(200);
    expect(shown.headers['content-type']).toMatch(/^text\/html/);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.headers['referrer-policy']).toBe('no-referrer');
    expect(shown.headers['content-security-policy']).toContain("script-src 'self'");
    expect(shown.text).toContain('<html lang="lt">');
    expect(shown.text).toContain('<form method="post">');
    expect(shown.text.match(/<button/g)).toHaveLength(1);
    expect(shown.text).toContain('Taip, priimu kvietimą');
    expect(shown.text).toContain('Parodos maršrutas');
    expect(shown.text).toContain('(Europe/Vilnius)');
    expect(shown.text).not.toMatch(/<script|style=/);
    const css = await page().get('/assets/pages.css').expect(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.headers['cache-control']).toBe('public, max-age=86400');
    await page().head(accept).expect(200);
    expect(await invitationStatus(requestId, invitationId)).toBe('pending');
    expect((await stageOf(requestId)).stage).toBe('invited');

    const done = await page().post(accept).set('Origin', PUBLIC_BASE_URL).type('form').send('').expect(200);
    expect(done.text).toContain('<html lang="lt">');
    expect(done.text).toContain('Kvietimas priimtas');
    expect(await invitationStatus(requestId, invitationId)).toBe('accepted');
    const accepted = await stageOf(requestId);
    expect(accepted).toMatchObject({ stage: 'accepted', acceptedExpertId: expert.id });

    const again = await page().post(accept).expect(410);
    expect(again.text).toContain('Ši nuoroda jau panaudota');
    expect((await stageOf(requestId)).etag).toBe(accepted.etag);

    const last = accept.at(-1) === 'A' ? 'B' : 'A';
    const tampered = `${accept.slice(0, -1)}${last}`;
    const unknown = await page().get(tampered).set('Accept-Language', 'lt').expect(404);
    expect(unknown.text).toContain('Ši nuoroda neveikia');
    await page().post(tampered).expect(404);
    expect((await stageOf(requestId)).etag).toBe(accepted.etag);
  });

  it('answers an unknown or malformed token in the Accept-Language, else English', async () => {
    const unknown = await page().get(`/a/${randomBytes(32).toString('base64url')}`).set('Accept-Language', 'de-DE, de;q=0.9, en;q=0.5').expect(404);
    expect(unknown.text).toContain('<html lang="de">');
    expect(unknown.text).toContain('Dieser Link funktioniert nicht');
    const malformed = await page().get('/a/not-a-token').set('Accept-Language', 'fr').expect(404);
    expect(malformed.text).toContain('<html lang="en">');
    expect(malformed.text).toContain('This link does not work');
  });

  it("says an expired invitation's link has expired (410), naming when, and changes nothing", async () => {
    const expert = await lithuanianExpert('Ona Jankauskienė');
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await lithuanianRequest(partner);
    const { accept, invitationId } = await invite(partner, requestId, expert);
    // The invitation's time runs out (its expiry job is not due yet, as when the queue lags behind).
    const past = new Date(Date.now() - 60_000);
    await mongoose.connection.collection('invitations').updateOne({ _id: new Types.ObjectId(invitationId) }, { $set: { expiresAt: past } });
    const before = await stageOf(requestId);

    const shown = await page().get(accept).expect(410);
    expect(shown.text).toContain('Šio kvietimo galiojimas baigėsi');
    expect(shown.text).toContain('(Europe/Vilnius)');
    const refused = await page().post(accept).expect(410);
    expect(refused.text).toContain('Laikas atsakyti baigėsi');
    expect(await invitationStatus(requestId, invitationId)).toBe('expired');
    expect((await stageOf(requestId)).etag).toBe(before.etag);
    const stored = await mongoose.connection.collection('invitations').findOne({ _id: new Types.ObjectId(invitationId) });
    expect(stored?.status).toBe('pending');
  });

  it('refuses a decline link once another expert accepted the request (409) and changes nothing', async () => {
    const first = await lithuanianExpert('Tomas Paulauskas');
    const second = await lithuanianExpert('Eglė Vasiliauskienė');
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await lithuanianRequest(partner);
    const mine = await invite(partner, requestId, first);
    const theirs = await invite(partner, requestId, second);
    await api(context.app).post(`/v1/invitations/${theirs.invitationId}/accept`).set(second.auth).expect(200);
    const before = await stageOf(requestId);

    const shown = await page().get(mine.decline).expect(409);
    expect(shown.text).toContain('Kitas ekspertas jau priėmė šią užklausą');
    const refused = await page().post(mine.decline).type('form').send('reason=Per+v%C4%97lu').expect(409);
    expect(refused.text).toContain('Kitas ekspertas jau priėmė šią užklausą');
    expect(await invitationStatus(requestId, mine.invitationId)).toBe('withdrawn');
    expect((await stageOf(requestId)).etag).toBe(before.etag);
  });

  it('declines with the reason from the form, parsed with the API schema', async () => {
    const expert = await lithuanianExpert('Lina Žukauskienė');
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await lithuanianRequest(partner);
    const { decline, invitationId } = await invite(partner, requestId, expert);

    const shown = await page().get(decline).expect(200);
    expect(shown.text).toContain('<textarea id="reason" name="reason"');
    const tooLong = await page().post(decline).type('form').send({ reason: 'x'.repeat(1001) }).expect(400);
    // In the expert's language, like every page of a known link (1 000 with the grouping space of Lithuanian).
    expect(tooLong.text).toMatch(/Priežastis gali būti ne ilgesnė kaip 1\s000 simbolių/u);
    // A form the parser refuses before any field is read (over 8 kB, too many fields) is a 400 page too, never a 500.
    await page().post(decline).type('form').send({ reason: 'x'.repeat(9000) }).expect(400);
    await page().post(decline).type('form').send(Array.from({ length: 12 }, (_, i) => `f${i}=1`).join('&')).expect(400);
    expect(await invitationStatus(requestId, invitationId)).toBe('pending');

    const done = await page().post(decline).type('form').send({ reason: 'Šiuo metu per daug darbų' }).expect(200);
    expect(done.text).toContain('Kvietimas atmestas');
    const declined = await api(context.app).get('/v1/invitations?status=declined&limit=100').set(expert.auth).expect(200);
    expect(declined.body.items).toEqual([expect.objectContaining({ id: invitationId, status: 'declined', declineReason: 'Šiuo metu per daug darbų' })]);
  });

  it('accepts exactly once when one link is POSTed many times at once', async () => {
    const expert = await lithuanianExpert('Darius Petraitis');
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await lithuanianRequest(partner);
    const { accept, invitationId } = await invite(partner, requestId, expert);

    const answers = await Promise.all(Array.from({ length: 8 }, () => page().post(accept)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 410, 410, 410, 410, 410, 410, 410]);
    expect(await invitationStatus(requestId, invitationId)).toBe('accepted');
    const accepted = await stageOf(requestId);
    expect(accepted).toMatchObject({ stage: 'accepted', acceptedExpertId: expert.id });
    expect(accepted.history.filter((entry: { stage: string }) => entry.stage === 'accepted')).toHaveLength(1);
    expect(await expertRepository.findById(expert.id)).toMatchObject({ activeConsultations: 1, pendingInvitations: 0 });
  });

  it('gives the token back when the accept is refused (a paused expert), so the link works once the expert resumes', async () => {
    const expert = await lithuanianExpert('Rasa Kavaliauskienė');
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await lithuanianRequest(partner);
    const { accept, invitationId } = await invite(partner, requestId, expert);
    const setStatus = async (status: string) => {
      const current = await api(context.app).get(`/v1/experts/${expert.id}`).set(admin()).expect(200);
      await api(context.app).patch(`/v1/experts/${expert.id}`).set(admin()).set('If-Match', current.headers.etag!).send({ status }).expect(200);
    };
    await setStatus('paused');

    const refused = await page().post(accept).expect(409);
    expect(refused.text).toContain('Šiuo metu neturite laisvos vietos konsultacijai');
    expect(await invitationStatus(requestId, invitationId)).toBe('pending');
    expect((await stageOf(requestId)).stage).toBe('invited');

    await setStatus('active');
    await page().post(accept).expect(200);
    expect(await stageOf(requestId)).toMatchObject({ stage: 'accepted', acceptedExpertId: expert.id });
  });

  it('refuses a POST from another site (403 page) and changes nothing', async () => {
    const expert = await lithuanianExpert('Aistė Stankevičienė');
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await lithuanianRequest(partner);
    const { accept, invitationId } = await invite(partner, requestId, expert);

    const foreign = await page().post(accept).set('Origin', 'https://evil.example').set('Accept-Language', 'lt').type('form').send('').expect(403);
    expect(foreign.text).toContain('Niekas nepakeista');
    const sibling = await page().post(accept).set('Sec-Fetch-Site', 'same-site').expect(403);
    expect(sibling.headers['content-type']).toMatch(/^text\/html/);
    expect(await invitationStatus(requestId, invitationId)).toBe('pending');
    expect((await stageOf(requestId)).stage).toBe('invited');
    // The link still works from its own page.
    await page().post(accept).set('Origin', PUBLIC_BASE_URL).set('Sec-Fetch-Site', 'same-origin').expect(200);
  });

  it("deletes the expert's tokens when the expert is erased", async () => {
    const expert = await lithuanianExpert('Marius Jonaitis');
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await lithuanianRequest(partner);
    const { accept } = await invite(partner, requestId, expert);
    const tokens = () => ActionTokenModel.db.db!.collection('action_tokens').countDocuments({ partyId: expert.id } as never);
    expect(await tokens()).toBe(2);

    await api(context.app).delete(`/v1/experts/${expert.id}`).set(admin()).expect(204);
    expect(await tokens()).toBe(0);
    await page().get(accept).expect(404);
  });
});

describe('privacy', () => {
  it('writes no token into any log line, and logs link paths redacted', async () => {
    await page().get(`/a/${tokensSeen[0]}/extra`).expect(404);
    expect(tokensSeen.length).toBeGreaterThanOrEqual(16);
    const logs = logLines.join('\n');
    expect(logs).toContain('"/a/[redacted]"');
    for (const token of tokensSeen) expect(logs).not.toContain(token);
  });
});
