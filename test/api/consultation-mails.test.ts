import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, submitRequest, waitForStage } from '../helpers/scenario';
import { useMailedService } from '../helpers/mailed-service';

const PUBLIC_BASE_URL = 'https://consult.example.test';
const DAY_MS = 24 * 60 * 60 * 1000;

const mailed = useMailedService({ PUBLIC_BASE_URL });

const admin = () => mailed.admin;
const page = () => request(mailed.context.app);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const to = (address: string) => (mail: ParsedMail) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address;
const subjectStarts = (address: string, prefix: string) => (mail: ParsedMail) => to(address)(mail) && mail.subject!.startsWith(prefix);
const LINK = /https:\/\/consult\.example\.test\/a\/[A-Za-z0-9_-]{43}/g;
const pathOf = (url: string) => new URL(url).pathname;
const headerOf = (mail: ParsedMail, name: string) => mail.headerLines.find((line) => line.key === name)?.line.replace(/^[^:]+:\s*/, '').replace(/\r?\n(?=[ \t])/g, '');
/** "HH:MM" of `at` on a clock in `zone`, from Intl (not from the code under test). */
const clock = (at: Date, zone: string) => new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(at);

/**
 * A Polish museum (contact in Polish) whose request a Lithuanian expert (Europe/Vilnius, mails in Lithuanian) has
 * accepted, ready to be scheduled.
 */
async function acceptedConsultation() {
  const expertEmail = `ruta.${stamp()}@studija.example.lt`;
  const expert = await createExpert(mailed.context.app, admin(), {
    name: 'Rūta Petrauskienė',
    email: expertEmail,
    languages: ['lt', 'pl', 'en'],
    preferredLanguage: 'lt',
    location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
    modes: ['online'],
  });
  const owner = await createKey(mailed.context.app, admin(), { role: 'requester' });
  const contactEmail = `ewa.${stamp()}@muzeum.example.pl`;
  const requestId = await submitRequest(mailed.context.app, owner, {
    organization: { name: 'Muzeum Rybołówstwa <Tolkmicko>', type: 'cultural', country: 'PL' },
    title: 'Trasa zwiedzania',
    languages: ['pl'],
    mode: 'online',
    contact: { name: 'Ewa Zielińska', email: contactEmail, language: 'pl' },
  });
  await waitForStage(mailed.context.app, owner, requestId, 'matched');
  const invitation = await api(mailed.context.app).post(`/v1/requests/${requestId}/invitations`).set(owner).send({ expertId: expert.id }).expect(201);
  await api(mailed.context.app).post(`/v1/invitations/${invitation.body.id}/accept`).set(expert.auth).expect(200);
  return { expert, expertEmail, owner, contactEmail, requestId };
}

/** Schedules the consultation so that its reminder (24 h before) falls due in three seconds. */
async function scheduleSoon(owner: ReturnType<typeof bearer>, requestId: string): Promise<Date> {
  const startsAt = new Date(Date.now() + DAY_MS + 3000);
  await api(mailed.context.app).post(`/v1/requests/${requestId}/schedule`).set(owner).send({ startsAt: startsAt.toISOString(), durationMinutes: 90, meetingUrl: 'https://meet.example.org/room-7' }).expect(200);
  return startsAt;
}

describe('the reminder 24 h before a consultation', () => {
  it('reaches the expert and the contact once each, in their language and zone, with the meeting link and List-Unsubscribe', async () => {
    const { expertEmail, owner, contactEmail, requestId } = await acceptedConsultation();
    const startsAt = await scheduleSoon(owner, requestId);

    const [expertMail] = await mailed.sink.waitFor(1, subjectStarts(expertEmail, 'Priminimas: konsultacija'));
    const [contactMail] = await mailed.sink.waitFor(1, subjectStarts(contactEmail, 'Przypomnienie: konsultacja'));
    const vilnius = clock(startsAt, 'Europe/Vilnius');
    const warsaw = clock(startsAt, 'Europe/Warsaw');
    expect(vilnius).not.toBe(warsaw);
    expect(expertMail!.text).toContain(`${vilnius} (Europe/Vilnius)`);
    expect(expertMail!.text).toMatch(/^Kada: .+ \(Europe\/Vilnius\)$/m);
    expect(expertMail!.text).toContain('Trukmė: 90 minučių');
    expect(expertMail!.text).toContain('Susitikimo nuoroda: https://meet.example.org/room-7');
    // Since accepting, the expert knows the organisation's contact.
    expect(expertMail!.text).toContain('Su kuo: Muzeum Rybołówstwa <Tolkmicko>, Ewa Zielińska');
    expect(expertMail!.text).toContain(`El. paštas: ${contactEmail}`);
    expect(String(expertMail!.html)).toContain('Muzeum Rybołówstwa &lt;Tolkmicko&gt;');
    expect(contactMail!.text).toContain(`${warsaw} (Europe/Warsaw)`);
    expect(contactMail!.text).toContain('Czas trwania: 90 minut');
    expect(contactMail!.text).toContain('Link do spotkania: https://meet.example.org/room-7');
    expect(contactMail!.text).toContain(`Adres e-mail: ${expertEmail}`);
    for (const mail of [expertMail!, contactMail!]) {
      const [stop] = mail.text!.match(LINK)!;
      expect(headerOf(mail, 'list-unsubscribe')).toBe(`<${stop}>`);
      expect(headerOf(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    }

    // The job run again (bull is at-least-once) sends nothing more.
    const current = (await api(mailed.context.app).get(`/v1/requests/${requestId}`).set(owner).expect(200)).body;
    expect(await mailed.context.services.consultations.remind(requestId, startsAt, current.history.length)).toBe(true);
    await sleep(500);
    expect(mailed.sink.mails.filter(to(expertEmail)).filter((mail) => mail.subject!.startsWith('Priminimas'))).toHaveLength(1);
    expect(mailed.sink.mails.filter(to(contactEmail)).filter((mail) => mail.subject!.startsWith('Przypomnienie'))).toHaveLength(1);
  });

  it('stops for the contact after their one-click unsubscribe (stored on the contact, gone with it), and still reaches the expert', async () => {
    const { expertEmail, owner, contactEmail, requestId } = await acceptedConsultation();
    await scheduleSoon(owner, requestId);
    const [first] = await mailed.sink.waitFor(1, subjectStarts(contactEmail, 'Przypomnienie'));
    const stop = pathOf(/^<(.+)>$/.exec(headerOf(first!, 'list-unsubscribe')!)![1]!);

    const shown = await page().get(stop).expect(200);
    expect(shown.text).toContain('<html lang="pl">');
    expect(shown.text).toContain('Nie będą już Państwo otrzymywać przypomnień przed konsultacją „Trasa zwiedzania”.');
    expect((await api(mailed.context.app).get(`/v1/requests/${requestId}`).set(owner).expect(200)).body.contact.reminders).toBeUndefined();
    const done = await page().post(stop).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(done.text).toContain('Przypomnienia są wyłączone');
    expect((await api(mailed.context.app).get(`/v1/requests/${requestId}`).set(owner).expect(200)).body.contact).toMatchObject({ email: contactEmail, reminders: false });

    await scheduleSoon(owner, requestId);
    await mailed.sink.waitFor(2, subjectStarts(expertEmail, 'Priminimas'));
    await sleep(1000);
    expect(mailed.sink.mails.filter(subjectStarts(contactEmail, 'Przypomnienie'))).toHaveLength(1);

    await api(mailed.context.app).delete(`/v1/requests/${requestId}/contact`).set(owner).expect(204);
    await page().get(stop).expect(404);
    expect((await api(mailed.context.app).get(`/v1/requests/${requestId}`).set(owner).expect(200)).body.contact).toBeUndefined();
  });
});

describe('after completion', () => {
  it('asks the contact for a rating with five links first, 1 to 5; GET changes nothing, POST closes with the comment, the other links are dead', async () => {
    const { expertEmail, owner, contactEmail, requestId, expert } = await acceptedConsultation();
    await api(mailed.context.app).post(`/v1/requests/${requestId}/schedule`).set(owner).send({ startsAt: new Date(Date.now() + 3 * DAY_MS).toISOString() }).expect(200);
    await api(mailed.context.app).post(`/v1/requests/${requestId}/start`).set(owner).expect(200);
    await api(mailed.context.app).post(`/v1/requests/${requestId}/complete`).set(expert.auth).send({ summary: 'Omówiliśmy trasę.' }).expect(200);

    const [mail] = await mailed.sink.waitFor(1, subjectStarts(contactEmail, 'Jak oceniają Państwo'));
    expect(mail!.subject).toBe('Jak oceniają Państwo konsultację „Trasa zwiedzania”?');
    const links = mail!.text!.match(LINK)!;
    expect(links).toHaveLength(5);
    const labels = ['1 – słabo', '2 – przeciętnie', '3 – dobrze', '4 – bardzo dobrze', '5 – znakomicie'];
    expect(mail!.text!.split('\n').slice(0, 5)).toEqual(labels.map((label, index) => `${label}: ${links[index]}`));
    expect(headerOf(mail!, 'list-unsubscribe')).toBeUndefined();
    const [one, , , four, five] = links.map(pathOf) as [string, string, string, string, string];

    const read = () => api(mailed.context.app).get(`/v1/requests/${requestId}`).set(owner).expect(200);
    const before = await read();
    expect(before.headers.etag).toBeDefined();
    const shown = await page().get(four).expect(200);
    expect(shown.text).toContain('4 – bardzo dobrze');
    expect(shown.text).toContain('<textarea id="comment" name="comment" maxlength="4000">');
    await page().get(one).expect(200);
    const unchanged = await read();
    expect(unchanged.body.stage).toBe('completed');
    expect(unchanged.headers.etag).toBe(before.headers.etag);

    await page().post(four).type('form').send({ comment: 'x'.repeat(4001) }).expect(400);
    const done = await page().post(four).type('form').send({ comment: 'Bardzo pomocna <rozmowa>' }).expect(200);
    expect(done.text).toContain('Dziękujemy za opinię');
    const closed = await read();
    expect(closed.body).toMatchObject({ stage: 'closed', feedback: { rating: 4, comment: 'Bardzo pomocna <rozmowa>' } });

    const other = await page().get(five).expect(409);
    expect(other.text).toContain('Konsultacja została już oceniona');
    await page().post(five).type('form').send({ comment: 'Jednak pięć' }).expect(409);
    const again = await page().post(four).type('form').send('').expect(410);
    expect(again.text).toContain('Państwa ocena została zapisana');
    expect((await read()).headers.etag).toBe(closed.headers.etag);

    const [feedback] = await mailed.sink.waitFor(1, subjectStarts(expertEmail, 'Atsiliepimas'));
    expect(feedback!.subject).toBe('Atsiliepimas apie jūsų konsultaciją „Trasa zwiedzania“');
    expect(feedback!.text).toContain('Įvertinimas: 4 – labai gerai');
    expect(feedback!.text).toContain('Bardzo pomocna <rozmowa>');
    expect(String(feedback!.html)).toContain('Bardzo pomocna &lt;rozmowa&gt;');
    await sleep(300);
    expect(mailed.sink.mails.filter(subjectStarts(expertEmail, 'Atsiliepimas'))).toHaveLength(1);
  });
});
