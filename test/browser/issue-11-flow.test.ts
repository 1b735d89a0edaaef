import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { api } from '../helpers/contract';
import { expectAccessible, screenshot, useMailedBrowserApp } from '../helpers/browser';
import { bearer, invite, waitForStage } from '../helpers/scenario';

/*
 * Issue 11's "Done when", first bullet, as one story per test: a Lithuanian expert and a Polish museum, each in their
 * own browser, use only the hosted pages and the links of the mails the real SMTP sink receives. The expert joins
 * before the museum confirms its request, so matching finds them. AUTO_INVITE is off and the admin invites this
 * test's expert through the API: the second test's database also holds the first test's expert, whom auto-invite
 * could pick instead.
 */

// Each flow walks through about twenty pages in two browsers, each audited by axe: room on a busy two-core machine.
jest.setTimeout(180_000);
const app = useMailedBrowserApp();

const admin = () => bearer(app.context.adminKey);
const stamp = () => randomBytes(4).toString('hex');
const mailTo = (address: string, subject = '') => (mail: ParsedMail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address && mail.subject!.startsWith(subject);
const actionLink = (mail: ParsedMail) => /http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]{43}/.exec(mail.text!)![0];
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();
const path = (page: Page) => new URL(page.url()).pathname;
const requestOf = async (requestId: string) => (await api(app.context.app).get(`/v1/requests/${requestId}`).set(admin()).expect(200)).body;
/** A form field by its id (request ids start with a digit, which a CSS `#id` selector cannot). */
const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);

/** Presses the button named `name` in the page's main region and waits for the page the POST leads to; the POST's response. */
async function press(page: Page, name: string) {
  const [response] = await Promise.all([page.waitForResponse((answer) => answer.request().method() === 'POST'), page.getByRole('main').getByRole('button', { name, exact: true }).first().click()]);
  await page.waitForLoadState();
  return response;
}

/** Follows the link named `name` and waits for its page. */
async function follow(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name, exact: true }).click()]);
}

/** A screenshot and an axe audit of the page as it is now: every page of the flow is checked. */
async function look(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await expectAccessible(page);
}

/** Rūta signs up at /experts/join (from `/`), confirms from the mail and lands signed in on her home page; her expert id. */
async function expertJoins(page: Page, email: string, tag: string): Promise<string> {
  await page.goto('/');
  expect(await page.getAttribute('html', 'lang')).toBe('lt');
  await look(page, `${tag}-01-expert-home-page`);
  await follow(page, 'Pasiūlykite savo žinias');
  expect(path(page)).toBe('/experts/join');
  await look(page, `${tag}-02-expert-join`);

  await page.getByLabel('Jūsų vardas ir pavardė').fill('Rūta Jonaitienė');
  await page.getByLabel('Jūsų el. pašto adresas').fill(email);
  // The Lithuanian preferred label of the taxonomy concept the museum will ask for in Polish ("projektowanie wystaw").
  const skill = page.getByLabel('Jūsų įgūdžiai', { exact: true });
  expect(await page.locator('#skill-suggestions option').evaluateAll((options) => options.map((option) => option.getAttribute('value')))).toContain('ekspozicijų dizainas');
  await skill.pressSequentially('ekspozicijų dizainas');
  for (const language of ['lietuvių', 'lenkų', 'anglų']) await page.getByLabel(language, { exact: true }).check();
  await page.getByLabel('Miestas ar gyvenvietė (neprivaloma)').fill('Klaipėda');
  await page.getByLabel('Šalis', { exact: true }).selectOption({ label: 'Lietuva' });
  await page.getByLabel('nuotoliu', { exact: true }).check();
  await page.getByLabel('vietoje', { exact: true }).check();
  expect(await page.getByLabel('Mūsų laiškų jums kalba').inputValue()).toBe('lt');
  await screenshot(page, `${tag}-03-expert-join-filled`);

  await press(page, 'Atsiųsti patvirtinimo nuorodą');
  expect(path(page)).toBe('/experts/join/sent');
  await look(page, `${tag}-04-expert-join-sent`);

  const [mail] = await app.sink.waitFor(1, mailTo(email));
  await page.goto(actionLink(mail!));
  expect(await heading(page)).toBe('Sukurti jūsų eksperto profilį?');
  await look(page, `${tag}-05-expert-join-confirm`);
  await press(page, 'Taip, sukurti mano profilį');
  expect(path(page)).toBe('/experts/home');
  await expect(page.getByRole('main').textContent()).resolves.toContain('Prisijungta kaip Rūta Jonaitienė');
  await look(page, `${tag}-06-expert-signed-in`);

  const created = await mongoose.connection.db!.collection('experts').findOne({ email });
  const expertId = String(created!._id);
  const stored = (await api(app.context.app).get(`/v1/experts/${expertId}`).set(admin()).expect(200)).body;
  expect(stored).toMatchObject({ name: 'Rūta Jonaitienė', skills: ['ekspozicijų dizainas'], location: { city: 'Klaipėda', country: 'LT' }, preferredLanguage: 'lt' });
  expect([...stored.languages].sort()).toEqual(['en', 'lt', 'pl']);
  expect([...stored.modes].sort()).toEqual(['online', 'onsite']);
  return expertId;
}

/** Anna files the museum's request through /request (from `/`) and confirms it from the mail; the request's id. */
async function museumFiles(page: Page, email: string, tag: string): Promise<string> {
  await page.goto('/');
  expect(await page.getAttribute('html', 'lang')).toBe('pl');
  await look(page, `${tag}-07-museum-home-page`);
  await follow(page, 'Poproś o konsultację');
  expect(path(page)).toBe('/request');
  await look(page, `${tag}-08-request-form`);

  await page.getByLabel('Nazwa organizacji').fill('Muzeum Zalewu Wiślanego');
  await page.getByLabel('Rodzaj organizacji').selectOption({ label: 'instytucja kultury' });
  await page.getByLabel('Kraj', { exact: true }).selectOption({ label: 'Polska' });
  await page.getByLabel('Imię i nazwisko').fill('Anna Kowalska');
  await page.getByLabel('Adres e-mail').fill(email);
  await page.getByLabel('Język naszych wiadomości do Państwa').selectOption('pl');
  await page.getByLabel('Tytuł zapytania').fill('Zwiedzający gubią się na piętrze');
  await page.getByLabel('Prosimy opisać sytuację').fill('Zwiedzający nie mogą znaleźć wejścia na drugie piętro wystawy i często pytają obsługę o drogę.');
  await page.getByLabel('Potrzebne umiejętności (opcjonalnie)', { exact: true }).pressSequentially('projektowanie wystaw');
  await page.getByLabel('polski', { exact: true }).check();
  await page.getByLabel('litewski', { exact: true }).check();
  await page.getByLabel('Miejscowość (opcjonalnie)').fill('Tolkmicko');
  await page.getByLabel('Kraj miejscowości').selectOption({ label: 'Polska' });
  await page.getByLabel('zdalnie', { exact: true }).check();
  await screenshot(page, `${tag}-09-request-form-filled`);

  await press(page, 'Wyślij zapytanie');
  expect(path(page)).toBe('/request/sent');
  await look(page, `${tag}-10-request-sent`);

  const [mail] = await app.sink.waitFor(1, mailTo(email));
  // The draft's id becomes the request's; the draft itself is gone once confirmed.
  const [draft] = await mongoose.connection.db!.collection('request_drafts').find({ 'input.contact.email': email }).toArray();
  const requestId = String(draft!._id);
  await page.goto(actionLink(mail!));
  expect(await heading(page)).toBe('Potwierdzić zapytanie?');
  await look(page, `${tag}-11-request-confirm`);
  await press(page, 'Tak, wyślij zapytanie');
  expect(await heading(page)).toBe('Zapytanie zostało wysłane');
  await look(page, `${tag}-12-request-confirmed`);

  await waitForStage(app.context.app, admin(), requestId, 'matched');
  expect(await requestOf(requestId)).toMatchObject({
    organization: { name: 'Muzeum Zalewu Wiślanego', type: 'cultural', country: 'PL' },
    contact: { email, language: 'pl' },
    skills: ['projektowanie wystaw'],
    languages: ['pl', 'lt'],
    mode: 'online',
  });
  return requestId;
}

/** The whole story in two browser contexts, with page scripts on or off in both. */
async function consultation(tag: string, javaScriptEnabled: boolean): Promise<void> {
  const expertEmail = `ruta.${stamp()}@studija.example.lt`;
  const museumEmail = `anna.${stamp()}@muzeum.example.pl`;
  const expertPage = await app.newPage({ locale: 'lt-LT', javaScriptEnabled });
  const museumPage = await app.newPage({ locale: 'pl-PL', javaScriptEnabled });

  const expertId = await expertJoins(expertPage, expertEmail, tag);
  const requestId = await museumFiles(museumPage, museumEmail, tag);

  await invite(app.context, admin(), requestId, expertId);
  const [invitationMail] = await app.sink.waitFor(1, mailTo(expertEmail, 'Kvietimas'));
  expect(invitationMail!.text).toContain('Zwiedzający gubią się na piętrze');

  // The expert accepts on their home page, then proposes two times (Europe/Vilnius, from the expert's country).
  await expertPage.goto('/experts/home');
  await expect(expertPage.getByRole('main').textContent()).resolves.toContain('Zwiedzający gubią się na piętrze');
  await look(expertPage, `${tag}-13-expert-invitation`);
  await press(expertPage, 'Priimti');
  await expect(expertPage.getByRole('status').textContent()).resolves.toContain('Priėmėte kvietimą');
  expect((await requestOf(requestId)).stage).toBe('accepted');
  await look(expertPage, `${tag}-14-expert-accepted`);

  const year = new Date().getUTCFullYear() + 1;
  await byId(expertPage, `${requestId}-slots-0-date`).fill(`${year}-07-15`);
  await byId(expertPage, `${requestId}-slots-0-time`).fill('10:00');
  await byId(expertPage, `${requestId}-slots-1-date`).fill(`${year}-07-16`);
  await byId(expertPage, `${requestId}-slots-1-time`).fill('14:30');
  await byId(expertPage, `${requestId}-meetingUrl`).fill('https://meet.example.lt/ruta');
  expect((await press(expertPage, 'Siųsti laikus')).status()).toBe(303);
  const proposal = (await requestOf(requestId)).proposal;
  // Vilnius keeps summer time (UTC+3) in July.
  expect(proposal.slots.map((slot: { startsAt: string }) => slot.startsAt)).toEqual([`${year}-07-15T07:00:00.000Z`, `${year}-07-16T11:30:00.000Z`]);
  await look(expertPage, `${tag}-15-expert-proposed`);

  // The museum opens its status page from the request-received mail and picks the second time.
  const [received] = await app.sink.waitFor(1, mailTo(museumEmail, 'Otrzymaliśmy'));
  const statusPage = [...received!.text!.matchAll(/http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]{43}/g)].map((match) => match[0]);
  expect(statusPage).toHaveLength(1);
  await museumPage.goto(statusPage[0]!);
  expect(await museumPage.getAttribute('html', 'lang')).toBe('pl');
  expect(await heading(museumPage)).toBe('Państwa zapytanie');
  await expect(museumPage.getByRole('main').textContent()).resolves.toContain('Rūta Jonaitienė');
  const slotButtons = museumPage.locator('form.slot button');
  expect(await slotButtons.count()).toBe(2);
  await look(museumPage, `${tag}-16-status-slots`);
  expect((await press(museumPage, (await slotButtons.nth(1).textContent())!.trim())).status()).toBe(303);
  await expect(museumPage.getByRole('status').textContent()).resolves.toContain('Termin wybrany');
  const scheduled = await requestOf(requestId);
  expect(scheduled.stage).toBe('scheduled');
  expect(new Date(scheduled.schedule.startsAt).toISOString()).toBe(proposal.slots[1].startsAt);
  await look(museumPage, `${tag}-17-status-scheduled`);

  // The expert starts and completes with a summary.
  await expertPage.goto('/experts/home');
  await expect(expertPage.locator(`[id="consultation-${requestId}"] table`).textContent()).resolves.toContain('14:30 (Europe/Vilnius)');
  await look(expertPage, `${tag}-18-expert-scheduled`);
  await press(expertPage, 'Pradėti konsultaciją');
  expect((await requestOf(requestId)).stage).toBe('in_progress');
  await look(expertPage, `${tag}-19-expert-in-progress`);
  await expertPage.getByLabel('Konsultacijos santrauka').fill('Aptarėme ženklinimą ir naują lankymo maršrutą antrame aukšte.');
  await press(expertPage, 'Pažymėti kaip baigtą');
  await expect(expertPage.getByRole('status').textContent()).resolves.toContain('Konsultacija pažymėta kaip baigta');
  expect(await requestOf(requestId)).toMatchObject({ stage: 'completed', summary: 'Aptarėme ženklinimą ir naują lankymo maršrutą antrame aukšte.' });
  await look(expertPage, `${tag}-20-expert-completed`);

  // The museum rates on its status page.
  await museumPage.goto(statusPage[0]!);
  expect(await museumPage.locator('.timeline [aria-current="step"] .stage').textContent()).toBe('Konsultacja zakończona');
  await look(museumPage, `${tag}-21-status-completed`);
  await museumPage.getByLabel('5 – znakomicie').check();
  await museumPage.getByLabel('Komentarz (opcjonalnie)').fill('Dziękujemy, oznakowanie już drukujemy.');
  expect((await press(museumPage, 'Wyślij ocenę')).status()).toBe(303);
  await expect(museumPage.getByRole('status').textContent()).resolves.toContain('ocena została zapisana');
  await look(museumPage, `${tag}-22-status-closed`);
  expect(await requestOf(requestId)).toMatchObject({ stage: 'closed', acceptedExpertId: expertId, feedback: { rating: 5, comment: 'Dziękujemy, oznakowanie już drukujemy.' } });
}

describe('issue 11: a Polish museum and a Lithuanian expert, from the form to the rating, in a real browser', () => {
  it('goes through every hosted page with JavaScript', async () => {
    await consultation('js', true);
  });

  it('goes through the same pages with JavaScript disabled in both browsers', async () => {
    await consultation('no-js', false);
  });
});
