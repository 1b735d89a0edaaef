import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import request from 'supertest';
import { mailIdFor } from '../../src/mail/mail-outbox';
import { api } from '../helpers/contract';
import { readEvent } from '../helpers/ical';
import { bearer, createExpert, createKey, invite, submitRequest, waitForStage } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'mail-scheduling-'));
  context = await startTestContext({ MAIL: 'on', DATA_DIR: dataDir, AUTO_INVITE: 'off' }, { workers: true });
});
afterAll(async () => {
  await context.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function waitForFile(file: string, timeoutMs = 8000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (!(await stat(file).catch(() => undefined))) {
    if (Date.now() > deadline) throw new Error(`${file} was not written`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return file;
}

describe('calendar invites in the embedded mailbox', () => {
  it('keeps the invite inside the .eml as SMTP would carry it, lists its METHOD in the mailbox, and deletes the file when the contact is erased', async () => {
    const admin = bearer(context.adminKey);
    const expert = await createExpert(context.app, admin);
    const requester = await createKey(context.app, admin, { role: 'requester' });
    const requestId = await submitRequest(context.app, requester, { contact: { name: 'Ewa Zielińska', email: `ewa.${Date.now()}@muzeum.example.pl`, language: 'pl' } });
    await waitForStage(context.app, requester, requestId, 'matched');
    const invitation = await invite(context, requester, requestId, expert.id);
    await api(context.app).post(`/v1/invitations/${invitation.id}/accept`).set(expert.auth).expect(200);
    const startsAt = new Date(Date.now() + 7 * 86_400_000);
    startsAt.setUTCHours(8, 0, 0, 0);
    const scheduled = await api(context.app).post(`/v1/requests/${requestId}/schedule`).set(requester).send({ startsAt: startsAt.toISOString(), location: 'Sala 2' }).expect(200);

    const file = path.join(dataDir, 'mail', `${mailIdFor(`consultation.scheduled:${requestId}:h${scheduled.body.history.length}`, `contact:${requestId}`)}.eml`);
    const parsed = await simpleParser(await readFile(await waitForFile(file)));
    const part = parsed.attachments.find((attachment) => attachment.contentType === 'text/calendar');
    const { method, event } = readEvent(part!.content.toString('utf8'));
    expect([method, event.startDate.toJSDate().toISOString()]).toEqual(['REQUEST', startsAt.toISOString()]);
    const mailbox = await request(context.app).get('/dev/mailbox.json').set(admin).expect(200);
    const listed = mailbox.body.items.find((mail: { id: string }) => file.endsWith(`${mail.id}.eml`));
    expect([listed?.kind, listed?.calendar]).toEqual(['consultation_scheduled', 'REQUEST']);

    await api(context.app).delete(`/v1/requests/${requestId}/contact`).set(requester).expect(204);
    expect(await stat(file).catch(() => undefined)).toBeUndefined();
  });
});
