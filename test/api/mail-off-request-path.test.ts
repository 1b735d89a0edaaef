import type { ParsedMail } from 'mailparser';
import { api } from '../helpers/contract';
import { createExpert, createKey, submitRequest } from '../helpers/scenario';
import { useMailedService } from '../helpers/mailed-service';
import { MailModel } from '../../src/mail/mail-outbox.model';
import type { MailRecordJob } from '../../src/mail/deferred-mail';

// No workers: the test runs the queued jobs itself, so it can look between the answer and the mail.
const mailed = useMailedService({}, { workers: false });

const admin = () => mailed.admin;
const to = (address: string) => (mail: ParsedMail) => mail.to !== undefined && !Array.isArray(mail.to) && mail.to.value[0]?.address === address;
const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const mailsAbout = (requestId: string) => MailModel.find({ requestId }).lean();
const waitingRecordJobs = async () => (await mailed.context.queues.queue('mail-record').getWaiting()).map((job) => job.data as MailRecordJob);

/** A matched request with a contact, and two invited experts. */
async function twoInvitations() {
  const contact = { name: 'Ewa Zielińska', email: `ewa.${stamp()}@muzeum.example.pl`, language: 'pl' };
  const emails = [`ruta.${stamp()}@example.lt`, `jonas.${stamp()}@example.se`];
  const experts = [
    await createExpert(mailed.context.app, admin(), { name: 'Rūta Kazlauskienė', email: emails[0], languages: ['lt', 'pl', 'en'] }),
    await createExpert(mailed.context.app, admin(), { name: 'Jonas Berg', email: emails[1] }),
  ];
  const requester = await createKey(mailed.context.app, admin(), { role: 'requester' });
  const requestId = await submitRequest(mailed.context.app, requester, { contact });
  await mailed.context.services.consultations.runMatching(requestId);
  const invitationIds: string[] = [];
  for (const expert of experts) {
    invitationIds.push((await api(mailed.context.app).post(`/v1/requests/${requestId}/invitations`).set(requester).send({ expertId: expert.id }).expect(201)).body.id);
  }
  return { contact, emails, experts, requestId, invitationIds };
}

describe('mail off the request path', () => {
  it('an accept answers before its mails are rendered or stored; the queued jobs carry ids only, and running them (twice) stores and sends each mail once', async () => {
    const { contact, emails, experts, requestId, invitationIds } = await twoInvitations();
    for (const job of await waitingRecordJobs()) await mailed.context.services.recordLifecycleMail(job);
    const before = (await mailsAbout(requestId)).map((mail) => mail.kind).sort();
    expect(before).toEqual(['invitation', 'invitation', 'request_received']);

    await api(mailed.context.app).post(`/v1/invitations/${invitationIds[0]}/accept`).set(experts[0]!.auth).expect(200);

    // Answered: nothing of the two new mails is stored yet, only their jobs wait.
    expect((await mailsAbout(requestId)).map((mail) => mail.kind).sort()).toEqual(before);
    const jobs = await waitingRecordJobs();
    expect(jobs).toEqual(
      expect.arrayContaining([
        { notification: 'invitationAccepted', invitationId: invitationIds[0] },
        { notification: 'invitationWithdrawn', invitationId: invitationIds[1], reason: 'taken' },
      ]),
    );
    const payloads = JSON.stringify(jobs);
    for (const personal of [contact.email, contact.name, ...emails, 'Rūta', 'Jonas', '@']) expect(payloads).not.toContain(personal);

    // The worker's body, run twice as a retried job would be: each mail is stored once, sent at its first attempt.
    for (const job of [...jobs, ...jobs]) await mailed.context.services.recordLifecycleMail(job);
    await mailed.sink.waitFor(1, (mail) => to(contact.email)(mail) && mail.text!.includes('Rūta Kazlauskienė'));
    await mailed.sink.waitFor(2, to(emails[1]!));
    const stored = await mailsAbout(requestId);
    const newOnes = stored.filter((mail) => mail.kind === 'invitation_accepted' || mail.kind === 'invitation_withdrawn');
    expect(newOnes.map((mail) => [mail.kind, mail.status, mail.attemptCount]).sort()).toEqual([
      ['invitation_accepted', 'sent', 1],
      ['invitation_withdrawn', 'sent', 1],
    ]);
    expect(mailed.sink.mails.filter((mail) => newOnes.some((one) => one.messageId === mail.messageId))).toHaveLength(2);
  });

  it('stores the mail on the request path when its job cannot be queued (Redis gone), so none is lost', async () => {
    // Last in the file: the queue stays closed.
    await mailed.context.queues.queue('mail-record').close();
    const requester = await createKey(mailed.context.app, admin(), { role: 'requester' });
    const address = `karin.${stamp()}@museum.example.se`;
    const requestId = await submitRequest(mailed.context.app, requester, { contact: { name: 'Karin Lund', email: address, language: 'sv' } });

    const [received] = await mailsAbout(requestId);
    expect(received).toMatchObject({ kind: 'request_received', status: 'pending', to: address });
    // Its delivery is an ordinary queued attempt, which the worker's body sends.
    await mailed.context.services.mailOutbox!.deliver(String(received!._id), 1);
    await mailed.sink.waitFor(1, to(address));
  });
});
