// `npm run demo`: drives a running service through one whole consultation over HTTP and prints each step.
// Uses ADMIN_API_KEY, or the development admin key a service started without one keeps in DATA_DIR.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const baseUrl = process.env.DEMO_URL ?? `http://localhost:${process.env.PORT ?? 3000}`;
const adminKey = process.env.ADMIN_API_KEY ?? readDevelopmentKey();

function readDevelopmentKey(): string {
  const file = path.resolve(process.env.DATA_DIR ?? 'data', 'admin-api-key');
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    throw new Error(`no ADMIN_API_KEY and no ${file}: start the service first (npm start) or set ADMIN_API_KEY`);
  }
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call(method: string, url: string, key: string, body?: unknown): Promise<Json> {
  const response = await fetch(`${baseUrl}${url}`, {
    method,
    headers: { Authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = (await response.json()) as Json;
  if (!response.ok) throw new HttpError(response.status, `${method} ${url} → ${response.status}: ${payload.detail ?? JSON.stringify(payload)}`);
  return payload;
}

let stepNumber = 0;
const step = (title: string) => console.log(`\n${(stepNumber += 1)}. ${title}`);
const show = (line: string) => console.log(`   ${line}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForStage(requestId: string, key: string, stages: string[]): Promise<Json> {
  for (let tries = 0; tries < 100; tries += 1) {
    const request = await call('GET', `/v1/requests/${requestId}`, key);
    if (stages.includes(request.stage)) return request;
    await sleep(100);
  }
  throw new Error(`request ${requestId} did not reach ${stages.join(' or ')}`);
}

async function pendingInvitationOf(requestId: string): Promise<Json | undefined> {
  let cursor: string | null = null;
  do {
    const page: Json = await call('GET', `/v1/invitations?status=pending&limit=100${cursor ? `&cursor=${cursor}` : ''}`, adminKey);
    const found = page.items.find((invitation: Json) => invitation.requestId === requestId);
    if (found) return found;
    cursor = page.nextCursor;
  } while (cursor);
  return undefined;
}

/**
 * The request's pending invitation, and who sent it. The service's own matching job invites the best expert when
 * AUTO_INVITE is on, maybe at this very moment: the demo gives it a moment, invites only if nobody was invited, and
 * when its invitation loses to the job's (409) reads the request again and goes on with the job's.
 */
async function invitationOf(requestId: string, partnerKey: string): Promise<{ invitation: Json; by: string }> {
  const inviteAfter = Date.now() + 2000;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const request = await call('GET', `/v1/requests/${requestId}`, partnerKey);
    if (request.stage === 'invited') {
      // The request moves to invited just before its invitation is written.
      const invitation = await pendingInvitationOf(requestId);
      if (invitation) return { invitation, by: 'the service (auto-invite)' };
    } else if (request.stage !== 'matched') {
      throw new Error(`request ${requestId} is ${request.stage}: there is no invitation to accept`);
    } else if (Date.now() >= inviteAfter) {
      try {
        return { invitation: await call('POST', `/v1/requests/${requestId}/invitations`, partnerKey, {}), by: 'the partner' };
      } catch (error) {
        if (!(error instanceof HttpError && error.status === 409)) throw error;
      }
    }
    await sleep(100);
  }
  throw new Error(`request ${requestId} has no pending invitation after 20 s`);
}

/**
 * The mails the embedded mailbox kept for `address` (newest first), waiting up to `timeoutMs` for at least `count`;
 * undefined when the service has no mailbox (production, SMTP_URL set, or MAIL=off).
 */
async function mailsTo(address: string, count: number, timeoutMs = 10_000): Promise<Json[] | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${baseUrl}/dev/mailbox.json`, { headers: { Authorization: `Bearer ${adminKey}` } });
    if (response.status === 404) return undefined;
    const mails = ((await response.json()) as Json).items.filter((mail: Json) => mail.to === address);
    if (mails.length >= count || Date.now() > deadline) return mails;
    await sleep(100);
  }
}

async function showMails(address: string, count: number): Promise<void> {
  const mails = await mailsTo(address, count);
  if (!mails) return show('(no development mailbox here: mails go to SMTP_URL, or MAIL=off)');
  for (const mail of mails) show(`✉ to ${mail.to} [${mail.language}]: ${mail.subject}`);
}

/** The one-click links of `mail` in the order it shows them (a mail's action links come first, in their order). */
const actionLinksOf = (mail: Json): string[] => mail.text.match(/https?:\/\/\S+\/a\/[A-Za-z0-9_-]{43}/g) ?? [];

const demoStartedAt = new Date().toISOString();

/**
 * The newest mail of `kind` about `title` kept for `address` since this demo started, waiting for it (an expert of
 * the seed may hold mails of other requests); undefined when the service has no mailbox.
 */
async function newestMail(address: string, kind: string, title: string): Promise<Json | undefined> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const mails = await mailsTo(address, 0, 0);
    if (!mails) return undefined;
    const found = mails.find((mail) => mail.kind === kind && mail.keptAt >= demoStartedAt && mail.text.includes(title));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${address} after 10 s`);
    await sleep(100);
  }
}

/**
 * Presses a one-click link as its recipient would: a GET that only shows the page with its button, then the page's
 * POST (with `form`, the page's fields). Prints both and returns the title of the page the POST answered.
 */
async function press(link: string, form: Record<string, string> = {}): Promise<void> {
  const shown = await fetch(link);
  show(`GET  ${redactToken(link)} → ${shown.status} "${pageTitle(await shown.text())}" (a GET only shows: mail scanners open links)`);
  const pressed = await fetch(link, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
  const page = await pressed.text();
  if (!pressed.ok) throw new Error(`POST of ${redactToken(link)} → ${pressed.status}: ${pageTitle(page)}`);
  show(`POST ${redactToken(link)} → ${pressed.status} "${pageTitle(page)}" (the button on that page)`);
}

/** A link with its token hidden: the token is the secret that lets anyone answer for the expert. */
const redactToken = (link: string) => link.replace(/\/a\/[A-Za-z0-9_-]+$/, '/a/…');

const pageTitle = (html: string) => /<h1>([^<]*)<\/h1>/.exec(html)?.[1] ?? '(no title)';

const expertKeyFor = (expertId: string) => call('POST', '/v1/api-keys', adminKey, { role: 'expert', label: `Demo expert ${expertId}`, expertId });

async function main(): Promise<void> {
  const ready = await fetch(`${baseUrl}/readyz`).catch(() => undefined);
  if (!ready?.ok) throw new Error(`the service at ${baseUrl} is not ready: start it with npm start`);
  const run = Date.now().toString(36);

  step('An admin creates a key for a partner site');
  const partner = await call('POST', '/v1/api-keys', adminKey, { role: 'partner', label: `Demo partner ${run}` });
  show(`partner key ${partner.id} (the secret is shown once and stored only as a hash)`);

  step('The partner registers two experts');
  const experts = [
    { name: 'Rūta Demo-Jonaitienė', city: 'Klaipėda', lat: 55.7033, lon: 21.1443, skills: ['garso dizainas', 'sound installation', 'exhibition design'], languages: ['lt', 'en'], preferredLanguage: 'lt' },
    { name: 'Ola Demo-Lindqvist', city: 'Karlshamn', lat: 56.1706, lon: 14.8619, skills: ['sound design', 'museum education'], languages: ['sv', 'en', 'lt'], preferredLanguage: 'sv' },
  ];
  for (const [index, expert] of experts.entries()) {
    const created = await call('POST', '/v1/experts', partner.key, {
      name: expert.name,
      email: `demo.${run}.${index}@example.org`,
      headline: 'Sound and exhibition designer',
      skills: expert.skills,
      languages: expert.languages,
      preferredLanguage: expert.preferredLanguage,
      location: { country: index === 0 ? 'LT' : 'SE', city: expert.city, lat: expert.lat, lon: expert.lon },
      modes: ['online', 'onsite'],
      capacity: 2,
    });
    show(`${created.name} (${created.location.city}) → ${created.id}`);
  }

  step('The partner submits a request for a museum in Rietavas (in Lithuanian), with its contact');
  const contactAddress = `muziejus.${run}@example.org`;
  const submitted = await call('POST', '/v1/requests', partner.key, {
    organization: { name: `Rietavo dvaro muziejus (demo ${run})`, type: 'cultural', country: 'LT' },
    title: 'Garso instaliacija Oginskių muzikos mokyklos ekspozicijai',
    description: 'Kuriame naują ekspoziciją apie Oginskių muzikos mokyklą. Ieškome garso dizainerio, kuris padėtų sukurti garso instaliaciją ir lankytojų maršrutą.',
    languages: ['lt', 'en'],
    location: { country: 'LT', city: 'Rietavas', lat: 55.7244, lon: 21.9319 },
    mode: 'any',
    contact: { name: 'Aldona Demo-Kazlauskienė', email: contactAddress, language: 'lt' },
  });
  show(`request ${submitted.id} is ${submitted.stage}; matching runs in the background`);
  await showMails(contactAddress, 1);

  step('The ranked matches, with the reasons for each score');
  const matched = await waitForStage(submitted.id, partner.key, ['matched', 'invited', 'unmatched']);
  const matches = await call('GET', `/v1/requests/${submitted.id}/matches?limit=5`, partner.key);
  for (const item of matches.items) {
    show(`#${item.rank} ${item.expert.name} — score ${item.score}  (skills ${item.breakdown.skills}, language ${item.breakdown.language}, location ${item.breakdown.location}, availability ${item.breakdown.availability})`);
    for (const reason of item.reasons) show(`     · ${reason.message}  [${reason.code}]`);
  }
  if (matched.stage === 'unmatched') throw new Error('no feasible expert: is the service configured with MAX_INVITATIONS ≥ 1?');

  step('Invitation');
  const { invitation: pending, by } = await invitationOf(submitted.id, partner.key);
  const verdict = await call('GET', `/v1/requests/${submitted.id}/matches/${pending.expertId}`, partner.key);
  show(`the best feasible expert (${pending.expertId}, score ${verdict.score}) is invited by ${by} until ${pending.expiresAt}`);
  await showMails((await call('GET', `/v1/experts/${pending.expertId}`, adminKey)).email, 1);

  step('The invited expert accepts through the Accept link in their invitation mail');
  const expertAddress = (await call('GET', `/v1/experts/${pending.expertId}`, adminKey)).email as string;
  const invitationMail = await newestMail(expertAddress, 'invitation', submitted.title);
  const [acceptLink] = invitationMail ? actionLinksOf(invitationMail) : [];
  if (acceptLink) {
    await press(acceptLink);
  } else {
    show('(no development mailbox here, so no link to press: the expert accepts with an API key instead)');
    await call('POST', `/v1/invitations/${pending.id}/accept`, (await expertKeyFor(pending.expertId)).key);
  }
  show(`the request is now ${(await call('GET', `/v1/requests/${submitted.id}`, partner.key)).stage}; the museum is told who accepted:`);
  await showMails(contactAddress, 2);
  // The expert has no pages yet: proposing times and completing go through an expert key.
  const expertKey = await expertKeyFor(pending.expertId);

  step('The expert proposes two times (in Europe/Vilnius); the museum picks the second through its mail');
  const day = 24 * 3600 * 1000;
  const firstDay = new Date(Math.ceil((Date.now() + 14 * day) / day) * day);
  const slots = [
    { startsAt: new Date(firstDay.getTime() + 7 * 3600 * 1000).toISOString(), durationMinutes: 90 },
    { startsAt: new Date(firstDay.getTime() + day + 11 * 3600 * 1000).toISOString(), durationMinutes: 90 },
  ];
  const proposed = await call('POST', `/v1/requests/${submitted.id}/proposals`, expertKey.key, { slots, timeZone: 'Europe/Vilnius', meetingUrl: 'https://meet.example.org/rietavas' });
  for (const slot of proposed.proposal.slots) show(`slot ${slot.id}: ${slot.startsAt}, ${slot.durationMinutes} min`);
  const slotsMail = await newestMail(contactAddress, 'slots_proposed', submitted.title);
  const pickLink = slotsMail ? actionLinksOf(slotsMail)[1] : undefined;
  if (slotsMail && pickLink) {
    show(`✉ to ${slotsMail.to} [${slotsMail.language}]: ${slotsMail.subject} (one link per slot, in the order proposed)`);
    await press(pickLink);
  } else {
    show('(no development mailbox here: the partner picks the second slot through the API)');
    await call('POST', `/v1/requests/${submitted.id}/proposals/${proposed.proposal.slots[1].id}/pick`, partner.key);
  }
  const scheduled = await call('GET', `/v1/requests/${submitted.id}`, partner.key);
  show(`the request is ${scheduled.stage} for ${scheduled.schedule.startsAt}; both parties get a calendar invite:`);
  for (const address of [contactAddress, expertAddress]) {
    const mail = await newestMail(address, 'consultation_scheduled', submitted.title);
    if (mail) show(`✉ to ${mail.to} [${mail.language}]: ${mail.subject}${mail.calendar ? ` + invite.ics (METHOD:${mail.calendar})` : ''}`);
  }

  step('The consultation takes place; the museum rates it through its mail');
  show(`started: ${(await call('POST', `/v1/requests/${submitted.id}/start`, expertKey.key)).stage}`);
  show(`completed: ${(await call('POST', `/v1/requests/${submitted.id}/complete`, expertKey.key, { summary: 'Two workshops; a sound map and a listening route for three rooms.' })).stage}`);
  const ratingMail = await newestMail(contactAddress, 'rating_request', submitted.title);
  const fiveStars = ratingMail ? actionLinksOf(ratingMail)[4] : undefined;
  if (ratingMail && fiveStars) {
    show(`✉ to ${ratingMail.to} [${ratingMail.language}]: ${ratingMail.subject} (five links, 1 to 5)`);
    await press(fiveStars, { comment: 'Aišku ir praktiška.' });
  } else {
    show('(no development mailbox here: the partner gives the feedback through the API)');
    await call('POST', `/v1/requests/${submitted.id}/feedback`, partner.key, { rating: 5, comment: 'Aišku ir praktiška.' });
  }
  const closed = await call('GET', `/v1/requests/${submitted.id}`, partner.key);
  show(`the request is ${closed.stage}; the expert hears what the museum said:`);
  const feedbackMail = await newestMail(expertAddress, 'feedback_received', submitted.title);
  if (feedbackMail) show(`✉ to ${feedbackMail.to} [${feedbackMail.language}]: ${feedbackMail.subject}`);

  step('The history of the consultation');
  for (const entry of closed.history) show(`${entry.at}  ${entry.stage.padEnd(12)} by ${entry.actor.role}${entry.note ? ` — ${entry.note}` : ''}`);
  const expert = await call('GET', `/v1/experts/${pending.expertId}`, adminKey);
  show(`${expert.name} now has rating ${expert.ratingAverage} from ${expert.ratingCount} consultation(s)`);

  step('The mails');
  if (await mailsTo(contactAddress, 0, 0)) {
    show(`open ${baseUrl}/dev/mailbox in a browser to read every mail with its links (user name anything, password the admin key),`);
    show(`or ${baseUrl}/dev/mailbox.json for scripts; the .eml files are under DATA_DIR/mail`);
  } else show('this service sends its mails over SMTP_URL (or MAIL=off); there is no development mailbox');
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
