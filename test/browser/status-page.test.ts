import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Page } from 'playwright-core';
import { api } from '../helpers/contract';
import { expectAccessible, screenshot, useMailedBrowserApp } from '../helpers/browser';
import { bearer, createExpert, createKey, invite, submitRequest, waitForStage } from '../helpers/scenario';

const app = useMailedBrowserApp();

const admin = () => bearer(app.context.adminKey);
const stamp = () => randomBytes(4).toString('hex');
const mailTo = (address: string, subject: string) => (mail: ParsedMail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address && mail.subject!.startsWith(subject);
const requestOf = async (requestId: string) => (await api(app.context.app).get(`/v1/requests/${requestId}`).set(admin()).expect(200)).body;
const heading = (page: Page) => page.getByRole('heading', { level: 1 }).textContent();

/** Presses the button named `name` and waits for the page the POST's redirect leads to. */
async function press(page: Page, name: string) {
  const [response] = await Promise.all([page.waitForResponse((answer) => answer.request().method() === 'POST'), page.getByRole('button', { name }).click()]);
  await page.waitForLoadState();
  return response;
}

/**
 * A Polish museum (contact language pl) with a request a Lithuanian expert accepted through the API, and the status
 * page link of the request-received mail the SMTP sink got (an absolute URL to this test's app).
 */
async function acceptedPolishRequest() {
  const expertEmail = `ruta.${stamp()}@studija.example.lt`;
  const expert = await createExpert(app.context.app, admin(), {
    name: 'Rūta Petrauskienė',
    email: expertEmail,
    headline: 'Parodų dizainerė',
    languages: ['lt', 'pl', 'en'],
    preferredLanguage: 'lt',
    location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
    modes: ['online'],
  });
  const address = `ewa.${stamp()}@muzeum.example.pl`;
  const requester = await createKey(app.context.app, admin(), { role: 'requester' });
  const requestId = await submitRequest(app.context.app, requester, {
    organization: { name: 'Muzeum Rybołówstwa w Tolkmicku', type: 'cultural', country: 'PL' },
    title: 'Nowa trasa zwiedzania',
    languages: ['pl'],
    location: { country: 'PL', city: 'Tolkmicko', lat: 54.32, lon: 19.53 },
    mode: 'online',
    contact: { name: 'Ewa Zielińska', email: address, language: 'pl' },
  });
  await waitForStage(app.context.app, requester, requestId, 'matched');
  const [mail] = await app.sink.waitFor(1, mailTo(address, 'Otrzymaliśmy'));
  const links = [...mail!.text!.matchAll(/http:\/\/127\.0\.0\.1:\d+\/r\/[A-Za-z0-9_-]{43}/g)].map((match) => match[0]);
  expect(links).toHaveLength(1);
  const invitation = await invite(app.context, requester, requestId, expert.id);
  await api(app.context.app).post(`/v1/invitations/${invitation.id}/accept`).set(expert.auth).expect(200);
  return { requestId, expert, statusPage: links[0]! };
}

describe('the status page of a Polish organisation', () => {
  it('shows the request, picks a slot with one button, and after completion takes the rating', async () => {
    const { requestId, expert, statusPage } = await acceptedPolishRequest();
    const page = await app.newPage({ locale: 'en-GB' });

    // The contact's language, not the browser's: the page is theirs.
    const opened = await page.goto(statusPage);
    expect(opened!.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('pl');
    expect(await heading(page)).toBe('Państwa zapytanie');
    await expect(page.getByRole('main').textContent()).resolves.toContain('Rūta Petrauskienė');
    expect(await page.locator('.timeline li').count()).toBe(4);
    expect(await page.locator('.timeline [aria-current="step"] .stage').textContent()).toBe('Ekspert przyjął zapytanie');
    await screenshot(page, 'status-accepted-pl');
    await expectAccessible(page);

    const startsAt = new Date(Date.now() + 20 * 86_400_000);
    startsAt.setUTCHours(8, 0, 0, 0);
    const later = new Date(startsAt.getTime() + 86_400_000);
    await api(app.context.app)
      .post(`/v1/requests/${requestId}/proposals`)
      .set(expert.auth)
      .send({ slots: [{ startsAt: startsAt.toISOString() }, { startsAt: later.toISOString(), durationMinutes: 90 }], timeZone: 'Europe/Vilnius', meetingUrl: 'https://meet.example.org/tolkmicko' })
      .expect(200);
    await page.reload();
    const slotButtons = page.locator('form.slot button');
    expect(await slotButtons.count()).toBe(2);
    await screenshot(page, 'status-slots-pl');
    await expectAccessible(page);
    await page.setViewportSize({ width: 360, height: 740 });
    await screenshot(page, 'status-slots-pl-phone');
    await expectAccessible(page);
    await page.setViewportSize({ width: 1280, height: 800 });

    const second = (await slotButtons.nth(1).textContent())!;
    const picked = await press(page, second);
    expect(picked.status()).toBe(303);
    expect(page.url()).toBe(`${statusPage}?done=picked`);
    await expect(page.getByRole('status').textContent()).resolves.toContain('Termin wybrany');
    const scheduled = await requestOf(requestId);
    expect(scheduled.stage).toBe('scheduled');
    expect(new Date(scheduled.schedule.startsAt).toISOString()).toBe(later.toISOString());
    expect(await page.getByRole('link', { name: 'Pobierz plik kalendarza (.ics)' }).count()).toBe(1);
    expect(await page.locator('form.slot').count()).toBe(0);
    await screenshot(page, 'status-scheduled-pl');
    await expectAccessible(page);

    await api(app.context.app).post(`/v1/requests/${requestId}/start`).set(expert.auth).expect(200);
    await api(app.context.app).post(`/v1/requests/${requestId}/complete`).set(expert.auth).send({ summary: 'Omówiłyśmy nową trasę.' }).expect(200);
    await page.goto(statusPage);
    expect(await page.locator('.timeline [aria-current="step"] .stage').textContent()).toBe('Konsultacja zakończona');

    // Sent without a rating: the error stands beside the choice, in Polish, and nothing changes.
    await page.getByLabel('Komentarz (opcjonalnie)').fill('Bardzo pomocna rozmowa, dziękujemy!');
    const refused = await press(page, 'Wyślij ocenę');
    expect(refused.status()).toBe(400);
    expect(await page.locator('#rating-error').textContent()).toBe('Prosimy wybrać jedną z opcji.');
    expect(await page.getByLabel('Komentarz (opcjonalnie)').inputValue()).toBe('Bardzo pomocna rozmowa, dziękujemy!');
    await screenshot(page, 'status-feedback-error-pl');
    await expectAccessible(page);
    expect((await requestOf(requestId)).stage).toBe('completed');

    await page.getByLabel('5 – znakomicie').check();
    await screenshot(page, 'status-feedback-pl');
    const rated = await press(page, 'Wyślij ocenę');
    expect(rated.status()).toBe(303);
    await expect(page.getByRole('status').textContent()).resolves.toContain('ocena została zapisana');
    expect(await page.locator('input[name="rating"]').count()).toBe(0);
    await screenshot(page, 'status-closed-pl');
    await expectAccessible(page);
    expect(await requestOf(requestId)).toMatchObject({ stage: 'closed', feedback: { rating: 5, comment: 'Bardzo pomocna rozmowa, dziękujemy!' } });
  });

  it('cancels after the confirmation step, without JavaScript', async () => {
    const { requestId, statusPage } = await acceptedPolishRequest();
    const page = await app.newPage({ javaScriptEnabled: false });
    await page.goto(statusPage);
    await page.getByRole('link', { name: 'Anuluj zapytanie…' }).click();
    expect(await heading(page)).toBe('Anulować zapytanie?');
    await screenshot(page, 'status-cancel-pl');
    await expectAccessible(page);
    expect((await requestOf(requestId)).stage).toBe('accepted');

    await page.getByLabel('Powód anulowania').fill('Zmiana planów wystawy.');
    const cancelled = await press(page, 'Tak, anuluj zapytanie');
    expect(cancelled.status()).toBe(303);
    expect(await page.locator('.timeline [aria-current="step"] .stage').textContent()).toBe('Anulowane');
    await screenshot(page, 'status-cancelled-pl');
    await expectAccessible(page);
    expect(await requestOf(requestId)).toMatchObject({ stage: 'cancelled', cancellationReason: 'Zmiana planów wystawy.' });
  });

  it('shows a 404 page in the browser language for a token nobody issued', async () => {
    const page = await app.newPage({ locale: 'sv-SE' });
    const response = await page.goto(`/r/${randomBytes(32).toString('base64url')}`);
    expect(response!.status()).toBe(404);
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    expect(await heading(page)).toBe('Sidan kan inte öppnas');
    await screenshot(page, 'status-unknown-sv');
    await expectAccessible(page);
  });
});
