import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import mongoose from 'mongoose';
import type { Page } from 'playwright-core';
import { api } from '../helpers/contract';
import { expectAccessible, screenshot, useMailedBrowserApp } from '../helpers/browser';
import { bearer } from '../helpers/scenario';

// Each test walks through several pages, each audited by axe: a few minutes leave room on a busy machine.
jest.setTimeout(180_000);
const app = useMailedBrowserApp();

const experts = () => mongoose.connection.db!.collection('experts');
const mailTo = (address: string) => (mail: ParsedMail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address;
const uniqueEmail = () => `ruta.${randomBytes(4).toString('hex')}@example.lt`;
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** Clicks the button (or link) `name` and waits for the page it leads to. */
async function go(page: Page, role: 'button' | 'link', name: string): Promise<void> {
  await Promise.all([page.waitForNavigation(), page.getByRole(role, { name, exact: true }).click()]);
}

/** A screenshot and an axe audit of the page as it is now. */
async function look(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await expectAccessible(page);
}

/** Fills the Lithuanian sign-up by its labels, as a person would; the skill picked from the datalist's suggestions. */
async function fillLithuanianForm(page: Page, email: string): Promise<string> {
  await page.getByLabel('Jūsų vardas ir pavardė').fill('Rūta Jonaitienė');
  await page.getByLabel('Jūsų el. pašto adresas').fill(email);
  const skill = page.getByLabel('Jūsų įgūdžiai', { exact: true });
  await expect(skill.getAttribute('list')).resolves.toBe('skill-suggestions');
  const suggestions = await page.locator('#skill-suggestions option').evaluateAll((options) => options.map((option) => option.getAttribute('value') ?? ''));
  const suggested = suggestions.find((value) => value.length > 3)!;
  await skill.pressSequentially(suggested);
  await page.getByLabel('Jūsų įgūdžiai 2').fill('parodų scenarijai');
  await page.getByLabel('lietuvių', { exact: true }).check();
  await page.getByLabel('anglų', { exact: true }).check();
  await page.getByLabel('Miestas ar gyvenvietė (neprivaloma)').fill('Klaipėda');
  await page.getByLabel('Šalis', { exact: true }).selectOption({ label: 'Lietuva' });
  await page.getByLabel('nuotoliu', { exact: true }).uncheck();
  await page.getByLabel('vietoje', { exact: true }).check();
  await page.getByLabel('Konsultacijų vienu metu').fill('2');
  return suggested;
}

/**
 * From `/` to a signed-in expert, as issue 11 asks: the home page, the sign-up form, the check-your-mail page, the
 * confirmation mail, its link's page and its button, the expert's home; axe and a screenshot on every page.
 */
async function joinFromHomePage(page: Page, tag: string): Promise<{ email: string; skill: string }> {
  const email = uniqueEmail();
  await page.goto('/');
  expect(await page.getAttribute('html', 'lang')).toBe('lt');
  await go(page, 'link', 'Pasiūlykite savo žinias');
  expect(new URL(page.url()).pathname).toBe('/experts/join');
  await look(page, `join-${tag}`);
  const skill = await fillLithuanianForm(page, email);
  await screenshot(page, `join-filled-${tag}`);

  await go(page, 'button', 'Atsiųsti patvirtinimo nuorodą');
  expect(new URL(page.url()).pathname).toBe('/experts/join/sent');
  expect(await heading(page)).toBe('Patikrinkite el. paštą');
  await look(page, `join-sent-${tag}`);
  expect(await experts().countDocuments({ email })).toBe(0);

  const [mail] = await app.sink.waitFor(1, mailTo(email));
  await page.goto(/http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]{43}/.exec(mail!.text!)![0]);
  expect(await heading(page)).toBe('Sukurti jūsų eksperto profilį?');
  await look(page, `join-confirm-${tag}`);

  await go(page, 'button', 'Taip, sukurti mano profilį');
  expect(new URL(page.url()).pathname).toBe('/experts/home');
  await expect(page.getByRole('main').textContent()).resolves.toContain('Prisijungta kaip Rūta Jonaitienė');
  await look(page, `home-${tag}`);
  return { email, skill };
}

describe('a Lithuanian expert signing up from the home page', () => {
  it('fills the form by its labels, confirms through the mailed link, and lands signed in on their page', async () => {
    const page = await app.newPage({ locale: 'lt-LT' });
    const { email, skill } = await joinFromHomePage(page, 'lt');
    const created = await experts().findOne({ email });
    const stored = (await api(app.context.app).get(`/v1/experts/${String(created!._id)}`).set(bearer(app.context.adminKey)).expect(200)).body;
    expect(stored).toMatchObject({ name: 'Rūta Jonaitienė', skills: [skill, 'parodų scenarijai'], languages: ['lt', 'en'], location: { city: 'Klaipėda', country: 'LT' }, modes: ['onsite'], capacity: 2, preferredLanguage: 'lt' });
  });

  it('does the same with JavaScript disabled: the forms are plain HTML', async () => {
    await joinFromHomePage(await app.newPage({ locale: 'lt-LT', javaScriptEnabled: false }), 'lt-no-js');
  });
});

describe('the expert’s own profile', () => {
  it('is edited with errors beside the fields, paused, downloaded and erased after a confirmation step', async () => {
    const page = await app.newPage({ locale: 'lt-LT', acceptDownloads: true });
    const { email } = await joinFromHomePage(page, 'profile');
    const expertId = String((await experts().findOne({ email }))!._id);
    const admin = bearer(app.context.adminKey);

    await go(page, 'link', 'Jūsų profilis');
    expect(new URL(page.url()).pathname).toBe('/experts/profile');
    expect(await page.getByLabel('Laiko juosta').inputValue()).toBe('Europe/Vilnius');
    await look(page, 'profile');

    // A mistake: the name emptied. The summary links to the field; the message is beside it; nothing is saved.
    await page.getByLabel('Jūsų vardas ir pavardė').fill('');
    await page.getByLabel('Konsultacijų vienu metu').fill('4');
    await go(page, 'button', 'Išsaugoti profilį');
    const summary = page.locator('#error-summary');
    await expect(summary.getByRole('link').first().getAttribute('href')).resolves.toBe('#name');
    await expect(page.locator('#name-error').textContent()).resolves.toBe('Užpildykite šį laukelį.');
    await expect(page.getByLabel('Konsultacijų vienu metu').inputValue()).resolves.toBe('4');
    await look(page, 'profile-errors');
    expect((await api(app.context.app).get(`/v1/experts/${expertId}`).set(admin).expect(200)).body.capacity).toBe(2);

    await page.getByLabel('Jūsų vardas ir pavardė').fill('Rūta Jonaitienė');
    await page.getByLabel('Pristabdyti mano profilį').check();
    await go(page, 'button', 'Išsaugoti profilį');
    await expect(page.locator('.flash').textContent()).resolves.toBe('Jūsų profilis išsaugotas.');
    await look(page, 'profile-saved');
    expect((await api(app.context.app).get(`/v1/experts/${expertId}`).set(admin).expect(200)).body).toMatchObject({ capacity: 4, status: 'paused' });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Atsisiųsti mano duomenis (JSON)' }).click()]);
    expect(download.suggestedFilename()).toBe(`expert-${expertId}.json`);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8'));
    expect(exported.profile).toMatchObject({ id: expertId, email, capacity: 4, status: 'paused' });

    await go(page, 'link', 'Ištrinti mano profilį');
    expect(await heading(page)).toBe('Ištrinti jūsų profilį?');
    await look(page, 'erase-confirm');
    await go(page, 'button', 'Taip, ištrinti mano profilį');
    expect(new URL(page.url()).pathname).toBe('/experts/goodbye');
    expect(await heading(page)).toBe('Jūsų profilis ištrintas');
    await look(page, 'goodbye');
    await api(app.context.app).get(`/v1/experts/${expertId}`).set(admin).expect(404);
    expect(await page.context().cookies()).not.toContainEqual(expect.objectContaining({ name: 'expert_session' }));
  });
});
