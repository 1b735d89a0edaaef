import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ParsedMail } from 'mailparser';
import mongoose from 'mongoose';
import type { Frame, FrameLocator, Page } from 'playwright-core';
import { api } from '../helpers/contract';
import { expectAccessible, screenshot, useMailedBrowserApp } from '../helpers/browser';
import { createKey, type TestKey } from '../helpers/keys';

jest.setTimeout(90_000);
const app = useMailedBrowserApp();

/** A partner's site: a real HTTP server on its own port (so its own origin) serving one page with the iframe. */
interface PartnerSite {
  origin: string;
  /** The page's HTML is written when asked for, so the test may set the iframe's address after the app started. */
  page: { html: string };
  server: Server;
}
const sites: PartnerSite[] = [];
async function partnerSite(): Promise<PartnerSite> {
  const page = { html: '' };
  const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page.html));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const site = { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, page, server };
  sites.push(site);
  return site;
}
afterAll(async () => {
  await Promise.all(sites.map((site) => new Promise((resolve) => site.server.close(resolve))));
});

/** The partner's page: a heading of its own and the service's form in an iframe (the README's snippet). */
const parentPage = (src: string, iframeAttributes = '') => `<!doctype html>
<html lang="pl"><head><meta charset="utf-8"><title>Muzeum Zalewu Wiślanego</title></head>
<body><main><h1>Muzeum Zalewu Wiślanego: konsultacje</h1>
<iframe src="${src}" title="Formularz zapytania o konsultację" width="760" height="2600" style="border:0"${iframeAttributes}></iframe>
</main></body></html>`;

/** Tall enough for the whole partner page: a full-page screenshot paints a frame only where it meets the viewport. */
const PARTNER_VIEWPORT = { width: 900, height: 2800 };

const drafts = () => mongoose.connection.db!.collection('request_drafts');
const mailTo = (address: string) => (mail: ParsedMail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address;
const uniqueEmail = () => `anna.${randomBytes(4).toString('hex')}@muzeum.example.pl`;

async function partnerWithOrigins(origins: string[]): Promise<TestKey> {
  const partner = await createKey(app.context.app, app.context.adminKey, { role: 'partner' });
  await api(app.context.app).put(`/v1/partners/${partner.ownerId}/embed`).set(partner.auth).send({ origins }).expect(200);
  return partner;
}

async function fillPolishForm(form: FrameLocator, email: string): Promise<void> {
  await form.getByLabel('Nazwa organizacji').fill('Muzeum Zalewu Wiślanego');
  await form.getByLabel('Rodzaj organizacji').selectOption({ label: 'instytucja kultury' });
  await form.getByLabel('Kraj', { exact: true }).selectOption({ label: 'Polska' });
  await form.getByLabel('Imię i nazwisko').fill('Anna Kowalska');
  await form.getByLabel('Adres e-mail').fill(email);
  await form.getByLabel('Tytuł zapytania').fill('Zwiedzający gubią się na piętrze');
  await form.getByLabel('Prosimy opisać sytuację').fill('Zwiedzający nie mogą znaleźć wejścia na drugie piętro wystawy i często pytają obsługę o drogę.');
  await form.getByLabel('polski', { exact: true }).check();
  await form.getByLabel('Kraj miejscowości').selectOption({ label: 'Polska' });
  await form.getByLabel('na miejscu', { exact: true }).check();
}

/** The iframe's frame once its document (whatever it is) has loaded. */
async function loadedFrame(page: Page): Promise<Frame> {
  const frame = await (await page.waitForSelector('iframe')).contentFrame();
  if (!frame) throw new Error('the iframe has no frame');
  await frame.waitForLoadState();
  return frame;
}

describe('the request form embedded on a partner site', () => {
  it('is shown and filed inside the iframe of a registered origin; the confirmed request is the partner’s', async () => {
    const site = await partnerSite();
    const partner = await partnerWithOrigins([site.origin]);
    site.page.html = parentPage(`${app.baseUrl}/embed/request?partner=${partner.ownerId}&lang=pl`);
    const page = await app.newPage({ locale: 'pl-PL', viewport: PARTNER_VIEWPORT });
    await page.goto(site.origin);
    const frame = await loadedFrame(page);
    const form = page.frameLocator('iframe');
    await expect(form.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Zapytanie o konsultację');
    expect(await frame.getAttribute('html', 'lang')).toBe('pl');
    // The language switcher stays reachable inside the frame, keeping the partner.
    expect(await form.getByRole('link', { name: 'lietuvių' }).getAttribute('href')).toBe(`/embed/request?partner=${partner.ownerId}&lang=lt`);

    const email = uniqueEmail();
    await fillPolishForm(form, email);
    await screenshot(page, 'partner-page-form-filled');
    await Promise.all([frame.waitForURL(/\/embed\/request\/sent\?/), form.getByRole('button', { name: 'Wyślij zapytanie' }).click()]);
    await expect(form.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Prosimy sprawdzić skrzynkę e-mail');
    expect(page.url()).toBe(`${site.origin}/`);
    await screenshot(page, 'partner-page-sent');

    // The form itself, opened on its own, is as accessible as the hosted one.
    const alone = await app.newPage({ locale: 'pl-PL' });
    await alone.goto(`/embed/request?partner=${partner.ownerId}&lang=pl`);
    await expectAccessible(alone);
    await expectAccessible(page);

    const [mail] = await app.sink.waitFor(1, mailTo(email));
    const link = /http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]{43}/.exec(mail!.text!)![0];
    const [draft] = await drafts().find({ 'input.contact.email': email }).toArray();
    const requestId = String(draft!._id);
    await alone.goto(link);
    await Promise.all([alone.waitForNavigation(), alone.getByRole('button', { name: 'Tak, wyślij zapytanie' }).click()]);
    await expect(alone.getByRole('heading', { level: 1 }).textContent()).resolves.toBe('Zapytanie zostało wysłane');

    const filed = await api(app.context.app).get(`/v1/requests/${requestId}`).set(partner.auth).expect(200);
    expect(filed.body).toMatchObject({ title: 'Zwiedzający gubią się na piętrze', contact: { email, language: 'pl' } });
    expect(filed.body.history[0].actor.role).toBe('partner');
  });

  it('renders no form in a page of an origin the partner did not register: Chromium obeys frame-ancestors', async () => {
    const registered = await partnerSite();
    const stranger = await partnerSite();
    const partner = await partnerWithOrigins([registered.origin]);
    const before = await drafts().countDocuments();
    // Without a Referer the service cannot tell the framing page and serves the form: frame-ancestors must stop it.
    stranger.page.html = parentPage(`${app.baseUrl}/embed/request?partner=${partner.ownerId}&lang=pl`, ' referrerpolicy="no-referrer"');
    const page = await app.newPage({ locale: 'pl-PL', viewport: PARTNER_VIEWPORT });
    const isForm = (response: { url(): string }) => response.url().includes('/embed/request?');
    const blocked = page.waitForEvent('console', { predicate: (message) => /frame-ancestors/.test(message.text()), timeout: 10_000 });
    const served = page.waitForResponse(isForm);
    await page.goto(stranger.origin);
    expect((await served).status()).toBe(200);
    await blocked;
    const frame = await loadedFrame(page);
    expect(await frame.locator('form').count()).toBe(0);
    expect(await frame.locator('input').count()).toBe(0);
    await screenshot(page, 'stranger-page-blocked');

    // With its Referer, the service refuses outright (403); that page may not be framed either.
    stranger.page.html = parentPage(`${app.baseUrl}/embed/request?partner=${partner.ownerId}&lang=pl`);
    const refusal = page.waitForResponse(isForm);
    await page.goto(stranger.origin);
    expect((await refusal).status()).toBe(403);
    const refused = await loadedFrame(page);
    expect(await refused.locator('form').count()).toBe(0);
    await screenshot(page, 'stranger-page-refused');
    expect(await drafts().countDocuments()).toBe(before);
  });
});
