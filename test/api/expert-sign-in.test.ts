import { createHash } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { api } from '../helpers/contract';
import { createExpert, createKey, invitationsOf, invite, submitRequest, waitForStage } from '../helpers/scenario';
import { uniqueSuffix } from '../helpers/test-context';
import { csrfOf, to, useMailedPages, visitors } from '../helpers/page-visitors';

const LINK = /https:\/\/consult\.example\.test\/a\/([A-Za-z0-9_-]{43})/;

const pages = useMailedPages();

const browser = visitors(() => pages.context.app, '198.51.100');
const sessions = () => mongoose.connection.db!.collection('sessions');
const path = (url: string) => new URL(url).pathname;

/** An expert who prefers Lithuanian, invited to a fresh Polish request; their address and the invitation's id. */
async function invitedExpert() {
  const email = `ruta.${uniqueSuffix()}@example.lt`;
  const expert = await createExpert(pages.context.app, pages.admin, { name: 'Rūta Jonaitienė', email, languages: ['lt', 'pl', 'en'], preferredLanguage: 'lt' });
  const owner = await createKey(pages.context.app, pages.admin, { role: 'partner' });
  const requestId = await submitRequest(pages.context.app, owner);
  await waitForStage(pages.context.app, owner, requestId, 'matched');
  const invitation = await invite(pages.context, owner, requestId, expert.id);
  // The invitation mail first, so the next mail to the address is the sign-in link's.
  await pages.sink.waitFor(1, to(email));
  return { email, expertId: expert.id, invitationId: invitation.id, requestId };
}

/** Asks for a sign-in link as `person` and returns the link's path from the mail. */
async function signInLink(person: ReturnType<typeof browser>, email: string): Promise<string> {
  const before = pages.sink.mails.filter(to(email)).length;
  await person.post('/experts/login').send({ email }).expect(303).expect('Location', '/experts/login/sent');
  const mails = await pages.sink.waitFor(before + 1, to(email));
  return path(LINK.exec(mails[before]!.text!)![0]);
}

async function signIn(email: string) {
  const person = browser();
  const link = await signInLink(person, email);
  const signedIn = await person.post(link).send('').expect(303).expect('Location', '/experts/home');
  person.keep(signedIn.headers['set-cookie'] as unknown as string[]);
  return person;
}

describe('signing in as an expert with a link by mail', () => {
  it('mails a single-use link in the expert’s language; its GET only shows, its POST starts a session with a signed, httpOnly, SameSite=Lax cookie', async () => {
    const { email } = await invitedExpert();
    const person = browser();
    const page = await person.get('/experts/login?lang=lt').expect(200);
    expect(page.text).toContain('<html lang="lt">');
    expect(page.text).toContain('name="email"');

    const link = await signInLink(person, email);
    const [mail] = pages.sink.mails.filter(to(email)).slice(-1);
    expect(mail!.subject).toBe('Jūsų prisijungimo nuoroda');
    expect(mail!.text).toContain('15 minučių');

    const shown = await person.get(link).expect(200);
    expect(shown.text).toContain('Prisijungti');
    expect(shown.headers['set-cookie']).toBeUndefined();
    await person.get('/experts/home').expect(303).expect('Location', '/experts/login');

    const pressed = await person.post(link).send('').expect(303).expect('Location', '/experts/home');
    const cookie = (pressed.headers['set-cookie'] as unknown as string[]).find((line) => line.startsWith('expert_session='))!;
    expect(cookie).toMatch(/^expert_session=s%3A[A-Za-z0-9_-]{43}\.[^;]+; Max-Age=28800; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
    // The database keeps the session id's hash, never the id itself.
    const raw = decodeURIComponent(cookie.split(';')[0]!.split('=')[1]!).slice(2).split('.')[0]!;
    expect(await sessions().countDocuments({ _id: createHash('sha256').update(raw).digest('hex') } as never)).toBe(1);
    expect(await sessions().countDocuments({ _id: raw } as never)).toBe(0);

    // The link worked once.
    const again = await browser().post(link).send('').expect(410);
    expect(again.text).toContain('Šios prisijungimo nuorodos nebegalima naudoti');
  });

  it('says the same for an address no profile has, sends nothing, and shows a bad address beside the field', async () => {
    const person = browser();
    const nobody = `nobody.${uniqueSuffix()}@example.org`;
    await person.post('/experts/login').send({ email: nobody }).expect(303).expect('Location', '/experts/login/sent');
    const wrong = await person.post('/experts/login?lang=de').send({ email: 'not-an-address' }).expect(400);
    expect(wrong.text).toContain('<p class="error" id="email-error">');
    expect(wrong.text).toContain('value="not-an-address"');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(pages.sink.mails.filter(to(nobody))).toHaveLength(0);
  });

  it('shows the expert’s open invitation with why they were matched, and accepts it only with the session’s CSRF token', async () => {
    const { email, invitationId, requestId } = await invitedExpert();
    const person = await signIn(email);
    const home = await person.get('/experts/home').expect(200);
    expect(home.text).toContain('<html lang="lt">');
    expect(home.text).toContain('Atviri kvietimai');
    expect(home.text).toContain('Nowa wystawa stała o historii portu');
    expect(home.text).toMatch(/Kodėl buvote pasiūlyti<\/h4>\s*<ul>\s*<li>/);
    const token = csrfOf(home.text);
    expect(token).toMatch(/^[0-9a-f]{64,}$/);

    const status = async () => (await invitationsOf(pages.context.app, pages.admin, requestId)).find((invitation) => invitation.id === invitationId)?.status;
    // No token, or the token of another session, changes nothing.
    const refused = await person.post(`/experts/invitations/${invitationId}/accept`).send({}).expect(403);
    expect(refused.text).toContain('Ši forma nebegalioja');
    const other = await signIn((await invitedExpert()).email);
    const othersToken = csrfOf((await other.get('/experts/home').expect(200)).text);
    await person.post(`/experts/invitations/${invitationId}/accept`).send({ _csrf: othersToken }).expect(403);
    // Another site's form is refused even with the right token.
    await person.post(`/experts/invitations/${invitationId}/accept`).set('Origin', 'https://evil.example').send({ _csrf: token }).expect(403);
    expect(await status()).toBe('pending');

    await person.post(`/experts/invitations/${invitationId}/accept`).send({ _csrf: token }).expect(303).expect('Location', '/experts/home?done=accepted');
    expect(await status()).toBe('accepted');
    const after = await person.get('/experts/home?done=accepted').expect(200);
    expect(after.text).toContain('Priėmėte kvietimą');
    expect(after.text).toContain('Jūsų konsultacijos');
    // Answering again changes nothing and says so.
    await person.post(`/experts/invitations/${invitationId}/decline`).send({ _csrf: token }).expect(409);
    expect(await status()).toBe('accepted');
  });

  it('declines with a reason; signing out ends the session everywhere', async () => {
    const { email, invitationId, requestId } = await invitedExpert();
    const person = await signIn(email);
    const token = csrfOf((await person.get('/experts/home').expect(200)).text);
    await person.post(`/experts/invitations/${invitationId}/decline`).send({ _csrf: token, reason: 'Kitą mėnesį esu užsienyje.' }).expect(303);
    const declined = (await invitationsOf(pages.context.app, pages.admin, requestId)).find((invitation) => invitation.id === invitationId) as { status: string; declineReason?: string } | undefined;
    expect([declined?.status, declined?.declineReason]).toEqual(['declined', 'Kitą mėnesį esu užsienyje.']);

    const copied = person.cookie;
    await person.post('/experts/sign-out').send({ _csrf: token }).expect(303).expect('Location', '/experts/signed-out');
    await request(pages.context.app).get('/experts/home').set('Cookie', copied).expect(303).expect('Location', '/experts/login');
    // A tampered cookie is no session either.
    await request(pages.context.app).get('/experts/home').set('Cookie', copied.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'))).expect(303);
  });

  it('erasing the expert ends their sessions', async () => {
    const { email, expertId } = await invitedExpert();
    const person = await signIn(email);
    await person.get('/experts/home').expect(200);
    expect(await sessions().countDocuments({ expertId })).toBe(1);
    await api(pages.context.app).delete(`/v1/experts/${expertId}`).set(pages.admin).expect(204);
    expect(await sessions().countDocuments({ expertId })).toBe(0);
    await person.get('/experts/home').expect(303).expect('Location', '/experts/login');
  });
});
