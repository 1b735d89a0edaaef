import type { ParsedMail } from 'mailparser';
import { api } from '../helpers/contract';
import { createExpert, createKey, invite, submitRequest, waitForStage } from '../helpers/scenario';
import { uniqueSuffix } from '../helpers/test-context';
import { csrfOf, to, useMailedPages, visitors, type Visitor } from '../helpers/page-visitors';

const LINKS = /https:\/\/consult\.example\.test\/a\/[A-Za-z0-9_-]{43}/g;

const pages = useMailedPages();

const browser = visitors(() => pages.context.app, '198.51.100');
type Person = Visitor;
const linksIn = (mail: ParsedMail) => [...new Set(mail.text!.match(LINKS) ?? [])].map((link) => new URL(link).pathname);
/** The text of an element with `id`, tags stripped. */
const textOf = (html: string, id: string) => new RegExp(`id="${id}"[^>]*>([^<]*)<`).exec(html)?.[1];

/** A Lithuanian expert (zone Europe/Vilnius) invited to a fresh Polish request: the partner owning it, the ids, and the invitation mail. */
async function invitedExpert() {
  const email = `ruta.${uniqueSuffix()}@example.lt`;
  const expert = await createExpert(pages.context.app, pages.admin, { name: 'Rūta Jonaitienė', email, languages: ['lt', 'pl', 'en'], preferredLanguage: 'lt', timeZone: 'Europe/Vilnius' });
  const owner = await createKey(pages.context.app, pages.admin, { role: 'partner' });
  const requestId = await submitRequest(pages.context.app, owner);
  await waitForStage(pages.context.app, owner, requestId, 'matched');
  const invitation = await invite(pages.context, owner, requestId, expert.id);
  const [mail] = await pages.sink.waitFor(1, to(email));
  return { email, owner, expertId: expert.id, invitationId: invitation.id, requestId, mail: mail! };
}

async function signIn(email: string): Promise<Person> {
  const person = browser();
  const before = pages.sink.mails.filter(to(email)).length;
  await person.post('/experts/login').send({ email }).expect(303);
  const mails = await pages.sink.waitFor(before + 1, to(email));
  const link = linksIn(mails[before]!)[0]!;
  const signedIn = await person.post(link).send('').expect(303).expect('Location', '/experts/home');
  person.keep(signedIn.headers['set-cookie'] as unknown as string[]);
  return person;
}

/** Signed in, the invitation accepted on the home page: the consultation is `accepted`. */
async function acceptedConsultation() {
  const invited = await invitedExpert();
  const person = await signIn(invited.email);
  const token = csrfOf((await person.get('/experts/home').expect(200)).text);
  await person.post(`/experts/invitations/${invited.invitationId}/accept`).send({ _csrf: token }).expect(303);
  await waitForStage(pages.context.app, invited.owner, invited.requestId, 'accepted');
  return { ...invited, person, token };
}

const readRequest = async (requestId: string) => (await api(pages.context.app).get(`/v1/requests/${requestId}`).set(pages.admin).expect(200)).body as { stage: string; proposal?: { slots: Array<{ id: string; startsAt: string; durationMinutes: number }>; timeZone: string; meetingUrl?: string; location?: string }; summary?: string };

// Next year's 20 January (Vilnius in winter time, UTC+2) and 15 July (summer time, UTC+3): always ahead, within two years.
const year = new Date().getUTCFullYear() + 1;
const winter = `${year}-01-20`;
const summer = `${year}-07-15`;

describe("the expert's consultations on the home page", () => {
  it('proposes two slots given in Europe/Vilnius: the proposal holds their exact UTC instants, and the page shows them in the expert’s zone', async () => {
    const { person, token, requestId } = await acceptedConsultation();
    const home = await person.get('/experts/home').expect(200);
    expect(home.text).toContain('Pasiūlykite laikus');
    // The zone is preset from the profile.
    expect(home.text).toContain(`id="${requestId}-timeZone" name="timeZone" value="Europe/Vilnius"`);

    const form = {
      _csrf: token,
      'slots.0.date': winter,
      'slots.0.time': '10:00',
      'slots.0.durationMinutes': '60',
      'slots.1.date': summer,
      'slots.1.time': '14:30',
      'slots.1.durationMinutes': '90',
      timeZone: 'Europe/Vilnius',
      meetingUrl: 'https://meet.example.lt/ruta',
    };
    await person.post(`/experts/consultations/${requestId}/proposals`).send(form).expect(303).expect('Location', '/experts/home?done=proposed');
    const proposed = await readRequest(requestId);
    expect(proposed.proposal?.slots.map(({ startsAt, durationMinutes }) => [startsAt, durationMinutes])).toEqual([
      [`${year}-01-20T08:00:00.000Z`, 60],
      [`${year}-07-15T11:30:00.000Z`, 90],
    ]);
    expect([proposed.proposal?.timeZone, proposed.proposal?.meetingUrl, proposed.proposal?.location]).toEqual(['Europe/Vilnius', 'https://meet.example.lt/ruta', undefined]);

    const after = await person.get('/experts/home?done=proposed').expect(200);
    expect(after.text).toContain('Jūsų laikai išsiųsti organizacijai');
    const shown = /<ul class="proposed-slots">([\s\S]*?)<\/ul>/.exec(after.text)?.[1] ?? '';
    expect(shown).toMatch(/10:00 \(Europe\/Vilnius\), 60 min\./);
    expect(shown).toMatch(/14:30 \(Europe\/Vilnius\), 90 min\./);
  });

  it('shows bad slots beside their fields in the page’s language and changes nothing', async () => {
    const { person, token, requestId } = await acceptedConsultation();
    const post = (fields: Record<string, string>) => person.post(`/experts/consultations/${requestId}/proposals`).send({ _csrf: token, timeZone: 'Europe/Vilnius', ...fields }).expect(400);

    const past = await post({ 'slots.0.date': `${year - 2}-03-02`, 'slots.0.time': '09:00', location: 'Klaipėdos g. 1, Vilnius' });
    expect(textOf(past.text, `${requestId}-slots-0-date-error`)).toBe('Pasirinkite laiką ateityje.');
    expect(past.text).toContain(`href="#${requestId}-slots-0-date"`);
    expect(past.text).toContain(`value="${year - 2}-03-02"`);

    const overlapping = await post({ 'slots.0.date': summer, 'slots.0.time': '10:00', 'slots.0.durationMinutes': '60', 'slots.1.date': summer, 'slots.1.time': '10:30', location: 'Klaipėdos g. 1, Vilnius' });
    expect(textOf(overlapping.text, `${requestId}-slots-1-date-error`)).toBe('Šis laikas persidengia su kitu jūsų pasiūlytu laiku.');
    expect(textOf(overlapping.text, `${requestId}-slots-0-date-error`)).toBeUndefined();

    const nowhere = await post({ 'slots.0.date': summer, 'slots.0.time': '10:00' });
    expect(textOf(nowhere.text, `${requestId}-location-error`)).toBe('Nurodykite arba vietą, arba susitikimo nuorodą (vieną iš dviejų).');

    // The last Sunday of March: 03:30 does not exist in Vilnius (clocks jump from 03:00 to 04:00).
    const lastSunday = new Date(Date.UTC(year, 2, 31 - new Date(Date.UTC(year, 2, 31)).getUTCDay())).toISOString().slice(0, 10);
    const skipped = await post({ 'slots.0.date': lastSunday, 'slots.0.time': '03:30', location: 'Vilnius' });
    expect(textOf(skipped.text, `${requestId}-slots-0-time-error`)).toBe('Įveskite laiką, pvz., 14:30, kuris tą dieną yra jūsų laiko juostoje.');

    const german = await person.post(`/experts/consultations/${requestId}/proposals?lang=de`).send({ _csrf: token, timeZone: 'Mars/Olympus', 'slots.0.date': summer, 'slots.0.time': '10:00', 'slots.0.durationMinutes': '5', location: 'Vilnius' }).expect(400);
    expect(german.text).toContain('<html lang="de">');
    expect(textOf(german.text, `${requestId}-timeZone-error`)).toBe('Wählen Sie eine Zeitzone wie Europe/Berlin.');

    const short = await post({ 'slots.0.date': summer, 'slots.0.time': '10:00', 'slots.0.durationMinutes': '5', location: 'Vilnius' });
    expect(textOf(short.text, `${requestId}-slots-0-durationMinutes-error`)).toBe('Nurodykite trukmę nuo 15 iki 480 minučių.');

    const nothing = await post({ location: 'Vilnius' });
    expect(textOf(nothing.text, `${requestId}-slots-0-date-error`)).toBe('Nurodykite bent vieną laiką: dieną ir pradžios laiką.');

    expect((await readRequest(requestId)).proposal).toBeUndefined();
  });

  it('refuses a form without the session’s CSRF token or from another site, and another expert’s consultation', async () => {
    const { person, token, requestId } = await acceptedConsultation();
    const form = { 'slots.0.date': summer, 'slots.0.time': '10:00', timeZone: 'Europe/Vilnius', location: 'Vilnius' };
    const refused = await person.post(`/experts/consultations/${requestId}/proposals`).send(form).expect(403);
    expect(refused.text).toContain('Ši forma nebegalioja');
    await person.post(`/experts/consultations/${requestId}/proposals`).set('Origin', 'https://evil.example').send({ ...form, _csrf: token }).expect(403);
    await person.post(`/experts/consultations/${requestId}/complete`).send({ summary: 'Atlikta.' }).expect(403);

    const stranger = await acceptedConsultation();
    const foreign = await stranger.person.post(`/experts/consultations/${requestId}/proposals`).send({ ...form, _csrf: stranger.token }).expect(409);
    expect(foreign.text).toContain('Niekas nepakeista');
    await stranger.person.post('/experts/consultations/not-an-id/start').send({ _csrf: stranger.token }).expect(404);
    const unchanged = await readRequest(requestId);
    expect([unchanged.stage, unchanged.proposal]).toEqual(['accepted', undefined]);
  });

  it('after the organisation picks a slot: shows the agreed time, starts, and completes with a summary', async () => {
    const { person, token, requestId, owner } = await acceptedConsultation();
    await person
      .post(`/experts/consultations/${requestId}/proposals`)
      .send({ _csrf: token, 'slots.0.date': summer, 'slots.0.time': '16:15', 'slots.0.durationMinutes': '45', timeZone: 'Europe/Vilnius', location: 'Gedimino pr. 9, Vilnius' })
      .expect(303);
    const [slot] = (await readRequest(requestId)).proposal!.slots;
    await api(pages.context.app).post(`/v1/requests/${requestId}/proposals/${slot!.id}/pick`).set(owner).expect(200);

    const scheduled = await person.get('/experts/home').expect(200);
    expect(scheduled.text).toMatch(/Sutartas laikas<\/th><td>[^<]*16:15 \(Europe\/Vilnius\), 45 min\.<\/td>/);
    expect(scheduled.text).toContain('Gedimino pr. 9, Vilnius');
    expect(scheduled.text).not.toContain('Pasiūlykite laikus');
    // Completing before the start is refused by the lifecycle, and says so.
    await person.post(`/experts/consultations/${requestId}/complete`).send({ _csrf: token, summary: 'Per anksti.' }).expect(409);

    await person.post(`/experts/consultations/${requestId}/start`).send({ _csrf: token }).expect(303).expect('Location', '/experts/home?done=started');
    expect((await readRequest(requestId)).stage).toBe('in_progress');

    const empty = await person.post(`/experts/consultations/${requestId}/complete`).send({ _csrf: token, summary: '   ' }).expect(400);
    expect(textOf(empty.text, `${requestId}-summary-error`)).toBe('Užpildykite šį laukelį.');
    expect((await readRequest(requestId)).stage).toBe('in_progress');

    const summary = 'Aptarėme ekspozicijos planą; rekomendavau pradėti nuo lankytojų tyrimo.';
    await person.post(`/experts/consultations/${requestId}/complete`).send({ _csrf: token, summary }).expect(303).expect('Location', '/experts/home?done=completed');
    const completed = await readRequest(requestId);
    expect([completed.stage, completed.summary]).toEqual(['completed', summary]);
    const home = await person.get('/experts/home?done=completed').expect(200);
    expect(home.text).toContain('Konsultacija pažymėta kaip baigta');
    expect(home.text).not.toContain(`consultation-${requestId}`);
  });
});

describe('the invitation page the mail’s links land on', () => {
  it('shows the request’s summary, its description and why the expert was matched, in the expert’s language', async () => {
    const { mail } = await invitedExpert();
    const links = linksIn(mail);
    expect(links.length).toBeGreaterThanOrEqual(2);
    const pages = await Promise.all(links.slice(0, 2).map(async (link) => (await browser().get(link).expect(200)).text));
    const reasonsInMail = mail.text!;
    for (const page of pages) {
      expect(page).toContain('<html lang="lt">');
      expect(page).toContain('Nowa wystawa stała o historii portu');
      expect(page).toContain('<p class="description">Szukamy projektanta wystaw');
      const reasons = [.../<h2>Kodėl jūs<\/h2>\s*<ul>([\s\S]*?)<\/ul>/.exec(page)![1]!.matchAll(/<li>([^<]+)<\/li>/g)].map((match) => match[1]!);
      expect(reasons.length).toBeGreaterThan(0);
      // The same reasons the invitation mail gave (HTML-escaped on the page).
      for (const reason of reasons) expect(reasonsInMail).toContain(reason.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
    }
    expect(pages.some((page) => page.includes('Priimti kvietimą?'))).toBe(true);
    // The decline page keeps its optional reason field.
    expect(pages.filter((page) => page.includes('name="reason"'))).toHaveLength(1);
  });
});
