import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import mongoose from 'mongoose';
import { api } from '../helpers/contract';
import { createExpert } from '../helpers/scenario';
import { csrfOf, to, useMailedPages, visitors, type Visitor } from '../helpers/page-visitors';
import { ActionTokenModel } from '../../src/links/action-token.model';

const LINK = /https:\/\/consult\.example\.test\/a\/([A-Za-z0-9_-]{43})/;

const pages = useMailedPages();

const browser = visitors(() => pages.context.app, '192.0.2');
type Browser = Visitor;

const encode = (form: Record<string, string | string[]>) =>
  Object.entries(form)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((item) => `${encodeURIComponent(name)}=${encodeURIComponent(item)}`))
    .join('&');
const uniqueEmail = () => `ruta.${randomBytes(4).toString('hex')}@example.lt`;
const drafts = () => mongoose.connection.db!.collection('expert_drafts');
const experts = () => mongoose.connection.db!.collection('experts');
const sessions = () => mongoose.connection.db!.collection('sessions');
const revisionOf = (html: string) => /name="revision" value="(\d+)"/.exec(html)?.[1] ?? '';
const linkIn = (mail: ParsedMail) => `/a/${LINK.exec(mail.text!)![1]}`;

/** A Lithuanian exhibition designer's sign-up, as the browser posts it (repeated names for lists, empty optional fields). */
function joinForm(email: string, overrides: Record<string, string | string[]> = {}) {
  return {
    name: 'Rūta Jonaitienė',
    email,
    headline: 'Exhibition designer',
    bio: '',
    skills: ['exhibition design', 'visitor research', '', ''],
    languages: ['lt', 'en'],
    'location.city': 'Klaipėda',
    'location.country': 'LT',
    modes: ['online', 'onsite'],
    capacity: '2',
    timeZone: '',
    preferredLanguage: 'lt',
    nickname: '',
    ...overrides,
  };
}

/** The profile form's fields (the join form's, without the address and the honeypot), with `overrides`. */
function profileFields(overrides: Record<string, string | string[]> = {}) {
  const { email: _email, nickname: _nickname, ...fields } = joinForm('', overrides);
  return fields;
}

/** The profile form as a signed-in expert would send it back: the page's CSRF token and revision, the fields given. */
function profileForm(page: string, fields: Record<string, string | string[]>) {
  return encode({ _csrf: csrfOf(page), revision: revisionOf(page), ...fields });
}

/** Signs up with `email`, confirms from the mail and keeps the session: the browser and the new expert's id. */
async function joinAndConfirm(email = uniqueEmail(), overrides: Record<string, string | string[]> = {}): Promise<{ person: Browser; expertId: string; email: string }> {
  const person = browser();
  await person.post('/experts/join').send(encode(joinForm(email, overrides))).expect(303).expect('Location', '/experts/join/sent');
  const [mail] = await pages.sink.waitFor(1, to(email));
  const confirmed = await person.post(linkIn(mail!)).send('').expect(303).expect('Location', '/experts/home');
  person.keep(confirmed.headers['set-cookie'] as unknown as string[]);
  const stored = await experts().findOne({ email });
  return { person, expertId: String(stored!._id), email };
}

describe('signing up as an expert at /experts/join', () => {
  it('creates nothing until the address is confirmed from the mail; the link’s POST creates the profile as the address’s hosted owner and signs in', async () => {
    const email = uniqueEmail();
    const person = browser();
    const form = await person.get('/experts/join?lang=lt').expect(200);
    expect(form.text).toContain('<html lang="lt">');
    expect(form.text).toContain('name="location.country"');
    expect(form.text).toContain('<datalist id="skill-suggestions">');
    expect(form.text).toContain('<option value="Europe/Vilnius">Europe/Vilnius</option>');

    await person.post('/experts/join').send(encode(joinForm(email))).expect(303).expect('Location', '/experts/join/sent');
    expect((await person.get('/experts/join/sent').set('Cookie', 'lang=lt').expect(200)).text).toContain('Patikrinkite el. paštą');
    const [mail] = await pages.sink.waitFor(1, to(email));
    expect(mail!.subject).toBe('Patvirtinkite savo eksperto profilį');
    expect(mail!.text).toContain('24 valandas');
    const [draft] = await drafts().find({ 'input.email': email }).toArray();
    expect(draft).toBeDefined();
    const expertId = String(draft!._id);
    await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(404);

    const link = linkIn(mail!);
    const shown = await person.get(link).expect(200);
    expect(shown.text).toContain('Sukurti jūsų eksperto profilį?');
    expect(shown.text).toContain('exhibition design, visitor research');
    expect(shown.headers['set-cookie']).toBeUndefined();
    await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(404);

    const confirmed = await person.post(link).send('').expect(303).expect('Location', '/experts/home');
    person.keep(confirmed.headers['set-cookie'] as unknown as string[]);
    const created = await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200);
    expect(created.body).toMatchObject({ name: 'Rūta Jonaitienė', email, skills: ['exhibition design', 'visitor research'], languages: ['lt', 'en'], location: { city: 'Klaipėda', country: 'LT' }, modes: ['online', 'onsite'], capacity: 2, status: 'active', preferredLanguage: 'lt' });
    expect((await experts().findOne({ email }))!.ownerId).toMatch(/^hosted:[0-9a-f]{24}$/);
    expect(await drafts().countDocuments({ _id: expertId as never })).toBe(0);

    const home = await person.get('/experts/home').expect(200);
    expect(home.text).toContain('Prisijungta kaip Rūta Jonaitienė');
    expect(home.text).toContain('<a href="/experts/profile">Jūsų profilis</a>');
    expect(home.text).toContain('<a href="/experts/profile/erase">Ištrinti mano profilį</a>');

    // The link worked once.
    expect((await browser().post(link).send('').expect(410)).text).toContain('Jūsų profilis jau sukurtas');
    expect(await experts().countDocuments({ email })).toBe(1);
  });

  it('says the same for an address that has a profile, mails a sign-in link instead and keeps no sign-up', async () => {
    const email = uniqueEmail();
    await createExpert(pages.context.app, pages.admin, { name: 'Rūta Jonaitienė', email, languages: ['lt', 'en'], preferredLanguage: 'lt' });
    await browser().post('/experts/join').send(encode(joinForm(email))).expect(303).expect('Location', '/experts/join/sent');
    const [mail] = await pages.sink.waitFor(1, to(email));
    expect(mail!.subject).toBe('Jūsų prisijungimo nuoroda');
    expect(await drafts().countDocuments({ 'input.email': email })).toBe(0);
    expect(await experts().countDocuments({ email })).toBe(1);
  });

  it('refuses the link when another profile took the address meanwhile, and when it has expired, creating nothing', async () => {
    const email = uniqueEmail();
    await browser().post('/experts/join').send(encode(joinForm(email))).expect(303);
    const [mail] = await pages.sink.waitFor(1, to(email));
    const link = linkIn(mail!);
    await createExpert(pages.context.app, pages.admin, { name: 'Rūta Jonaitienė', email, languages: ['lt'] });
    const taken = await browser().post(link).send('').expect(409);
    expect(taken.text).toContain('Profilis su šiuo el. pašto adresu jau yra');
    expect(taken.headers['set-cookie']).toBeUndefined();
    expect(await experts().countDocuments({ email })).toBe(1);

    const other = uniqueEmail();
    await browser().post('/experts/join').send(encode(joinForm(other))).expect(303);
    const [otherMail] = await pages.sink.waitFor(1, to(other));
    await ActionTokenModel.db.db!.collection('action_tokens').updateMany({ purpose: 'confirm_expert', subjectId: String((await drafts().findOne({ 'input.email': other }))!._id) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await browser().get(linkIn(otherMail!)).expect(410)).text).toContain('Ši patvirtinimo nuoroda nebegalioja');
    await browser().post(linkIn(otherMail!)).send('').expect(410);
    expect(await experts().countDocuments({ email: other })).toBe(0);
  });

  it('shows bad input beside each field in the page’s language and stores and sends nothing', async () => {
    const email = uniqueEmail();
    const page = await browser()
      .post('/experts/join?lang=de')
      .send(encode(joinForm(email, { name: '', email: 'kein-adresse', languages: [], headline: 'x'.repeat(10_000), 'location.country': '', capacity: 'viele', timeZone: 'Mars/Olympus' })))
      .expect(400);
    expect(page.text).toContain('<html lang="de">');
    const summary = [...page.text.matchAll(/<li><a href="#([a-zA-Z-]+)">/g)].map((match) => match[1]);
    expect(summary).toEqual(['name', 'email', 'headline', 'languages', 'location-country', 'capacity', 'timeZone']);
    for (const id of summary) expect(page.text).toContain(`<p class="error" id="${id}-error">`);
    expect(page.text).toContain('<p class="error" id="email-error">Bitte geben Sie eine E-Mail-Adresse ein, zum Beispiel name@example.org.</p>');
    expect(page.text).toContain('<p class="error" id="headline-error">Bitte verwenden Sie höchstens 160 Zeichen.</p>');
    // What was typed stays in the form.
    expect(page.text).toContain('value="kein-adresse"');
    expect(page.text).toContain('value="exhibition design"');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await drafts().countDocuments({ 'input.email': email })).toBe(0);
    expect(pages.sink.mails.filter(to(email))).toHaveLength(0);
  });

  it('escapes markup typed into the form when showing it again', async () => {
    const page = await browser().post('/experts/join?lang=en').send(encode(joinForm(uniqueEmail(), { name: '<script>alert(1)</script>', languages: [] }))).expect(400);
    expect(page.text).not.toContain('<script>alert(1)</script>');
    expect(page.text).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it('pretends to accept a sign-up whose honeypot is filled, and keeps and sends nothing', async () => {
    const email = uniqueEmail();
    await browser().post('/experts/join').send(encode(joinForm(email, { nickname: 'bot' }))).expect(303).expect('Location', '/experts/join/sent');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await drafts().countDocuments({ 'input.email': email })).toBe(0);
    expect(pages.sink.mails.filter(to(email))).toHaveLength(0);
  });

  it('refuses a sign-up from another site with a page, and limits sign-ups per address', async () => {
    const email = uniqueEmail();
    const foreign = await browser().post('/experts/join?lang=sv').set('Origin', 'https://evil.example').send(encode(joinForm(email))).expect(403);
    expect(foreign.text).toContain('Formuläret skickades från en annan webbplats');
    expect(await drafts().countDocuments({ 'input.email': email })).toBe(0);

    const person = browser();
    for (let i = 0; i < 5; i += 1) await person.post('/experts/join').send(encode(joinForm(uniqueEmail(), { name: '' }))).expect(400);
    const refused = await person.post('/experts/join?lang=en').send(encode(joinForm(uniqueEmail()))).expect(429);
    expect(refused.text).toContain('Too many forms were sent from your connection');
  });
});

describe('the signed-in expert’s profile page', () => {
  it('sends a visitor who is not signed in to the sign-in page', async () => {
    await browser().get('/experts/profile').expect(303).expect('Location', '/experts/login');
    await browser().get('/experts/profile/export').expect(303).expect('Location', '/experts/login');
    await browser().post('/experts/profile/erase').send('').expect(303).expect('Location', '/experts/login');
  });

  it('shows the profile prefilled and saves a change at the revision it was read at', async () => {
    const { person, expertId, email } = await joinAndConfirm();
    const page = await person.get('/experts/profile?lang=en').expect(200);
    expect(page.text).toContain(`E-mails go to ${email}.`);
    expect(page.text).toContain('value="Exhibition designer"');
    expect(page.text).toMatch(/<option value="Europe\/Vilnius" selected>/);
    expect(page.text).toMatch(/name="languages" value="lt" checked>/);
    expect(revisionOf(page.text)).toBe('1');

    const saved = await person
      .post('/experts/profile')
      .send(profileForm(page.text, profileFields({ headline: '', skills: ['exhibition design', 'wayfinding', ''], 'location.city': 'Gdańsk', 'location.country': 'PL', modes: ['online'], capacity: '4', timeZone: 'Europe/Warsaw', preferredLanguage: 'pl' })))
      .expect(303)
      .expect('Location', '/experts/profile?done=saved');
    expect(saved.headers['set-cookie']).toBeUndefined();
    const stored = (await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200)).body;
    expect(stored).toMatchObject({ skills: ['exhibition design', 'wayfinding'], location: { city: 'Gdańsk', country: 'PL' }, modes: ['online'], capacity: 4, timeZone: 'Europe/Warsaw', preferredLanguage: 'pl', email });
    expect(stored.headline).toBeUndefined();

    const after = await person.get('/experts/profile?done=saved').expect(200);
    expect(after.text).toContain('<html lang="pl">');
    expect(after.text).toContain('Twój profil został zapisany.');
  });

  it('shows bad input beside its field and changes nothing', async () => {
    const { person, expertId } = await joinAndConfirm();
    const page = await person.get('/experts/profile?lang=en').expect(200);
    const refused = await person.post('/experts/profile').send(profileForm(page.text, profileFields({ skills: ['', ''], capacity: '21' }))).expect(400);
    expect(refused.text).toContain('<p class="error" id="skills-error">');
    expect(refused.text).toContain('<p class="error" id="capacity-error">');
    const unchanged = await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200);
    expect(unchanged.body).toMatchObject({ skills: ['exhibition design', 'visitor research'], capacity: 2 });
    expect(unchanged.headers.etag).toBe('"r1"');
  });

  it('does not overwrite a change made meanwhile: the form comes back as the profile is now, saying it changed', async () => {
    const { person, expertId } = await joinAndConfirm();
    const page = await person.get('/experts/profile?lang=en').expect(200);
    // Another tab, or the API, changes the profile after the form was opened.
    const read = await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200);
    await api(pages.context.app).patch(`/v1/experts/${expertId}`).set(pages.admin).set('If-Match', read.headers.etag!).send({ headline: 'Museum wayfinding' }).expect(200);

    const stale = await person.post('/experts/profile?lang=en').send(profileForm(page.text, profileFields({ capacity: '5' }))).expect(409);
    expect(stale.text).toContain('Your profile was changed elsewhere while you were editing it');
    expect(stale.text).toContain('value="Museum wayfinding"');
    expect(revisionOf(stale.text)).toBe('2');
    expect((await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200)).body).toMatchObject({ headline: 'Museum wayfinding', capacity: 2 });

    // Sent again from the fresh form, it is saved.
    await person.post('/experts/profile').send(profileForm(stale.text, profileFields({ headline: 'Museum wayfinding', capacity: '5' }))).expect(303);
    expect((await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200)).body).toMatchObject({ headline: 'Museum wayfinding', capacity: 5 });
  });

  it('pauses and resumes the profile with the pause toggle', async () => {
    const { person, expertId } = await joinAndConfirm();
    const page = await person.get('/experts/profile').expect(200);
    await person.post('/experts/profile').send(profileForm(page.text, profileFields({ status: 'paused' }))).expect(303);
    expect((await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200)).body.status).toBe('paused');
    const paused = await person.get('/experts/profile').expect(200);
    expect(paused.text).toMatch(/name="status" value="paused" checked/);
    await person.post('/experts/profile').send(profileForm(paused.text, profileFields())).expect(303);
    expect((await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200)).body.status).toBe('active');
  });

  it('refuses a change without the session’s CSRF token or from another site, changing nothing', async () => {
    const { person, expertId } = await joinAndConfirm();
    const page = await person.get('/experts/profile?lang=en').expect(200);
    const fields = profileFields({ capacity: '7' });
    const missing = await person.post('/experts/profile?lang=en').send(encode({ revision: revisionOf(page.text), ...fields })).expect(403);
    expect(missing.text).toContain('This form has expired or was sent from another page');
    await person.post('/experts/profile').send(encode({ _csrf: 'f'.repeat(64), revision: revisionOf(page.text), ...fields })).expect(403);
    await person.post('/experts/profile').set('Origin', 'https://evil.example').send(profileForm(page.text, fields)).expect(403);
    await person.post('/experts/profile/erase').send(encode({ _csrf: 'f'.repeat(64) })).expect(403);
    const unchanged = await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200);
    expect(unchanged.body.capacity).toBe(2);
    expect(unchanged.headers.etag).toBe('"r1"');
  });

  it('downloads the expert’s data as the API’s export, as an attachment', async () => {
    const { person, expertId, email } = await joinAndConfirm();
    const download = await person.get('/experts/profile/export').expect(200);
    expect(download.headers['content-disposition']).toBe(`attachment; filename=expert-${expertId}.json`);
    expect(download.headers['content-type']).toMatch(/^application\/json/);
    expect(download.headers['cache-control']).toBe('no-store');
    expect(download.body.profile).toMatchObject({ id: expertId, name: 'Rūta Jonaitienė', email, skills: ['exhibition design', 'visitor research'] });
    // The confirmation mail was the expert's from the start: the export lists it.
    expect(download.body.mails.map((mail: { kind: string }) => mail.kind)).toContain('expert_confirmation');
    const fromApi = await api(pages.context.app).get(`/v1/experts/${expertId}/export`).set(pages.admin).expect(200);
    expect(Object.keys(download.body).sort()).toEqual(Object.keys(fromApi.body).sort());
    expect(download.body.profile).toEqual(fromApi.body.profile);
  });

  it('erases the profile only after a confirmation step, ends the session and says goodbye', async () => {
    const { person, expertId } = await joinAndConfirm();
    const confirmation = await person.get('/experts/profile/erase?lang=en').expect(200);
    expect(confirmation.text).toContain('Erasing cannot be undone');
    expect(confirmation.text).toContain('your API keys and every signed-in session, including this one.');
    // The GET changed nothing.
    await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(200);
    expect(await sessions().countDocuments({ expertId })).toBe(1);

    const erased = await person.post('/experts/profile/erase').send(encode({ _csrf: csrfOf(confirmation.text) })).expect(303).expect('Location', '/experts/goodbye');
    expect((erased.headers['set-cookie'] as unknown as string[]).some((line) => /^expert_session=[^;]*;.*Expires=Thu, 01 Jan 1970/.test(line))).toBe(true);
    await api(pages.context.app).get(`/v1/experts/${expertId}`).set(pages.admin).expect(404);
    expect(await sessions().countDocuments({ expertId })).toBe(0);
    expect((await person.get('/experts/goodbye?lang=en').expect(200)).text).toContain('Your profile is erased');
    // The old cookie opens nothing any more.
    await person.get('/experts/profile').expect(303).expect('Location', '/experts/login');
  });
});
