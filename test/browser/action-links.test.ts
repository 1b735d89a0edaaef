import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import type { Page, Response } from 'playwright-core';
import { api } from '../helpers/contract';
import { expectAccessible, screenshot, useMailedBrowserApp } from '../helpers/browser';
import { bearer, createExpert, createKey, invitationsOf, submitRequest, waitForStage } from '../helpers/scenario';

const app = useMailedBrowserApp();

const admin = () => bearer(app.context.adminKey);

/** An expert who works online from their own town, reading mails and pages in their own language, and a request for them. */
const PEOPLE = {
  lt: {
    expert: { name: 'Rūta Petrauskienė', languages: ['lt', 'en'], location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 } },
    request: { organization: 'Neringos jaunimo kultūros NVO', title: 'Parodos maršrutas' },
  },
  de: {
    expert: { name: 'Katharina Vogel', languages: ['de', 'en'], location: { country: 'DE', city: 'Greifswald', lat: 54.0865, lon: 13.3923 } },
    request: { organization: 'Pommersches Landesmuseum', title: 'Neue Dauerausstellung' },
  },
  sv: {
    expert: { name: 'Astrid Lindqvist', languages: ['sv', 'en'], location: { country: 'SE', city: 'Karlskrona', lat: 56.1612, lon: 15.5869 } },
    request: { organization: 'Blekinge museum', title: 'Ny basutställning' },
  },
} as const;
type Language = keyof typeof PEOPLE;

const mailTo = (address: string) => (mail: ParsedMail) => !Array.isArray(mail.to) && mail.to?.value[0]?.address === address;

/**
 * A request from an organisation in the expert's country, matched, and the expert invited through the API; the Accept
 * and Decline links of the invitation mail the SMTP sink received (absolute URLs to this test's app).
 */
async function invitedExpert(language: Language) {
  const { expert: profile, request } = PEOPLE[language];
  const email = `${language}.${randomBytes(4).toString('hex')}@studio.example.org`;
  const expert = await createExpert(app.context.app, admin(), { ...profile, email, preferredLanguage: language, modes: ['online'] });
  const partner = await createKey(app.context.app, admin(), { role: 'partner' });
  const requestId = await submitRequest(app.context.app, partner, {
    organization: { name: request.organization, type: 'cultural', country: profile.location.country },
    title: request.title,
    languages: [language],
    location: { country: profile.location.country, city: profile.location.city },
    mode: 'online',
    contact: undefined,
  });
  await waitForStage(app.context.app, partner, requestId, 'matched');
  const invited = await api(app.context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId: expert.id }).expect(201);
  const [mail] = await app.sink.waitFor(1, mailTo(email));
  const links = [...mail!.text!.matchAll(/http:\/\/127\.0\.0\.1:\d+\/a\/[A-Za-z0-9_-]{43}/g)].map((match) => match[0]);
  expect(links).toHaveLength(2);
  return { expert, requestId, invitationId: invited.body.id as string, accept: links[0]!, decline: links[1]! };
}

const invitationOf = async (requestId: string, invitationId: string): Promise<Record<string, unknown> | undefined> =>
  (await invitationsOf(app.context.app, admin(), requestId)).find((invitation) => invitation.id === invitationId);
const requestOf = async (requestId: string) => (await api(app.context.app).get(`/v1/requests/${requestId}`).set(admin()).expect(200)).body;

/** Opens `url` as a person would from the mail: the status, the page's language and its heading. */
async function open(page: Page, url: string) {
  const response = await page.goto(url);
  return { status: response!.status(), lang: await page.getAttribute('html', 'lang'), heading: await page.getByRole('heading', { level: 1 }).textContent() };
}

/** Presses the page's one button and waits for the page its form's POST answers with. */
async function press(page: Page, name: string): Promise<Response> {
  const [response] = await Promise.all([page.waitForResponse((answer) => answer.request().method() === 'POST'), page.getByRole('button', { name }).click()]);
  await page.waitForLoadState();
  return response;
}

describe('the Accept link of an invitation mail', () => {
  it('shows a confirmation page in the expert language, changes nothing until the button is pressed, then accepts', async () => {
    const { requestId, invitationId, accept, expert } = await invitedExpert('lt');
    const page = await app.newPage();

    expect(await open(page, accept)).toEqual({ status: 200, lang: 'lt', heading: 'Priimti kvietimą?' });
    await expect(page.getByRole('main').textContent()).resolves.toContain(PEOPLE.lt.request.title);
    await screenshot(page, 'accept-confirm-lt');
    await expectAccessible(page);
    await page.setViewportSize({ width: 360, height: 740 });
    await screenshot(page, 'accept-confirm-lt-phone');
    await expectAccessible(page);
    expect((await invitationOf(requestId, invitationId))?.status).toBe('pending');
    expect((await requestOf(requestId)).stage).toBe('invited');

    const done = await press(page, 'Taip, priimu kvietimą');
    expect(done.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Kvietimas priimtas');
    expect(await page.getAttribute('html', 'lang')).toBe('lt');
    await screenshot(page, 'accept-done-lt');
    await expectAccessible(page);
    expect((await invitationOf(requestId, invitationId))?.status).toBe('accepted');
    expect(await requestOf(requestId)).toMatchObject({ stage: 'accepted', acceptedExpertId: expert.id });
  });

  it('works the same with JavaScript disabled: a plain form post', async () => {
    const { requestId, invitationId, accept, expert } = await invitedExpert('de');
    const page = await app.newPage({ javaScriptEnabled: false });

    expect(await open(page, accept)).toEqual({ status: 200, lang: 'de', heading: 'Einladung annehmen?' });
    await screenshot(page, 'accept-confirm-de-no-js');
    await expectAccessible(page);
    expect((await invitationOf(requestId, invitationId))?.status).toBe('pending');

    const done = await press(page, 'Ja, Einladung annehmen');
    expect(done.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Einladung angenommen');
    await screenshot(page, 'accept-done-de-no-js');
    await expectAccessible(page);
    expect(await requestOf(requestId)).toMatchObject({ stage: 'accepted', acceptedExpertId: expert.id });
  });
});

describe('links that can no longer act', () => {
  it('shows the used-link page (410) for a reused Accept link and the answered page (409) for its Decline link, changing nothing', async () => {
    const { requestId, invitationId, accept, decline } = await invitedExpert('lt');
    const page = await app.newPage();
    await page.goto(accept);
    await press(page, 'Taip, priimu kvietimą');
    const accepted = await requestOf(requestId);

    expect(await open(page, accept)).toEqual({ status: 410, lang: 'lt', heading: 'Ši nuoroda jau panaudota' });
    await screenshot(page, 'refused-used-lt');
    await expectAccessible(page);
    expect(await page.getByRole('button').count()).toBe(0);

    expect(await open(page, decline)).toEqual({ status: 409, lang: 'lt', heading: 'Į šį kvietimą jau atsakėte' });
    await expect(page.getByRole('main').textContent()).resolves.toContain('Šį kvietimą jau anksčiau priėmėte');
    await screenshot(page, 'refused-answered-lt');
    await expectAccessible(page);

    expect((await invitationOf(requestId, invitationId))?.status).toBe('accepted');
    expect((await requestOf(requestId)).revision).toBe(accepted.revision);
  });

  it('shows the unknown-link page (404) in the browser language for a token nobody issued', async () => {
    const page = await app.newPage({ locale: 'de-DE' });

    expect(await open(page, `/a/${randomBytes(32).toString('base64url')}`)).toEqual({ status: 404, lang: 'de', heading: 'Dieser Link funktioniert nicht' });
    await screenshot(page, 'refused-unknown-de');
    await expectAccessible(page);
  });
});

describe('the Decline link of an invitation mail', () => {
  it('declines with the reason typed into the form, reached with the keyboard', async () => {
    const { requestId, invitationId, decline } = await invitedExpert('sv');
    const page = await app.newPage();
    const reason = 'Jag är fullbokad till hösten – fråga mig gärna igen i oktober.';

    expect(await open(page, decline)).toEqual({ status: 200, lang: 'sv', heading: 'Tacka nej till inbjudan?' });
    await expectAccessible(page);
    await page.getByLabel('Anledning (valfritt)').fill(reason);
    await page.keyboard.press('Tab');
    expect(await page.locator(':focus').textContent()).toBe('Ja, jag tackar nej');
    await screenshot(page, 'decline-confirm-sv');
    expect((await invitationOf(requestId, invitationId))?.status).toBe('pending');

    const [done] = await Promise.all([page.waitForResponse((answer) => answer.request().method() === 'POST'), page.keyboard.press('Enter')]);
    await page.waitForLoadState();
    expect(done.status()).toBe(200);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Inbjudan avböjd');
    await screenshot(page, 'decline-done-sv');
    await expectAccessible(page);
    expect(await invitationOf(requestId, invitationId)).toMatchObject({ status: 'declined', declineReason: reason });
  });
});
