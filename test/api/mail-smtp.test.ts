import type { Job } from 'bull';
import type { ParsedMail } from 'mailparser';
import { api } from '../helpers/contract';
import { bearer, createExpert, createKey, submitRequest, waitForStage } from '../helpers/scenario';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink';
import { startTestContext, type TestContext, captureLogLines } from '../helpers/test-context';
import { mailIdFor } from '../../src/mail/mail-outbox';
import { MailModel } from '../../src/mail/mail-outbox.model';

let context: TestContext;
let sink: SmtpSink;
const { lines: logLines, stream: logTo } = captureLogLines();
const jobPayloads: unknown[] = [];

beforeAll(async () => {
  sink = await startSmtpSink();
  context = await startTestContext(
    { MAIL: 'on', SMTP_URL: sink.url, MAIL_RETRY_BASE_MS: '50', MAIL_MAX_ATTEMPTS: '20', AUTO_INVITE: 'off', LOG_LEVEL: 'debug' },
    { workers: true, logTo },
  );
  for (const queue of context.queues.queues()) queue.on('active', (job: Job) => jobPayloads.push({ queue: queue.name, data: job.data }));
});
afterAll(async () => {
  await context.close();
  await sink.stop();
});

const admin = () => bearer(context.adminKey);
const to = (address: string) => (mail: ParsedMail) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address;
const mailsCollection = () => MailModel.db.db!.collection('mail_outbox');

/** The local wall-clock time of `at` in `zone`, by Intl (not the library the service formats with). */
function localTime(at: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  return `${parts.find((part) => part.type === 'hour')!.value}:${parts.find((part) => part.type === 'minute')!.value}`;
}

describe('"request received" to the contact', () => {
  it("mails a Polish museum's contact in Polish, with user values escaped in the HTML part", async () => {
    const requester = await createKey(context.app, admin(), { role: 'requester' });
    const address = `ewa.${Date.now()}@muzeum.example.pl`;
    const title = 'Wystawa <b>"Łodzie" & sieci</b>';
    const id = await submitRequest(context.app, requester, {
      title,
      organization: { name: 'Muzeum Rybołówstwa w Tolkmicku', type: 'cultural', country: 'PL' },
      languages: ['pl', 'en'],
      contact: { name: 'Ewa Zielińska', email: address },
    });

    const [mail] = await sink.waitFor(1, to(address));
    expect(mail!.subject).toBe(`Otrzymaliśmy Państwa zapytanie „${title}”`);
    expect(mail!.headers.get('content-language')).toBe('pl');
    expect(mail!.from?.value).toEqual([{ name: 'South Baltic Consultations', address: 'no-reply@localhost' }]);
    expect(mail!.messageId).toBe(`<${mailIdFor(`request.received:${id}`, `contact:${id}`)}@localhost>`);
    expect(mail!.text).toContain('Dzień dobry, Ewa Zielińska,');
    expect(mail!.text).toContain('Co dalej');
    expect(mail!.text).toContain('Każdy zaproszony ekspert ma 72 godziny na odpowiedź');
    expect(mail!.text).toContain('łącznie do 5 ekspertów');
    expect(mail!.text).toContain('Organizacja: Muzeum Rybołówstwa w Tolkmicku (instytucja kultury)');
    expect(mail!.text).toContain('Miejsce: Police, Polska');
    const html = mail!.html as string;
    expect(html).toContain('Wystawa &lt;b&gt;&quot;Łodzie&quot; &amp; sieci&lt;/b&gt;');
    expect(html).not.toContain('<b>');
    expect(html).toContain('<html lang="pl">');
  });

  it('sends nothing for a request without a contact', async () => {
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const id = await submitRequest(context.app, partner, { contact: undefined });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await mailsCollection().countDocuments({ requestId: id })).toBe(0);
  });
});

describe('the invitation to the expert', () => {
  it('mails a Lithuanian expert in Lithuanian, with the reasons and the expiry in Europe/Vilnius, named', async () => {
    const address = `ruta.${Date.now()}@studija.example.lt`;
    const expert = await createExpert(context.app, admin(), {
      name: 'Rūta Petrauskienė',
      email: address,
      languages: ['lt', 'en'],
      preferredLanguage: 'lt',
      location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
      modes: ['online'],
    });
    const partner = await createKey(context.app, admin(), { role: 'partner' });
    const id = await submitRequest(context.app, partner, {
      organization: { name: 'Neringos jaunimo kultūros NVO', type: 'ngo', country: 'LT' },
      title: 'Parodos maršrutas',
      languages: ['lt'],
      location: { country: 'LT', city: 'Nida' },
      mode: 'online',
      deadline: '2027-04-30',
      contact: undefined,
    });
    await waitForStage(context.app, partner, id, 'matched');
    const invited = await api(context.app).post(`/v1/requests/${id}/invitations`).set(partner).send({ expertId: expert.id }).expect(201);
    const expiresAt = new Date(invited.body.expiresAt);

    const [mail] = await sink.waitFor(1, to(address));
    expect(mail!.subject).toBe('Kvietimas: „Parodos maršrutas“ (Neringos jaunimo kultūros NVO)');
    expect(mail!.headers.get('content-language')).toBe('lt');
    const text = mail!.text!;
    expect(text).toContain('Laba diena, Rūta Petrauskienė,');
    expect(text).toContain('Organizacija: Neringos jaunimo kultūros NVO (nevyriausybinė organizacija)');
    expect(text).toContain('Vieta: Nida, Lietuva');
    expect(text).toContain('Darbo būdas: nuotoliu');
    expect(text).toContain('Pageidaujama iki: 2027 m. balandžio 30 d.');
    expect(text).toContain('Kodėl jūs');
    const why = text.slice(text.indexOf('Kodėl jūs'), text.indexOf('Prašome atsakyti'));
    expect(why.split('\n').filter((line) => line.startsWith('- '))).toEqual([
      '- Bendri įgūdžiai: ekspozicijų dizainas',
      '- Profilio tekste yra: design ir exhibition',
      '- Kalba pirmąja užklausos kalba: lietuvių',
      '- Veikia toje pačioje šalyje (Lietuva)',
      '- 3 laisvos vietos iš 3; 1 laukiantis kvietimas',
    ]);
    expect(text).toContain(`Prašome atsakyti iki`);
    expect(text).toContain(`${localTime(expiresAt, 'Europe/Vilnius')} (Europe/Vilnius)`);
    expect(localTime(expiresAt, 'Europe/Vilnius')).not.toBe(localTime(expiresAt, 'UTC'));
    expect(text).toContain('Laikas atsakyti: 72 valandos.');
    expect(text.split('\n').slice(0, 2)).toEqual([
      expect.stringMatching(/^Priimti kvietimą: http:\/\/localhost:3000\/a\/[A-Za-z0-9_-]{43}$/),
      expect.stringMatching(/^Atmesti kvietimą: http:\/\/localhost:3000\/a\/[A-Za-z0-9_-]{43}$/),
    ]);
  });
});

describe('exactly once', () => {
  it('records an event twice once, and sends one mail however many jobs run for it', async () => {
    const outbox = context.services.mailOutbox!;
    const address = `twice.${Date.now()}@example.org`;
    const mail = { eventKey: `test.twice:${Date.now()}`, recipient: 'contact:twice', kind: 'request_received' as const, requestId: 'twice', to: address, language: 'en', subject: 'Once', text: 'Once only.\n', html: '<p>Once only.</p>' };
    const [first, second] = await Promise.all([outbox.record(mail), outbox.record(mail)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const id = mailIdFor(mail.eventKey, mail.recipient);
    // Duplicate jobs for the same attempt, as a stalled worker or a second enqueue would make them.
    await Promise.all(['a', 'b', 'c'].map((suffix) => context.queues.queue('mail-delivery').add({ mailId: id, attempt: 1 }, { jobId: `duplicate:${id}:${suffix}` })));
    await sink.waitFor(1, to(address));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(sink.mails.filter(to(address))).toHaveLength(1);
    expect(await outbox.deliver(id, 1)).toBe('skipped');
    expect((await mailsCollection().findOne({ _id: id as never }))?.status).toBe('sent');
  });
});

describe('the SMTP server down during a flow', () => {
  it('delivers every mail exactly once after it comes back, with the same Message-ID it was given', async () => {
    await sink.stop();
    const requester = await createKey(context.app, admin(), { role: 'requester' });
    const expert = await createExpert(context.app, admin(), { email: `down-expert.${Date.now()}@example.org` });
    const addresses = [1, 2, 3].map((n) => `down${n}.${Date.now()}@example.org`);
    const ids = [];
    for (const email of addresses) ids.push(await submitRequest(context.app, requester, { contact: { name: 'Ola', email } }));
    await waitForStage(context.app, requester, ids[0]!, 'matched');
    await api(context.app).post(`/v1/requests/${ids[0]}/invitations`).set(requester).send({ expertId: expert.id }).expect(201);

    const deadline = Date.now() + 5000;
    let failing = 0;
    while (failing < 4 && Date.now() < deadline) {
      failing = await mailsCollection().countDocuments({ requestId: { $in: ids }, attemptCount: { $gte: 2 } } as never);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(failing).toBe(4);
    const failed = await mailsCollection().findOne({ requestId: ids[1] } as never);
    expect(failed?.lastError).toMatch(/^ECONNECTION|^ESOCKET/);
    expect(sink.mails.filter((mail) => addresses.some((address) => to(address)(mail)))).toHaveLength(0);

    await sink.start();
    const everyAddress = [...addresses, `down-expert`];
    const arrived = await sink.waitFor(4, (mail) => everyAddress.some((address) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.text.includes(address)), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const again = sink.mails.filter((mail) => arrived.some((first) => first.messageId === mail.messageId));
    expect(again).toHaveLength(4);
    expect(new Set(again.map((mail) => mail.messageId)).size).toBe(4);
    const stored = await mailsCollection().find({ requestId: { $in: ids } } as never).toArray();
    expect(stored.map((mail) => mail.status)).toEqual(['sent', 'sent', 'sent', 'sent']);
    expect(new Set(stored.map((mail) => `<${String(mail._id)}@localhost>`))).toEqual(new Set(again.map((mail) => mail.messageId)));
  });

  it('sends a due mail whose job Redis lost when the reconciler runs', async () => {
    await sink.stop();
    const requester = await createKey(context.app, admin(), { role: 'requester' });
    const address = `lost.${Date.now()}@example.org`;
    const id = await submitRequest(context.app, requester, { contact: { name: 'Ola', email: address } });
    const mailId = mailIdFor(`request.received:${id}`, `contact:${id}`);
    let stored = await mailsCollection().findOne({ _id: mailId as never });
    while (!stored || stored.attemptCount < 1 || stored.status !== 'pending') {
      await new Promise((resolve) => setTimeout(resolve, 20));
      stored = await mailsCollection().findOne({ _id: mailId as never });
    }
    // Redis loses the mail's next job: the worker stops, any attempt in flight ends, and the queued job is removed.
    const queue = context.queues.queue('mail-delivery');
    await queue.pause(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const job of await queue.getJobs(['delayed', 'waiting'])) if ((job.data as { mailId: string }).mailId === mailId) await job.remove();
    expect((await mailsCollection().findOne({ _id: mailId as never }))?.status).toBe('pending');
    await sink.start();
    await queue.resume(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.mails.filter(to(address))).toHaveLength(0);

    const counts = await context.services.reconciler.runOnce(new Date(Date.now() + 60_000));
    expect(counts.mails).toBeGreaterThanOrEqual(1);
    await sink.waitFor(1, to(address));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.mails.filter(to(address))).toHaveLength(1);
  });
});

describe('personal data stays out of logs and jobs', () => {
  it('writes no e-mail address or contact name into any log line or job payload', () => {
    const addresses = sink.mails.flatMap((mail) => (mail.to && !Array.isArray(mail.to) ? mail.to.value.map((value) => value.address!) : []));
    expect(addresses.length).toBeGreaterThanOrEqual(8);
    expect(logLines.some((line) => line.includes('"mail sent"'))).toBe(true);
    const logs = logLines.join('\n');
    const jobs = JSON.stringify(jobPayloads);
    expect(jobs).toContain('mailId');
    for (const text of [...addresses, 'Ewa Zielińska', 'Rūta Petrauskienė']) {
      expect(logs).not.toContain(text);
      expect(jobs).not.toContain(text);
    }
  });
});
