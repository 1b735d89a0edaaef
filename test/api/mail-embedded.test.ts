import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import request from 'supertest';
import { loadConfig } from '../../src/config';
import { mailIdFor } from '../../src/mail/mail-outbox';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, submitRequest, waitForStage } from '../helpers/scenario';
import { buildTestApp, startTestContext, testEnvironment, type TestContext } from '../helpers/test-context';
import { MailModel } from '../../src/mail/mail-outbox.model';

let context: TestContext;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'mail-embedded-'));
  context = await startTestContext({ MAIL: 'on', DATA_DIR: dataDir, AUTO_INVITE: 'off' }, { workers: true });
});
afterAll(async () => {
  await context.close();
  await rm(dataDir, { recursive: true, force: true });
});

const admin = () => bearer(context.adminKey);
const mailDir = () => path.join(dataDir, 'mail');
const outbox = () => MailModel.db.db!.collection('mail_outbox');

async function waitForFile(name: string, timeoutMs = 8000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const names = await readdir(mailDir()).catch(() => [] as string[]);
    if (names.includes(name)) return path.join(mailDir(), name);
    if (Date.now() > deadline) throw new Error(`${name} was not written`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every kept file's text, for checking that an erased address is nowhere on disk. */
async function keptText(): Promise<string> {
  const names = await readdir(mailDir()).catch(() => [] as string[]);
  return (await Promise.all(names.map((name) => readFile(path.join(mailDir(), name), 'utf8')))).join('\n');
}

describe('the embedded mailbox (no SMTP_URL outside production)', () => {
  let requestId: string;
  let mailId: string;
  const address = `kasia.${Date.now()}@kurort.example.de`;

  it('keeps each mail as an .eml file, composed as SMTP would carry it', async () => {
    const requester = await createKey(context.app, admin(), { role: 'requester' });
    requestId = await submitRequest(context.app, requester, {
      organization: { name: 'Kurort Touristik Usedom', type: 'public', country: 'DE', website: 'https://usedom.example.org/kultur?x=1&y=2' },
      languages: ['de'],
      contact: { name: 'Katarzyna Schulz', email: address },
    });
    mailId = mailIdFor(`request.received:${requestId}`, `contact:${requestId}`);
    const parsed = await simpleParser(await readFile(await waitForFile(`${mailId}.eml`)));
    expect(parsed.subject).toMatch(/^Ihre Anfrage „.+“ ist eingegangen$/);
    expect(parsed.headers.get('content-language')).toBe('de');
    expect(parsed.messageId).toBe(`<${mailId}@localhost>`);
    expect(parsed.text).toContain('Guten Tag Katarzyna Schulz,');
    expect(parsed.text).toContain('Website: https://usedom.example.org/kultur?x=1&y=2');
    expect(parsed.html).toContain('<a href="https://usedom.example.org/kultur?x=1&amp;y=2">');
  });

  it('lists the mails at GET /dev/mailbox for an admin, as a page without scripts with links clickable, and as JSON', async () => {
    await waitForFile(`${mailId}.json`);
    const page = await request(context.app).get('/dev/mailbox').set(admin()).expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.text).not.toMatch(/<script/i);
    expect(page.text).toContain('Ihre Anfrage „');
    expect(page.text).toContain(' · de · ');
    expect(page.text).toContain('<a href="https://usedom.example.org/kultur?x=1&amp;y=2">');

    for (const call of [request(context.app).get('/dev/mailbox.json'), request(context.app).get('/dev/mailbox').set('Accept', 'application/json')]) {
      const listed = await call.set(admin()).expect(200);
      const item = (listed.body.items as Array<Record<string, string>>).find((mail) => mail.id === mailId);
      expect(item).toMatchObject({ to: address, language: 'de', kind: 'request_received', messageId: `<${mailId}@localhost>` });
      expect(item!.text).toContain('Wie es weitergeht');
    }
  });

  it('answers 401 without a key (asking a browser for one) and 403 to a key that is not an admin', async () => {
    const anonymous = await request(context.app).get('/dev/mailbox').expect(401);
    expect(anonymous.headers['www-authenticate']).toContain('Basic realm="mailbox"');
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    await request(context.app).get('/dev/mailbox').set(partner).expect(403);
  });

  it('is not there in production', async () => {
    const config = loadConfig(testEnvironment({ NODE_ENV: 'production', MAIL: 'on', SMTP_URL: 'smtp://127.0.0.1:9', DATA_DIR: dataDir, MONGODB_DB_NAME: context.config.MONGODB_DB_NAME, ADMIN_API_KEY: context.adminKey }));
    const production = buildTestApp(config);
    try {
      await request(production.app).get('/dev/mailbox').set(admin()).expect(404);
      await request(production.app).get('/dev/mailbox.json').set(admin()).expect(404);
    } finally {
      await production.close();
    }
  });

  it("erases a request's contact from the request, the outbox and the kept files", async () => {
    expect(await keptText()).toContain(address);
    await api(context.app).delete(`/v1/requests/${requestId}/contact`).set(admin()).expect(204);
    expect(await readdir(mailDir())).not.toEqual(expect.arrayContaining([`${mailId}.eml`]));
    expect(await keptText()).not.toContain(address);
    expect(await keptText()).not.toContain('Katarzyna');
    const stored = await outbox().findOne({ _id: mailId as never });
    expect(stored).toMatchObject({ status: 'erased', recipient: `contact:${requestId}` });
    for (const field of ['to', 'subject', 'text', 'html']) expect(stored).not.toHaveProperty(field);
    const listed = await request(context.app).get('/dev/mailbox.json').set(admin()).expect(200);
    expect(listed.body.items.map((mail: { id: string }) => mail.id)).not.toContain(mailId);
  });
});

describe("an expert's mails: export and erasure", () => {
  it('lists the mails to the expert in their export, and erasing the expert removes them from the outbox and the files', async () => {
    const address = `jonas.${Date.now()}@example.lt`;
    const expert = await createExpert(context.app, admin(), { name: 'Jonas Petrauskas', email: address, languages: ['lt', 'pl', 'en'] });
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const requestId = await submitRequest(context.app, partner, { contact: undefined });
    await waitForStage(context.app, partner, requestId, 'matched');
    const invitation = await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(partner).send({ expertId: expert.id }).expect(201);
    const mailId = mailIdFor(`invitation.created:${invitation.body.id}`, `expert:${expert.id}`);
    const parsed = await simpleParser(await readFile(await waitForFile(`${mailId}.eml`)));
    expect(parsed.subject).toMatch(/^Kvietimas: „/);
    await waitForFile(`${mailId}.json`);

    let exported = await api(context.app).get(`/v1/experts/${expert.id}/export`).set(expert.auth).expect(200);
    while (exported.body.mails[0]?.status !== 'sent') exported = await api(context.app).get(`/v1/experts/${expert.id}/export`).set(expert.auth).expect(200);
    expect(exported.body.mails).toEqual([
      { id: mailId, kind: 'invitation', language: 'lt', status: 'sent', to: address, subject: parsed.subject, createdAt: expect.any(String), sentAt: expect.any(String) },
    ]);

    await api(context.app).delete(`/v1/experts/${expert.id}`).set(admin()).expect(204);
    expect(await keptText()).not.toContain(address);
    const stored = await outbox().find({ recipient: `expert:${expert.id}` } as never).toArray();
    expect(stored.map((mail) => mail.status)).toEqual(['erased']);
    expect(JSON.stringify(await outbox().find().toArray())).not.toContain(address);
  });
});
