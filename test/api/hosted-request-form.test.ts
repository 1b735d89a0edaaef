import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import mongoose from 'mongoose';
import request from 'supertest';
import { api } from '../helpers/contract';
import { bearer } from '../helpers/scenario';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startTestContext, type TestContext } from '../helpers/test-context';

const PUBLIC_BASE_URL = 'https://consult.example.test';
const LINK = /https:\/\/consult\.example\.test\/a\/([A-Za-z0-9_-]{43})/;

let context: TestContext;
let sink: SmtpSink;

beforeAll(async () => {
  sink = await startSmtpSink();
  // TRUST_PROXY lets each test come from its own address (X-Forwarded-For), so the per-address form limit is per test.
  context = await startTestContext({ MAIL: 'on', SMTP_URL: sink.url, MAIL_RETRY_BASE_MS: '50', AUTO_INVITE: 'off', PUBLIC_BASE_URL, TRUST_PROXY: 'true' }, { workers: true });
});
afterAll(async () => {
  await context.close();
  await sink.stop();
});

let addresses = 0;
/** A visitor from an address of their own. */
const visitor = () => {
  addresses += 1;
  const address = `203.0.113.${addresses}`;
  return {
    get: (path: string) => request(context.app).get(path).set('X-Forwarded-For', address),
    post: (path: string) => request(context.app).post(path).set('X-Forwarded-For', address).type('form'),
  };
};
const to = (address: string) => (mail: ParsedMail) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address;
const drafts = () => mongoose.connection.db!.collection('request_drafts');

/** A complete Polish museum's form, as the browser would post it (repeated names for lists, empty optional fields). */
function museumForm(email: string, overrides: Record<string, string | string[]> = {}) {
  return {
    'organization.name': 'Muzeum Zalewu Wiślanego',
    'organization.type': 'cultural',
    'organization.country': 'PL',
    'organization.website': '',
    'contact.name': 'Anna Kowalska',
    'contact.email': email,
    'contact.language': 'pl',
    title: 'Zwiedzający gubią się na piętrze',
    description: 'Zwiedzający nie mogą znaleźć wejścia na drugie piętro wystawy i często pytają obsługę o drogę.',
    skills: ['', '', ''],
    languages: ['pl', 'en'],
    'location.city': 'Tolkmicko',
    'location.country': 'PL',
    mode: 'onsite',
    deadline: '',
    nickname: '',
    ...overrides,
  };
}
const encode = (form: Record<string, string | string[]>) =>
  Object.entries(form)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((item) => `${encodeURIComponent(name)}=${encodeURIComponent(item)}`))
    .join('&');
const uniqueEmail = () => `muzeum.${randomBytes(4).toString('hex')}@Example.PL`;

describe('the language of a hosted page', () => {
  it('comes from ?lang= (then remembered in a cookie), then the cookie, then Accept-Language', async () => {
    const person = visitor();
    const german = await person.get('/').set('Accept-Language', 'de-DE,de;q=0.9').expect(200);
    expect(german.text).toContain('<html lang="de">');
    expect(german.headers['content-language']).toBe('de');

    const chosen = await person.get('/?lang=lt').set('Accept-Language', 'de').expect(200);
    expect(chosen.text).toContain('<html lang="lt">');
    expect(chosen.text).toContain('Konsultacijos organizacijoms Pietų Baltijos regione');
    // The two ways in: organisations ask, experts offer (and sign in).
    expect([...chosen.text.matchAll(/<a class="button" href="([^"]+)">([^<]+)<\/a>/g)].map((match) => [match[1], match[2]])).toEqual([
      ['/request', 'Prašyti konsultacijos'],
      ['/experts/join', 'Pasiūlykite savo žinias'],
    ]);
    const cookie = chosen.headers['set-cookie'] as unknown as string[];
    expect(cookie[0]).toMatch(/^lang=lt;.*HttpOnly.*SameSite=Lax/i);

    const remembered = await person.get('/request').set('Cookie', 'lang=lt').set('Accept-Language', 'de').expect(200);
    expect(remembered.text).toContain('<html lang="lt">');
    // An unknown ?lang= is ignored, not an error.
    expect((await person.get('/?lang=xx').set('Accept-Language', 'sv').expect(200)).text).toContain('<html lang="sv">');
  });

  it('offers a switcher to every language on every page, naming each in its own language', async () => {
    const page = await visitor().get('/request?lang=pl').expect(200);
    for (const [code, name] of [['en', 'English'], ['de', 'Deutsch'], ['lt', 'lietuvių'], ['sv', 'svenska']]) {
      expect(page.text).toContain(`<a href="/request?lang=${code}" hreflang="${code}" lang="${code}">${name}</a>`);
    }
    expect(page.text).toContain('<span aria-current="true" lang="pl">polski</span>');
  });

  it('leaves the API alone: no cookie, no Content-Language on /v1', async () => {
    for (const path of ['/healthz?lang=pl', '/docs?lang=pl']) {
      const answer = await request(context.app).get(path).set('Cookie', 'lang=pl');
      expect(answer.headers['set-cookie']).toBeUndefined();
      expect(answer.headers['content-language']).toBeUndefined();
    }
    const listed = await api(context.app).get('/v1/requests').set(bearer(context.adminKey)).set('Cookie', 'lang=pl').expect(200);
    expect(listed.headers['content-language']).toBeUndefined();
  });
});

describe('GET /', () => {
  it('says what the service is and leads to the request form', async () => {
    const home = await visitor().get('/?lang=en').expect(200);
    expect(home.text).toContain('<h1>Consultations for organisations around the South Baltic</h1>');
    expect(home.text).toContain('<a class="button" href="/request">Ask for a consultation</a>');
    expect(home.headers['cache-control']).toBe('no-store');
  });
});

describe('the request form', () => {
  it("names its fields as the API does: dotted for nested ones, repeated for lists, with the taxonomy's labels as suggestions", async () => {
    const form = (await visitor().get('/request?lang=de').expect(200)).text;
    for (const name of ['organization.name', 'organization.type', 'organization.country', 'organization.website', 'contact.name', 'contact.email', 'contact.language', 'title', 'description', 'location.city', 'location.country', 'deadline']) {
      expect(form).toContain(`name="${name}"`);
    }
    expect(form.match(/name="skills"/g)).toHaveLength(5);
    expect(form).toMatch(/<input type="checkbox" id="languages-\d+" name="languages" value="lt">/);
    expect(form).toMatch(/<input type="radio" id="mode-\d+" name="mode" value="online">/);
    expect(form).toContain('<datalist id="skill-suggestions">');
    expect(form).toContain('<option value="Ausstellungsgestaltung">');
    // The contact's language defaults to the page's.
    expect(form).toMatch(/<option value="de" selected>Deutsch<\/option>/);
  });

  it('shows every problem beside its field and in a summary, in the visitor language, and keeps nothing', async () => {
    const before = await drafts().countDocuments();
    const email = uniqueEmail();
    const page = await visitor()
      .post('/request?lang=pl')
      .send(encode(museumForm(email, { 'organization.name': '', 'contact.email': 'not-an-address', title: 'x'.repeat(10_000), languages: [], mode: 'somewhere' })))
      .expect(400);
    expect(page.text).toContain('<html lang="pl">');
    expect(page.text).toContain('Jest 5 błędów do poprawienia');
    expect(page.text).toContain('<p class="error" id="mode-error">Prosimy wybrać jedną z opcji.</p>');
    expect(page.text).toContain('<p class="error" id="organization-name-error">Prosimy wypełnić to pole.</p>');
    expect(page.text).toContain('<p class="error" id="contact-email-error">Prosimy podać adres e-mail, np. nazwa@example.org.</p>');
    expect(page.text).toContain('<p class="error" id="title-error">Maksymalna długość: 200 znaków.</p>');
    expect(page.text).toContain('<p class="error" id="languages-error">Prosimy wybrać co najmniej jedną opcję.</p>');
    expect(page.text).toContain('<a href="#organization-name">Nazwa organizacji: Prosimy wypełnić to pole.</a>');
    expect(page.text).toContain('aria-describedby="contact-email-error" aria-invalid="true"');
    // What the visitor typed stays in the form (escaped).
    expect(page.text).toContain('value="not-an-address"');
    expect(await drafts().countDocuments()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.mails.filter(to(email.replace('Example.PL', 'example.pl')))).toHaveLength(0);
  });

  it('shows an empty form\'s problems each beside its own field, not once for a whole group of empty fields', async () => {
    const empty = Object.fromEntries(Object.entries(museumForm('')).map(([name, value]) => [name, Array.isArray(value) ? [] : '']));
    const page = await visitor().post('/request?lang=en').send(encode(empty)).expect(400);
    const summary = [...page.text.matchAll(/<li><a href="#([a-z-]+)">([^<]*)<\/a>/g)].map((match) => match[1]);
    expect(summary).toEqual(['organization-name', 'organization-type', 'organization-country', 'contact-name', 'contact-email', 'title', 'description', 'languages', 'location-country', 'mode']);
    for (const id of summary) expect(page.text).toContain(`<p class="error" id="${id}-error">`);
    // A list to choose from asks for a choice; a text field asks to be filled in.
    expect(page.text).toContain('<p class="error" id="organization-country-error">Choose one of the options.</p>');
    expect(page.text).toContain('<p class="error" id="organization-name-error">Fill in this field.</p>');
  });

  it('files nothing until the contact confirms through the link in their mail, then submits the request once', async () => {
    const email = uniqueEmail();
    const person = visitor();
    const sent = await person.post('/request?lang=pl').send(encode(museumForm(email, { title: 'Wystawa <script>alert(1)</script>' }))).expect(303);
    expect(sent.headers.location).toBe('/request/sent');
    expect((await person.get('/request/sent').set('Cookie', 'lang=pl').expect(200)).text).toContain('Prosimy sprawdzić skrzynkę e-mail');

    // The address keeps its spelling, with the domain lower-cased, as the API stores it.
    const [mail] = await sink.waitFor(1, to('muzeum.' + email.slice(7, 15) + '@example.pl'));
    expect(mail!.subject).toBe('Prosimy potwierdzić zapytanie „Wystawa <script>alert(1)</script>”');
    expect(mail!.html).toContain('Wystawa &lt;script&gt;alert(1)&lt;/script&gt;');
    const link = `/a/${LINK.exec(mail!.text!)![1]}`;
    expect(mail!.text!.indexOf(link)).toBeLessThan(mail!.text!.indexOf('Anna Kowalska'));

    const [draft] = await drafts().find({ 'input.contact.email': mail!.to && !Array.isArray(mail!.to) ? mail!.to.value[0]!.address : '' }).toArray();
    const requestId = String(draft!._id);
    const admin = bearer(context.adminKey);
    await api(context.app).get(`/v1/requests/${requestId}`).set(admin).expect(404);

    const shown = await person.get(link).expect(200);
    expect(shown.text).toContain('<html lang="pl">');
    expect(shown.text).toContain('Potwierdzić zapytanie?');
    expect(shown.text).not.toContain('<script>alert(1)</script>');
    await api(context.app).get(`/v1/requests/${requestId}`).set(admin).expect(404);

    const done = await person.post(link).set('Origin', PUBLIC_BASE_URL).expect(200);
    expect(done.text).toContain('Zapytanie zostało wysłane');
    const filed = await api(context.app).get(`/v1/requests/${requestId}`).set(admin).expect(200);
    expect(filed.body.title).toBe('Wystawa <script>alert(1)</script>');
    expect(filed.body.contact).toEqual({ name: 'Anna Kowalska', email: mail!.to && !Array.isArray(mail!.to) ? mail!.to.value[0]!.address : '', language: 'pl' });
    expect(filed.body.languages).toEqual(['pl', 'en']);
    expect(filed.body.skills).toEqual([]);
    expect(await drafts().countDocuments({ _id: requestId as never })).toBe(0);

    // The link worked once; the request was filed once.
    expect((await person.post(link).set('Origin', PUBLIC_BASE_URL).expect(410)).text).toContain('Zapytanie jest już potwierdzone');
    const received = await sink.waitFor(1, (each) => each.subject === 'Otrzymaliśmy Państwa zapytanie „Wystawa <script>alert(1)</script>”');
    expect(received).toHaveLength(1);
  });

  it('pretends to accept a form whose honeypot is filled, and keeps and sends nothing', async () => {
    const before = await drafts().countDocuments();
    const email = uniqueEmail();
    await visitor().post('/request').send(encode(museumForm(email, { nickname: 'bot' }))).expect(303);
    expect(await drafts().countDocuments()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.mails.filter(to(email.toLowerCase()))).toHaveLength(0);
  });

  it('refuses a form posted from another site with a page, and keeps nothing', async () => {
    const before = await drafts().countDocuments();
    const page = await visitor().post('/request?lang=sv').set('Origin', 'https://evil.example').send(encode(museumForm(uniqueEmail()))).expect(403);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('Formuläret skickades från en annan webbplats');
    expect(await drafts().countDocuments()).toBe(before);
  });

  it('refuses a form too large to read with a page, not a 500', async () => {
    const page = await visitor().post('/request?lang=en').send(encode(museumForm(uniqueEmail(), { description: 'x'.repeat(70_000) }))).expect(400);
    expect(page.text).toContain('it is too large or has too many fields');
  });

  it('limits how many forms one address sends a minute, with a page in the visitor language', async () => {
    const person = visitor();
    for (let i = 0; i < 5; i += 1) await person.post('/request').send(encode(museumForm(uniqueEmail(), { 'organization.name': '' }))).expect(400);
    const refused = await person.post('/request?lang=de').send(encode(museumForm(uniqueEmail()))).expect(429);
    expect(refused.text).toContain('Von Ihrer Verbindung wurden in kurzer Zeit zu viele Formulare gesendet');
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
  });
});
