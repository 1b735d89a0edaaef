import { createHash, randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { api } from '../helpers/contract';
import { readEvent } from '../helpers/ical';
import { bearer, createExpert, createKey, invite, submitRequest, waitForStage, type Auth } from '../helpers/scenario';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { captureLogLines, startTestContext, type TestContext } from '../helpers/test-context';
import { ActionTokenModel } from '../../src/links/action-token.model';

const PUBLIC_BASE_URL = 'https://consult.example.test';
const STATUS_LINK = /https:\/\/consult\.example\.test\/r\/([A-Za-z0-9_-]{43})/g;
const ACTION_LINK = /https:\/\/consult\.example\.test(\/a\/[A-Za-z0-9_-]{43})/g;

let context: TestContext;
let sink: SmtpSink;
const { lines: logLines, stream: logTo } = captureLogLines();
const tokensSeen: string[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  context = await startTestContext({ MAIL: 'on', SMTP_URL: sink.url, MAIL_RETRY_BASE_MS: '50', AUTO_INVITE: 'off', LOG_LEVEL: 'debug', PUBLIC_BASE_URL }, { workers: true, logTo });
});
afterAll(async () => {
  await context.close();
  await sink.stop();
});

const admin = () => bearer(context.adminKey);
const page = () => request(context.app);
const stamp = () => `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const to = (address: string, subject: string) => (mail: ParsedMail) =>
  mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address && mail.subject!.startsWith(subject);
/** The request as an admin reads it, with its ETag (the revision) as `etag`. */
const read = async (requestId: string) => {
  const response = await api(context.app).get(`/v1/requests/${requestId}`).set(admin()).expect(200);
  return { ...response.body, etag: response.headers.etag as string };
};
/** A form POST from the status page itself. */
const post = (path: string, form: string) => page().post(path).set('Origin', PUBLIC_BASE_URL).type('form').send(form);

/** A Lithuanian expert who speaks Polish and works online: she makes the museum's request matchable. */
async function lithuanianExpert() {
  const email = `ruta.${stamp()}@studija.example.lt`;
  const expert = await createExpert(context.app, admin(), {
    name: 'Rūta Petrauskienė',
    email,
    headline: 'Parodų dizainerė',
    languages: ['lt', 'pl', 'en'],
    preferredLanguage: 'lt',
    location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
    modes: ['online'],
  });
  return { ...expert, email };
}

/** A Polish museum's request (contact language pl), matched; its status page path from the request-received mail. */
async function polishMuseum() {
  const expert = await lithuanianExpert();
  const address = `ewa.${stamp()}@muzeum.example.pl`;
  const requester = await createKey(context.app, admin(), { role: 'requester' });
  const requestId = await submitRequest(context.app, requester, {
    organization: { name: 'Muzeum Rybołówstwa w Tolkmicku', type: 'cultural', country: 'PL' },
    title: 'Nowa trasa zwiedzania',
    languages: ['pl'],
    location: { country: 'PL', city: 'Tolkmicko', lat: 54.32, lon: 19.53 },
    mode: 'online',
    contact: { name: 'Ewa Zielińska', email: address, language: 'pl' },
  });
  await waitForStage(context.app, requester, requestId, 'matched');
  const [mail] = await sink.waitFor(1, to(address, 'Otrzymaliśmy'));
  const tokens = [...mail!.text!.matchAll(STATUS_LINK)].map((match) => match[1]!);
  expect(tokens).toHaveLength(1);
  tokensSeen.push(tokens[0]!);
  return { requestId, requester, address, expert, mail: mail!, token: tokens[0]!, path: `/r/${tokens[0]}` };
}

/** The expert accepts the request through the API. */
async function accept(requester: Auth, requestId: string, expert: Awaited<ReturnType<typeof lithuanianExpert>>) {
  const invitation = await invite(context, requester, requestId, expert.id);
  await api(context.app).post(`/v1/invitations/${invitation.id}/accept`).set(expert.auth).expect(200);
}

const inDays = (days: number, hour: number) => {
  const at = new Date(Date.now() + days * 86_400_000);
  at.setUTCHours(hour, 0, 0, 0);
  return at;
};

describe('the request-received mail', () => {
  it('links to the status page after its list, in place of "follow it on the site", and stores only the hash of a view_request token', async () => {
    const { mail, token, requestId } = await polishMuseum();
    const text = mail.text!;
    expect(text).toContain(`Zobacz status zapytania: ${PUBLIC_BASE_URL}/r/${token}`);
    expect(text).toContain('Poniższy link przez 30 dni pokazuje aktualny status zapytania');
    expect(text).not.toContain('za pośrednictwem której zostało złożone');
    expect(text.indexOf('/r/')).toBeGreaterThan(text.indexOf('Co dalej'));
    expect(mail.html as string).toContain(`href="${PUBLIC_BASE_URL}/r/${token}"`);
    const stored = await ActionTokenModel.db.db!.collection('action_tokens').find({ partyId: requestId, purpose: 'view_request' } as never).toArray();
    expect(stored.map((each) => String(each._id))).toEqual([sha256(token)]);
    expect(stored[0]).toMatchObject({ subjectId: requestId, partyRole: 'contact' });
    expect(JSON.stringify(stored)).not.toContain(token);
  });

  it('is followed by a fresh status link in the later mails to the contact, after their one-click links, so a long request keeps its page', async () => {
    const { token, requestId, requester, address, expert } = await polishMuseum();
    await accept(requester, requestId, expert);
    const [accepted] = await sink.waitFor(1, to(address, 'Rūta Petrauskienė przyjmuje'));
    const acceptedTokens = [...accepted!.text!.matchAll(STATUS_LINK)].map((match) => match[1]!);
    expect(acceptedTokens).toHaveLength(1);
    expect(acceptedTokens[0]).not.toBe(token);
    tokensSeen.push(acceptedTokens[0]!);
    expect(accepted!.text).toContain(`Zobacz status zapytania: ${PUBLIC_BASE_URL}/r/${acceptedTokens[0]}`);
    expect((await page().get(`/r/${acceptedTokens[0]}`).expect(200)).text).toContain('Rūta Petrauskienė');

    const slots = [{ startsAt: inDays(20, 7).toISOString() }, { startsAt: inDays(21, 12).toISOString() }];
    await api(context.app).post(`/v1/requests/${requestId}/proposals`).set(expert.auth).send({ slots, timeZone: 'Europe/Vilnius', meetingUrl: 'https://meet.example.org/tolkmicko' }).expect(200);
    const [pickMail] = await sink.waitFor(1, to(address, 'Prosimy wybrać termin'));
    const text = pickMail!.text!;
    const picks = [...text.matchAll(ACTION_LINK)];
    const statuses = [...text.matchAll(STATUS_LINK)];
    expect(picks).toHaveLength(2);
    expect(statuses).toHaveLength(1);
    expect(statuses[0]!.index).toBeGreaterThan(picks[1]!.index!);
    tokensSeen.push(statuses[0]![1]!);
    expect((await page().get(`/r/${statuses[0]![1]}`).expect(200)).text).toContain('https://meet.example.org/tolkmicko');
  });

  it('is not issued for a partner request without a contact, which gets no mail at all', async () => {
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await submitRequest(context.app, partner, { contact: undefined });
    await waitForStage(context.app, partner, requestId, 'unmatched');
    expect(await ActionTokenModel.db.db!.collection('action_tokens').countDocuments({ partyId: requestId } as never)).toBe(0);
  });
});

describe('GET /r/{token}', () => {
  it('shows the timeline in the contact\'s language, changes nothing, and follows ?lang', async () => {
    const { path, requestId, token } = await polishMuseum();
    const before = await read(requestId);
    const shown = await page().get(path).expect(200);
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.headers['referrer-policy']).toBe('no-referrer');
    expect(shown.headers['content-language']).toBe('pl');
    expect(shown.headers['content-security-policy']).toContain("script-src 'self'");
    expect(shown.text).toContain('<html lang="pl">');
    expect(shown.text).not.toMatch(/<script|style=/);
    expect(shown.text).toContain('Nowa trasa zwiedzania');
    const timeline = shown.text.slice(shown.text.indexOf('<ol class="timeline">'), shown.text.indexOf('</ol>'));
    expect(timeline.match(/<li/g)).toHaveLength(2);
    expect(timeline).toContain('Otrzymane');
    expect(timeline).toMatch(/aria-current="step" class="current"><span class="stage">Znaleziono odpowiednich ekspertów<\/span> <span class="when">[^<]+\(Europe\/Warsaw\)<\/span>/);
    expect(shown.text).toContain('wkrótce zaprosimy najlepiej dopasowanego');
    // Before acceptance: no expert, no slots, no calendar, no feedback; cancelling is possible.
    expect(shown.text).not.toContain('mailto:');
    expect(shown.text).not.toContain('/pick');
    expect(shown.text).not.toContain('calendar.ics');
    expect(shown.text).not.toContain('name="rating"');
    expect(shown.text).toContain(`href="/r/${token}/cancel"`);
    await page().head(path).expect(200);
    await page().get(`${path}/cancel`).expect(200);
    expect((await read(requestId)).etag).toBe(before.etag);

    const german = await page().get(`${path}?lang=de`).set('Accept-Language', 'pl').expect(200);
    expect(german.text).toContain('<html lang="de">');
    expect(german.text).toContain('Passende Fachleute gefunden');
    expect(german.headers['set-cookie']?.[0]).toMatch(/^lang=de;/);
    // The switcher leads to this same page in each language.
    expect(shown.text).toContain(`href="/r/${token}?lang=sv"`);
  });

  it('answers 404 in the visitor\'s language for unknown and tampered tokens, and a view link is no button at /a/', async () => {
    const { path, token, requestId } = await polishMuseum();
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const wrong of [`/r/${randomBytes(32).toString('base64url')}`, `/r/${flipped}`, '/r/short', `/r/${token}x`]) {
      const refused = await page().get(wrong).set('Accept-Language', 'de').expect(404);
      expect(refused.text).toContain('<html lang="de">');
      expect(refused.text).toContain('Diese Seite lässt sich nicht öffnen');
      expect(refused.headers['cache-control']).toBe('no-store');
    }
    await page().get(`/a/${token}`).expect(404);
    await post(`/a/${token}`, '').expect(404);

    const before = await read(requestId);
    await post(`/r/${flipped}/cancel`, 'reason=Zmiana planów').expect(404);
    expect((await read(requestId)).etag).toBe(before.etag);
    await page().get(`${path}`).expect(200);
  });
});

describe('the status page through the stages', () => {
  it('shows the expert after acceptance, picks a slot, offers the calendar, then takes feedback, refusing a bad rating or comment', async () => {
    const { path, requestId, requester, address, expert } = await polishMuseum();
    await accept(requester, requestId, expert);
    const accepted = await page().get(path).expect(200);
    expect(accepted.text).toContain('Rūta Petrauskienė');
    expect(accepted.text).toContain('Parodų dizainerė');
    expect(accepted.text).toContain(`<a href="mailto:${expert.email}">${expert.email}</a>`);
    expect(accepted.text).toContain('litewski, polski i angielski');
    expect(accepted.text).toContain('Ekspert zaproponuje terminy konsultacji');

    const first = inDays(20, 7);
    const second = inDays(21, 12);
    const slots = [{ startsAt: first.toISOString() }, { startsAt: second.toISOString(), durationMinutes: 90 }];
    const proposed = await api(context.app).post(`/v1/requests/${requestId}/proposals`).set(expert.auth).send({ slots, timeZone: 'Europe/Vilnius', meetingUrl: 'https://meet.example.org/tolkmicko' }).expect(200);
    const slotIds = (proposed.body.proposal.slots as Array<{ id: string }>).map((slot) => slot.id);
    const withSlots = await page().get(path).expect(200);
    const buttons = [...withSlots.text.matchAll(/name="slotId" value="([^"]+)">\n<button type="submit">([^<]+)<\/button>/g)];
    expect(buttons.map((match) => match[1])).toEqual(slotIds);
    expect(buttons[1]![2]).toMatch(/^Wybieram .*\(Europe\/Warsaw\), 90 minut$/);
    expect(withSlots.text).toContain('https://meet.example.org/tolkmicko');
    // The pick mail's one-click link is a token of another purpose: it opens no status page.
    const pickMail = await sink.waitFor(1, to(address, 'Prosimy wybrać termin'));
    const pickLink = [...pickMail[0]!.text!.matchAll(ACTION_LINK)].map((match) => match[1]!)[0]!;
    await page().get(pickLink.replace('/a/', '/r/')).expect(404);

    // A slot id that is not on offer changes nothing: the page says the request moved on.
    const before = await read(requestId);
    const refused = await post(`${path}/pick`, 'slotId=p9s9').expect(409);
    expect(refused.text).toContain('Nie udało się tego wykonać i nic nie zostało zmienione');
    expect((await read(requestId)).etag).toBe(before.etag);

    const picked = await post(`${path}/pick`, `slotId=${slotIds[1]}`).expect(303);
    expect(picked.headers.location).toBe(`${path}?done=picked`);
    const scheduled = await read(requestId);
    expect(scheduled.stage).toBe('scheduled');
    expect(new Date(scheduled.schedule.startsAt).toISOString()).toBe(second.toISOString());
    const after = await page().get(picked.headers.location!).expect(200);
    expect(after.text).toContain('<p class="flash" role="status">Termin wybrany');
    expect(after.text).not.toContain('name="slotId"');
    expect(after.text).toContain(`href="${path}/calendar.ics"`);
    const ics = await page().get(`${path}/calendar.ics`).expect(200);
    expect(ics.headers['content-type']).toBe('text/calendar; charset=utf-8');
    expect(readEvent(ics.text).event.startDate.toJSDate().toISOString()).toBe(second.toISOString());
    await sink.waitFor(1, to(address, 'Termin ustalony'));

    await api(context.app).post(`/v1/requests/${requestId}/start`).set(expert.auth).expect(200);
    await api(context.app).post(`/v1/requests/${requestId}/complete`).set(expert.auth).send({ summary: 'Omówiłyśmy trasę.' }).expect(200);
    const completed = await page().get(path).expect(200);
    expect(completed.text).toContain('Konsultacja zakończona');
    expect(completed.text.match(/name="rating"/g)).toHaveLength(5);
    expect(completed.text).toContain('<label for="rating-5">5 – znakomicie</label>');
    expect(completed.text).not.toContain('calendar.ics');
    expect(completed.text).not.toContain('/cancel"');

    const beforeRating = await read(requestId);
    const badRating = await post(`${path}/feedback`, 'rating=9&comment=Dobrze').expect(400);
    expect(badRating.text).toContain('<p class="error" id="rating-error">Prosimy wybrać jedną z opcji.</p>');
    expect(badRating.text).toContain('>Dobrze</textarea>');
    const noRating = await post(`${path}/feedback`, 'comment=Dobrze').expect(400);
    expect(noRating.text).toContain('id="rating-error"');
    const tooLong = await post(`${path}/feedback`, `rating=4&comment=${'a'.repeat(4001)}`).expect(400);
    expect(tooLong.text).toContain('<p class="error" id="comment-error">');
    expect(tooLong.text).toContain('<input type="radio" id="rating-4" name="rating" value="4" checked>');
    expect((await read(requestId)).etag).toBe(beforeRating.etag);

    const rated = await post(`${path}/feedback`, 'rating=4&comment=Bardzo+pomocna+rozmowa').expect(303);
    expect(rated.headers.location).toBe(`${path}?done=rated`);
    const closed = await read(requestId);
    expect(closed.stage).toBe('closed');
    expect(closed.feedback).toMatchObject({ rating: 4, comment: 'Bardzo pomocna rozmowa' });
    const thanked = await page().get(rated.headers.location!).expect(200);
    expect(thanked.text).toContain('ocena została zapisana');
    expect(thanked.text).not.toContain('name="rating"');
    // A second rating is refused by the service: the page says so and nothing changes.
    await post(`${path}/feedback`, 'rating=1').expect(409);
    expect((await read(requestId)).feedback.rating).toBe(4);
  });

  it('cancels after a confirmation step with a reason, refusing an empty one beside the field', async () => {
    const { path, requestId } = await polishMuseum();
    const form = await page().get(`${path}/cancel`).expect(200);
    expect(form.text).toContain('Anulować zapytanie?');
    expect(form.text).toContain(`action="${path}/cancel"`);
    const before = await read(requestId);
    const empty = await post(`${path}/cancel`, 'reason=').expect(400);
    expect(empty.text).toContain('<p class="error" id="reason-error">');
    expect(empty.text).toContain('aria-invalid="true"');
    const tooLong = await post(`${path}/cancel`, `reason=${'x'.repeat(1001)}`).expect(400);
    expect(tooLong.text).toContain('1000');
    expect((await read(requestId)).etag).toBe(before.etag);

    const cancelled = await post(`${path}/cancel`, 'reason=Zmiana+plan%C3%B3w').expect(303);
    expect(cancelled.headers.location).toBe(`${path}?done=cancelled`);
    const after = await read(requestId);
    expect(after.stage).toBe('cancelled');
    expect(after.cancellationReason).toBe('Zmiana planów');
    const shown = await page().get(cancelled.headers.location!).expect(200);
    expect(shown.text).toContain('Zapytanie zostało anulowane.');
    expect(shown.text).toMatch(/aria-current="step" class="current"><span class="stage">Anulowane/);
    expect(shown.text).not.toContain('/cancel"');
    await post(`${path}/cancel`, 'reason=Jeszcze+raz').expect(409);
    expect((await page().get(`${path}/cancel`).expect(303)).headers.location).toBe(path);
  });

  it('refuses a POST from another site and changes nothing', async () => {
    const { path, requestId } = await polishMuseum();
    const before = await read(requestId);
    const foreign = await page().post(`${path}/cancel`).set('Origin', 'https://evil.example').type('form').send('reason=Spam').expect(403);
    expect(foreign.text).toContain('<html lang="pl">');
    expect(foreign.text).toContain('z innej strony internetowej');
    await page().post(`${path}/cancel`).set('Sec-Fetch-Site', 'cross-site').type('form').send('reason=Spam').expect(403);
    expect((await read(requestId)).etag).toBe(before.etag);
  });
});

describe('logs', () => {
  it('never hold a status page token', () => {
    const logs = logLines.join('\n');
    expect(tokensSeen.length).toBeGreaterThan(0);
    for (const token of tokensSeen) expect(logs).not.toContain(token);
    expect(logs).toContain('"/r/[redacted]"');
  });
});

