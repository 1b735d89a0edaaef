import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { api } from '../helpers/contract';
import { expectAccessible, screenshot, useMailedBrowserApp } from '../helpers/browser';
import { bearer, waitForStage } from '../helpers/scenario';

// Each test walks through several pages, each audited by axe: a minute leaves room on a busy machine.
jest.setTimeout(90_000);
const app = useMailedBrowserApp();

const drafts = () => mongoose.connection.db!.collection('request_drafts');
const mailTo = (address: string) => (mail: ParsedMail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address;
const uniqueEmail = () => `anna.${randomBytes(4).toString('hex')}@muzeum.example.pl`;
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** A Polish museum's need, as its contact would type it. */
const MUSEUM = {
  organization: 'Muzeum Zalewu Wiślanego',
  contact: 'Anna Kowalska',
  title: 'Zwiedzający gubią się na piętrze',
  description: 'Zwiedzający nie mogą znaleźć wejścia na drugie piętro wystawy i często pytają obsługę o drogę.',
  // The Polish preferred label of the taxonomy's exhibition-design concept, as the form's datalist offers it.
  skill: 'projektowanie wystaw',
};

/** Clicks the submit button (or the page's one button) and waits for the page the POST leads to. */
async function submit(page: Page, name: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()]);
}

/** Fills the Polish form by its labels, as a person would, with `email` as the contact's address. */
async function fillPolishForm(page: Page, email: string): Promise<void> {
  await page.getByLabel('Nazwa organizacji').fill(MUSEUM.organization);
  await page.getByLabel('Rodzaj organizacji').selectOption({ label: 'instytucja kultury' });
  await page.getByLabel('Kraj', { exact: true }).selectOption({ label: 'Polska' });
  await page.getByLabel('Imię i nazwisko').fill(MUSEUM.contact);
  await page.getByLabel('Adres e-mail').fill(email);
  await page.getByLabel('Tytuł zapytania').fill(MUSEUM.title);
  await page.getByLabel('Prosimy opisać sytuację').fill(MUSEUM.description);
  const skill = page.getByLabel('Potrzebne umiejętności (opcjonalnie)', { exact: true });
  await expect(skill.getAttribute('list')).resolves.toBe('skill-suggestions');
  expect(await page.locator('#skill-suggestions option').evaluateAll((options) => options.map((option) => option.getAttribute('value')))).toContain(MUSEUM.skill);
  await skill.pressSequentially(MUSEUM.skill);
  await page.getByLabel('polski', { exact: true }).check();
  await page.getByLabel('angielski', { exact: true }).check();
  await page.getByLabel('Miejscowość (opcjonalnie)').fill('Tolkmicko');
  await page.getByLabel('Kraj miejscowości').selectOption({ label: 'Polska' });
  await page.getByLabel('na miejscu', { exact: true }).check();
}

/**
 * From `/` to the filed request, as issue 11 asks: the home page, the form, the check-your-mail page, the confirmation
 * mail, its link's page and its button; axe and a screenshot on every page. `tag` names the screenshots.
 */
async function requestFromHomePage(page: Page, tag: string): Promise<void> {
  const email = uniqueEmail();
  await page.goto('/');
  expect(await page.getAttribute('html', 'lang')).toBe('pl');
  await screenshot(page, `home-${tag}`);
  await expectAccessible(page);

  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Poproś o konsultację' }).click()]);
  expect(new URL(page.url()).pathname).toBe('/request');
  expect(await heading(page)).toBe('Zapytanie o konsultację');
  await expectAccessible(page);
  await fillPolishForm(page, email);
  await screenshot(page, `form-filled-${tag}`);

  await submit(page, 'Wyślij zapytanie');
  expect(new URL(page.url()).pathname).toBe('/request/sent');
  expect(await heading(page)).toBe('Prosimy sprawdzić skrzynkę e-mail');
  await screenshot(page, `sent-${tag}`);
  await expectAccessible(page);

  const [mail] = await app.sink.waitFor(1, mailTo(email));
  const link = /http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]{43}/.exec(mail!.text!)![0];
  const [draft] = await drafts().find({ 'input.contact.email': email }).toArray();
  const requestId = String(draft!._id);
  const admin = bearer(app.context.adminKey);

  await page.goto(link);
  expect(await heading(page)).toBe('Potwierdzić zapytanie?');
  await expect(page.getByRole('main').textContent()).resolves.toContain(MUSEUM.title);
  await screenshot(page, `confirm-${tag}`);
  await expectAccessible(page);
  await api(app.context.app).get(`/v1/requests/${requestId}`).set(admin).expect(404);

  await submit(page, 'Tak, wyślij zapytanie');
  expect(await heading(page)).toBe('Zapytanie zostało wysłane');
  await screenshot(page, `confirmed-${tag}`);
  await expectAccessible(page);

  // No expert lives in this file's database, so matching, once it has run, finds nobody.
  await waitForStage(app.context.app, admin, requestId, 'unmatched');
  const filed = (await api(app.context.app).get(`/v1/requests/${requestId}`).set(admin).expect(200)).body;
  expect(filed).toMatchObject({
    stage: 'unmatched',
    title: MUSEUM.title,
    organization: { name: MUSEUM.organization, type: 'cultural', country: 'PL' },
    contact: { name: MUSEUM.contact, email, language: 'pl' },
    skills: [MUSEUM.skill],
    languages: ['pl', 'en'],
    mode: 'onsite',
  });
}

describe('a Polish organisation asking for a consultation from the home page', () => {
  it('fills the form by its labels, confirms through the mailed link, and the request is filed', async () => {
    await requestFromHomePage(await app.newPage({ locale: 'pl-PL' }), 'pl');
  });

  it('does the same with JavaScript disabled: the form is plain HTML', async () => {
    await requestFromHomePage(await app.newPage({ locale: 'pl-PL', javaScriptEnabled: false }), 'pl-no-js');
  });
});

describe('a form sent with mistakes', () => {
  it('comes back with a summary whose links focus the fields, each message beside its field in Polish, the input kept, nothing stored', async () => {
    const page = await app.newPage({ locale: 'pl-PL' });
    const email = uniqueEmail();
    const longTitle = 'Wystawa '.repeat(1250);
    const before = await drafts().countDocuments();
    await page.goto('/request');
    await page.getByLabel('Imię i nazwisko').fill(MUSEUM.contact);
    await page.getByLabel('Adres e-mail').fill(email);
    // The field's maxlength stops typing at 200 characters; a script or an old browser can send more.
    await page.locator('#title').evaluate((input, value) => {
      (input as unknown as { value: string }).value = value;
    }, longTitle);
    await submit(page, 'Wyślij zapytanie');

    const summary = page.locator('#error-summary');
    await expect(summary.getByRole('heading').textContent()).resolves.toBe('Jest 8 błędów do poprawienia');
    expect(await summary.getByRole('link').count()).toBe(8);
    const beside = (id: string) => page.locator(`#${id}-error`).textContent();
    await expect(beside('organization-name')).resolves.toBe('Prosimy wypełnić to pole.');
    await expect(beside('organization-country')).resolves.toBe('Prosimy wybrać jedną z opcji.');
    await expect(beside('title')).resolves.toBe('Maksymalna długość: 200 znaków.');
    await expect(beside('location-country')).resolves.toBe('Prosimy wybrać jedną z opcji.');
    await expect(beside('languages')).resolves.toBe('Prosimy wybrać co najmniej jedną opcję.');
    await expect(beside('mode')).resolves.toBe('Prosimy wybrać jedną z opcji.');
    expect(await page.getByLabel('Tytuł zapytania').getAttribute('aria-describedby')).toBe('title-error');
    expect(await page.getByLabel('Tytuł zapytania').inputValue()).toBe(longTitle);
    expect(await page.getByLabel('Adres e-mail').inputValue()).toBe(email);
    expect(await page.getByLabel('Imię i nazwisko').inputValue()).toBe(MUSEUM.contact);
    await screenshot(page, 'errors-pl');
    await expectAccessible(page);

    for (const id of ['organization-name', 'title']) {
      await summary.locator(`a[href="#${id}"]`).click();
      // The element that has focus (document.activeElement).
      expect(await page.locator(':focus').getAttribute('id')).toBe(id);
    }

    expect(await drafts().countDocuments()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(app.sink.mails.filter(mailTo(email))).toHaveLength(0);
  });
});

describe('the language switcher', () => {
  it('shows the form again in Lithuanian, on the same page, with <html lang> following', async () => {
    const page = await app.newPage({ locale: 'pl-PL' });
    await page.goto('/request');
    expect(await page.getAttribute('html', 'lang')).toBe('pl');
    await Promise.all([page.waitForNavigation(), page.getByRole('navigation', { name: 'Język' }).getByRole('link', { name: 'lietuvių' }).click()]);
    expect(new URL(page.url()).pathname).toBe('/request');
    expect(await page.getAttribute('html', 'lang')).toBe('lt');
    expect(await heading(page)).toBe('Konsultacijos prašymas');
    await expect(page.getByLabel('Organizacijos pavadinimas').count()).resolves.toBe(1);
    await expect(page.getByLabel('Jūsų el. pašto adresas').count()).resolves.toBe(1);
    await screenshot(page, 'form-lt');
    await expectAccessible(page);

    // The choice is remembered: the home page now opens in Lithuanian for this Polish browser.
    await page.goto('/');
    expect(await page.getAttribute('html', 'lang')).toBe('lt');
  });
});
