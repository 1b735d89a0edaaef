import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Page } from 'playwright-core';
import { api } from '../helpers/contract';
import { expectAccessible, screenshot, useMailedBrowserApp } from '../helpers/browser';
import { bearer, createExpert, createKey, invite, submitRequest, waitForStage } from '../helpers/scenario';

const app = useMailedBrowserApp();
jest.setTimeout(90_000);

const admin = () => bearer(app.context.adminKey);
const stamp = () => randomBytes(4).toString('hex');
const to = (address: string) => (mail: ParsedMail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address;
const requestOf = async (requestId: string) => (await api(app.context.app).get(`/v1/requests/${requestId}`).set(admin()).expect(200)).body;
/** A form field by its id (request ids start with a digit, which a CSS `#id` selector cannot). */
const byId = (page: Page, id: string) => page.locator(`[id="${id}"]`);

/** Presses the button named `name` (the first, or the one in `scope`) and waits for the page the POST leads to. */
async function press(page: Page, name: string, scope = page.locator('main')) {
  const [response] = await Promise.all([page.waitForResponse((answer) => answer.request().method() === 'POST'), scope.getByRole('button', { name }).first().click()]);
  await page.waitForLoadState();
  return response;
}

/** Axe and a screenshot of the page as it is: every page the flow shows is checked. */
async function look(page: Page, name: string) {
  await screenshot(page, name);
  await expectAccessible(page);
}

describe("a Lithuanian expert's home page", () => {
  it('signs in, accepts an invitation, proposes two slots (refused first with errors beside the fields), starts and completes the consultation', async () => {
    const email = `ruta.${stamp()}@studija.example.lt`;
    const expert = await createExpert(app.context.app, admin(), { name: 'Rūta Petrauskienė', email, languages: ['lt', 'pl', 'en'], preferredLanguage: 'lt', timeZone: 'Europe/Vilnius' });
    const owner = await createKey(app.context.app, admin(), { role: 'requester' });
    const requestId = await submitRequest(app.context.app, owner, { title: 'Nowa trasa zwiedzania', mode: 'online' });
    await waitForStage(app.context.app, owner, requestId, 'matched');
    await invite(app.context, owner, requestId, expert.id);
    await app.sink.waitFor(1, to(email));

    const page = await app.newPage({ locale: 'lt-LT' });
    await page.goto('/experts/login');
    await look(page, 'login-lt');
    await page.getByLabel('El. pašto adresas').fill(email);
    await press(page, 'Siųsti man prisijungimo nuorodą');
    await look(page, 'login-sent-lt');
    const mails = await app.sink.waitFor(2, to(email));
    const link = /http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]{43}/.exec(mails[1]!.text!)![0];
    await page.goto(link);
    await look(page, 'sign-in-link-lt');
    await press(page, 'Prisijungti');
    expect(new URL(page.url()).pathname).toBe('/experts/home');
    expect(await page.getAttribute('html', 'lang')).toBe('lt');
    await look(page, 'home-invitation-lt');

    await press(page, 'Priimti');
    expect(new URL(page.url()).search).toBe('?done=accepted');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Priėmėte kvietimą');
    expect(await byId(page, `${requestId}-timeZone`).inputValue()).toBe('Europe/Vilnius');
    await look(page, 'home-accepted-lt');

    // Two overlapping times and neither a place nor a link: refused, each problem beside its field.
    const year = new Date().getUTCFullYear() + 1;
    await byId(page, `${requestId}-slots-0-date`).fill(`${year}-07-15`);
    await byId(page, `${requestId}-slots-0-time`).fill('10:00');
    await byId(page, `${requestId}-slots-1-date`).fill(`${year}-07-15`);
    await byId(page, `${requestId}-slots-1-time`).fill('10:30');
    const refused = await press(page, 'Siųsti laikus');
    expect(refused.status()).toBe(400);
    expect(await byId(page, `${requestId}-slots-1-date-error`).textContent()).toBe('Šis laikas persidengia su kitu jūsų pasiūlytu laiku.');
    expect(await byId(page, `${requestId}-location-error`).textContent()).toBe('Nurodykite arba vietą, arba susitikimo nuorodą (vieną iš dviejų).');
    expect(await page.locator('.error-summary a').count()).toBe(2);
    expect(await byId(page, `${requestId}-slots-1-time`).inputValue()).toBe('10:30');
    expect((await requestOf(requestId)).proposal).toBeUndefined();
    await look(page, 'home-propose-errors-lt');

    await byId(page, `${requestId}-slots-1-date`).fill(`${year}-07-16`);
    await byId(page, `${requestId}-slots-1-time`).fill('14:30');
    await byId(page, `${requestId}-slots-1-durationMinutes`).fill('90');
    await byId(page, `${requestId}-meetingUrl`).fill('https://meet.example.lt/ruta');
    const proposed = await press(page, 'Siųsti laikus');
    expect(proposed.status()).toBe(303);
    const proposal = (await requestOf(requestId)).proposal;
    // Vilnius keeps summer time (UTC+3) in July.
    expect(proposal.slots.map((slot: { startsAt: string }) => slot.startsAt)).toEqual([`${year}-07-15T07:00:00.000Z`, `${year}-07-16T11:30:00.000Z`]);
    expect(await page.locator('.proposed-slots li').count()).toBe(2);
    await look(page, 'home-proposed-lt');
    await page.setViewportSize({ width: 360, height: 740 });
    await look(page, 'home-proposed-lt-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    // The organisation picks the second time (through the API here; its own page is tested in status-page.test.ts).
    await api(app.context.app).post(`/v1/requests/${requestId}/proposals/${proposal.slots[1].id}/pick`).set(owner).expect(200);
    await page.goto('/experts/home');
    await expect(page.locator(`[id="consultation-${requestId}"] table`).textContent()).resolves.toContain('14:30 (Europe/Vilnius), 90 min.');
    await look(page, 'home-scheduled-lt');

    await press(page, 'Pradėti konsultaciją');
    expect((await requestOf(requestId)).stage).toBe('in_progress');
    await look(page, 'home-in-progress-lt');

    const empty = await press(page, 'Pažymėti kaip baigtą');
    expect(empty.status()).toBe(400);
    expect(await byId(page, `${requestId}-summary-error`).textContent()).toBe('Užpildykite šį laukelį.');
    await look(page, 'home-complete-error-lt');
    await page.getByLabel('Konsultacijos santrauka').fill('Aptarėme naują lankymo maršrutą ir stendų tekstus.');
    await press(page, 'Pažymėti kaip baigtą');
    await expect(page.getByRole('status').textContent()).resolves.toContain('Konsultacija pažymėta kaip baigta');
    const completed = await requestOf(requestId);
    expect([completed.stage, completed.summary]).toEqual(['completed', 'Aptarėme naują lankymo maršrutą ir stendų tekstus.']);
    await look(page, 'home-completed-lt');
  });

  it('shows the invitation page of the mail’s Accept link with the request and why the expert was matched', async () => {
    const email = `jonas.${stamp()}@example.lt`;
    const expert = await createExpert(app.context.app, admin(), { name: 'Jonas Kazlauskas', email, languages: ['lt', 'pl', 'en'], preferredLanguage: 'lt' });
    const owner = await createKey(app.context.app, admin(), { role: 'requester' });
    const requestId = await submitRequest(app.context.app, owner);
    await waitForStage(app.context.app, owner, requestId, 'matched');
    await invite(app.context, owner, requestId, expert.id);
    const [mail] = await app.sink.waitFor(1, to(email));
    const page = await app.newPage();
    for (const link of new Set(mail!.text!.match(/http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]{43}/g))) {
      await page.goto(link);
      const title = (await page.getByRole('heading', { level: 1 }).textContent())!;
      expect(await page.getByRole('heading', { name: 'Kodėl jūs' }).count()).toBe(1);
      expect(await page.locator('main ul li').count()).toBeGreaterThan(0);
      await look(page, title.startsWith('Priimti') ? 'invitation-accept-lt' : 'invitation-decline-lt');
    }
  });
});
