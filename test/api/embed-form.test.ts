import { randomBytes } from 'node:crypto';
import type { ParsedMail } from 'mailparser';
import mongoose from 'mongoose';
import request from 'supertest';
import { api } from '../helpers/contract';
import { bearer, createKey, type TestKey } from '../helpers/keys';
import { createExpert } from '../helpers/scenario';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startTestContext, type TestContext } from '../helpers/test-context';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';
import { originProblem } from '../../src/partners/partner-embed.schemas';

const PUBLIC_BASE_URL = 'https://consult.example.test';
const LINK = /https:\/\/consult\.example\.test\/a\/([A-Za-z0-9_-]{43})/;
const MUSEUM = 'https://www.muzeum.example.pl';

let context: TestContext;
let sink: SmtpSink;
let receiver: WebhookReceiver;

beforeAll(async () => {
  sink = await startSmtpSink();
  receiver = await startWebhookReceiver();
  context = await startTestContext(
    { MAIL: 'on', SMTP_URL: sink.url, MAIL_RETRY_BASE_MS: '50', AUTO_INVITE: 'off', PUBLIC_BASE_URL, TRUST_PROXY: 'true', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50' },
    { workers: true },
  );
});
afterAll(async () => {
  await context.close();
  await receiver.close();
  await sink.stop();
});

let addresses = 0;
/** A visitor from an address of their own (the per-address form limit is per test). */
const visitor = () => {
  addresses += 1;
  const address = `198.51.100.${addresses}`;
  return {
    get: (path: string) => request(context.app).get(path).set('X-Forwarded-For', address),
    post: (path: string) => request(context.app).post(path).set('X-Forwarded-For', address).type('form'),
  };
};
const admin = () => bearer(context.adminKey);
const partner = () => createKey(context.app, context.adminKey, { role: 'partner' });
const register = async (owner: TestKey, origins: string[]) => api(context.app).put(`/v1/partners/${owner.ownerId}/embed`).set(owner.auth).send({ origins }).expect(200);
const drafts = () => mongoose.connection.db!.collection('request_drafts');
const to = (address: string) => (mail: ParsedMail) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address;
const frameAncestors = (csp: string | undefined) => /(?:^|;)frame-ancestors ([^;]*)/.exec(csp ?? '')?.[1];

/** A complete form as a browser posts it (repeated names for lists), from a museum in Tolkmicko. */
function museumForm(email: string, overrides: Record<string, string | string[]> = {}) {
  const form: Record<string, string | string[]> = {
    'organization.name': 'Muzeum Zalewu Wiślanego',
    'organization.type': 'cultural',
    'organization.country': 'PL',
    'organization.website': '',
    'contact.name': 'Anna Kowalska',
    'contact.email': email,
    'contact.language': 'pl',
    title: 'Nowa wystawa stała o historii portu',
    description: 'Szukamy projektanta wystaw, który pomoże zaprojektować nową wystawę i trasę zwiedzania w naszym muzeum.',
    skills: ['exhibition design', '', ''],
    languages: ['pl', 'en'],
    'location.city': 'Tolkmicko',
    'location.country': 'PL',
    mode: 'onsite',
    deadline: '',
    nickname: '',
    ...overrides,
  };
  return Object.entries(form)
    .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((item) => `${encodeURIComponent(name)}=${encodeURIComponent(item)}`))
    .join('&');
}
const uniqueEmail = () => `muzeum.${randomBytes(4).toString('hex')}@example.pl`;

describe('PUT /v1/partners/{ownerId}/embed', () => {
  it('keeps the origins a partner registers for itself, and GET shows them', async () => {
    const owner = await partner();
    expect((await api(context.app).get(`/v1/partners/${owner.ownerId}/embed`).set(owner.auth).expect(200)).body).toEqual({ ownerId: owner.ownerId, origins: [] });
    const put = await register(owner, [MUSEUM, 'https://kultur.example.de:8443', 'http://localhost:5173']);
    expect(put.body.origins).toEqual([MUSEUM, 'https://kultur.example.de:8443', 'http://localhost:5173']);
    const got = await api(context.app).get(`/v1/partners/${owner.ownerId}/embed`).set(admin()).expect(200);
    expect(got.body).toEqual({ ownerId: owner.ownerId, origins: [MUSEUM, 'https://kultur.example.de:8443', 'http://localhost:5173'], updatedAt: put.body.updatedAt });
  });

  it('refuses anything but exact https origins, naming each bad entry, and keeps the list it had', async () => {
    const owner = await partner();
    await register(owner, [MUSEUM]);
    const bad = ['https://www.muzeum.example.pl/form', 'https://*.example.org', 'http://museum.example', MUSEUM, MUSEUM, 'https://Upper.example', 'https://a.example/', "https://a.example 'unsafe-inline'", 'javascript:alert(1)'];
    const refused = await api(context.app).put(`/v1/partners/${owner.ownerId}/embed`).set(owner.auth).send({ origins: bad }).expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    const paths = (refused.body.errors as Array<{ path: string; message: string }>).map((error) => error.path);
    expect(paths).toEqual(['origins.0', 'origins.1', 'origins.2', 'origins.4', 'origins.5', 'origins.6', 'origins.7', 'origins.8']);
    expect(refused.body.errors[3]).toEqual({ path: 'origins.4', message: 'is listed twice' });
    expect(refused.body.errors[1].message).toBe('must name one host, without wildcards');

    const many = Array.from({ length: 21 }, (_, i) => `https://site${i}.example.org`);
    const tooMany = await api(context.app).put(`/v1/partners/${owner.ownerId}/embed`).set(owner.auth).send({ origins: many }).expect(400);
    expect(tooMany.body.errors[0].path).toBe('origins');
    await api(context.app).put(`/v1/partners/${owner.ownerId}/embed`).set(owner.auth).send({ origins: [MUSEUM], extra: true }).expect(400);
    expect((await api(context.app).get(`/v1/partners/${owner.ownerId}/embed`).set(owner.auth).expect(200)).body.origins).toEqual([MUSEUM]);
  });

  it("lets a partner manage only its own list, an admin any partner's, and nobody an owner that is no partner", async () => {
    const [owner, other] = await Promise.all([partner(), partner()]);
    const requester = await createKey(context.app, context.adminKey, { role: 'requester' });
    await api(context.app).put(`/v1/partners/${owner.ownerId}/embed`).set(other.auth).send({ origins: [MUSEUM] }).expect(403);
    await api(context.app).get(`/v1/partners/${owner.ownerId}/embed`).set(other.auth).expect(403);
    await api(context.app).put(`/v1/partners/${owner.ownerId}/embed`).set(requester.auth).send({ origins: [MUSEUM] }).expect(403);
    await api(context.app).put(`/v1/partners/${owner.ownerId}/embed`).send({ origins: [MUSEUM] }).expect(401);
    await api(context.app).put(`/v1/partners/${owner.ownerId}/embed`).set(admin()).send({ origins: [MUSEUM] }).expect(200);
    await api(context.app).put(`/v1/partners/${requester.ownerId}/embed`).set(admin()).send({ origins: [MUSEUM] }).expect(404);
    await api(context.app).get('/v1/partners/not-an-id/embed').set(admin()).expect(400);
  });
});

describe('GET /embed/request?partner={ownerId}', () => {
  it("may be framed by the partner's origins only, each partner its own, while /request stays unframeable", async () => {
    const [museum, kultur] = await Promise.all([partner(), partner()]);
    await register(museum, [MUSEUM, 'https://muzeum.example.pl']);
    await register(kultur, ['https://kultur.example.de']);
    const form = await visitor().get(`/embed/request?partner=${museum.ownerId}&lang=pl`).expect(200);
    expect(frameAncestors(form.headers['content-security-policy'])).toBe(`${MUSEUM} https://muzeum.example.pl`);
    expect(form.headers['x-frame-options']).toBeUndefined();
    // The rest of the policy stays as strict as on every page.
    expect(form.headers['content-security-policy']).toContain("script-src 'self'");
    expect(form.text).toContain('<html lang="pl">');
    expect(form.text).toContain(`<form method="post" action="/embed/request?partner=${museum.ownerId}&amp;lang=pl" novalidate>`);
    expect(form.text).toContain(`<a href="/embed/request?partner=${museum.ownerId}&amp;lang=de" hreflang="de" lang="de">Deutsch</a>`);
    for (const name of ['organization.name', 'contact.email', 'title', 'location.city', 'nickname']) expect(form.text).toContain(`name="${name}"`);

    const other = await visitor().get(`/embed/request?partner=${kultur.ownerId}`).expect(200);
    expect(frameAncestors(other.headers['content-security-policy'])).toBe('https://kultur.example.de');

    const own = await visitor().get('/request').expect(200);
    expect(frameAncestors(own.headers['content-security-policy'])).toBe("'self'");
    expect(own.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it("answers an unknown partner, or one without origins, with a 404 page in the visitor's language", async () => {
    const silent = await partner();
    await register(silent, []);
    const requester = await createKey(context.app, context.adminKey, { role: 'requester' });
    for (const query of [`partner=${silent.ownerId}`, `partner=${requester.ownerId}`, 'partner=6650a1b2c3d4e5f601234567', 'partner=x', '']) {
      const page = await visitor().get(`/embed/request?${query}`).set('Accept-Language', 'de-DE,de;q=0.9').expect(404);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.text).toContain('<html lang="de">');
      expect(page.text).toContain('Dieses Formular ist hier nicht verfügbar');
      expect(frameAncestors(page.headers['content-security-policy'])).toBe("'self'");
    }
  });

  it('refuses a page of another site than the registered ones, by its Referer or Origin, with a page and nothing kept', async () => {
    const owner = await partner();
    await register(owner, [MUSEUM]);
    const url = `/embed/request?partner=${owner.ownerId}&lang=sv`;
    const framed = await visitor().get(url).set('Sec-Fetch-Site', 'cross-site').set('Sec-Fetch-Dest', 'iframe').set('Referer', `${MUSEUM}/`).expect(200);
    expect(framed.text).toContain('name="organization.name"');

    const foreign = await visitor().get(url).set('Sec-Fetch-Site', 'cross-site').set('Referer', 'https://evil.example/copy-of-the-form.html').expect(403);
    expect(foreign.text).toContain('Formuläret får bara visas på webbplatser som tillhör partnern');
    expect(foreign.text).not.toContain('name="organization.name"');
    expect(frameAncestors(foreign.headers['content-security-policy'])).toBe("'self'");
    await visitor().get(url).set('Sec-Fetch-Site', 'same-site').set('Referer', 'https://other.muzeum.example.pl/').expect(403);

    const before = await drafts().countDocuments();
    const email = uniqueEmail();
    const posted = await visitor().post(url).set('Sec-Fetch-Site', 'cross-site').set('Origin', 'https://evil.example').send(museumForm(email)).expect(403);
    expect(posted.text).toContain('Formuläret');
    // Even from the partner's own page: the form posts from itself, inside the frame, never from the partner's page.
    await visitor().post(url).set('Sec-Fetch-Site', 'cross-site').set('Origin', MUSEUM).send(museumForm(email)).expect(403);
    expect(await drafts().countDocuments()).toBe(before);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.mails.filter(to(email))).toHaveLength(0);
  });

  it('shows problems beside the fields, still framed by the partner only, and keeps nothing', async () => {
    const owner = await partner();
    await register(owner, [MUSEUM]);
    const before = await drafts().countDocuments();
    const page = await visitor().post(`/embed/request?partner=${owner.ownerId}&lang=en`).set('Sec-Fetch-Site', 'same-origin').send(museumForm(uniqueEmail(), { 'organization.name': '' })).expect(400);
    expect(page.text).toContain('<p class="error" id="organization-name-error">Fill in this field.</p>');
    expect(page.text).toContain(`action="/embed/request?partner=${owner.ownerId}&amp;lang=en"`);
    expect(frameAncestors(page.headers['content-security-policy'])).toBe(MUSEUM);
    expect(await drafts().countDocuments()).toBe(before);
  });

  it("files a request for the partner once its contact confirms through the mail's link; the partner's webhook hears of it", async () => {
    const owner = await partner();
    const otherPartner = await partner();
    await register(owner, [MUSEUM]);
    await api(context.app).post('/v1/webhooks').set(owner.auth).send({ url: receiver.url, events: ['request.matched'] }).expect(201);
    await createExpert(context.app, admin());

    const email = uniqueEmail();
    const person = visitor();
    const sent = await person.post(`/embed/request?partner=${owner.ownerId}&lang=pl`).set('Sec-Fetch-Site', 'same-origin').set('Origin', 'null').send(museumForm(email)).expect(303);
    expect(sent.headers.location).toBe(`/embed/request/sent?partner=${owner.ownerId}&lang=pl`);
    const sentPage = await person.get(sent.headers.location!).expect(200);
    expect(sentPage.text).toContain('Prosimy sprawdzić skrzynkę e-mail');
    expect(frameAncestors(sentPage.headers['content-security-policy'])).toBe(MUSEUM);

    const [mail] = await sink.waitFor(1, to(email));
    const link = `/a/${LINK.exec(mail!.text!)![1]}`;
    const [draft] = await drafts().find({ 'input.contact.email': email }).toArray();
    const requestId = String(draft!._id);
    await api(context.app).get(`/v1/requests/${requestId}`).set(owner.auth).expect(404);

    await person.post(link).set('Origin', PUBLIC_BASE_URL).expect(200);
    const filed = await api(context.app).get(`/v1/requests/${requestId}`).set(owner.auth).expect(200);
    expect(filed.body.contact.email).toBe(email);
    expect(filed.body.skills).toEqual(['exhibition design']);
    expect(filed.body.history[0].actor.role).toBe('partner');
    await api(context.app).get(`/v1/requests/${requestId}`).set(otherPartner.auth).expect(404);

    const deliveries = await receiver.waitFor(1, 15_000);
    const event = JSON.parse(deliveries[0]!.body) as { type: string; data: { requestId: string } };
    expect(event).toMatchObject({ type: 'request.matched', data: { requestId } });
    expect(deliveries[0]!.body).not.toContain(email);
  });
});

describe('origins outside development', () => {
  it('refuses http://localhost in production, where only https origins are real partner sites', () => {
    expect(originProblem('http://localhost:5173', false)).toBe('must use https://');
    expect(originProblem('http://127.0.0.1:8080', true)).toBeUndefined();
    expect(originProblem('https://www.muzeum.example.pl', false)).toBeUndefined();
  });
});
