import type { Express } from 'express';
import { api } from './contract';
import type { Auth } from './factories';
import { bearer, createKey as issueKey } from './keys';
import type { TestContext } from './test-context';

export { bearer, type Auth };

let counter = 0;
const next = () => `${Date.now().toString(36)}${(counter += 1)}`;
const keyOf = (admin: Auth) => admin.Authorization.slice('Bearer '.length);

/** A key of `role` usable directly as headers (`.set(key)`), issued with the admin's key. */
export async function createKey(app: Express, admin: Auth, input: Parameters<typeof issueKey>[2]): Promise<Auth> {
  return (await issueKey(app, keyOf(admin), input)).auth;
}

/** An onsite-capable expert in Szczecin speaking Polish and English, with its own key. */
export async function createExpert(app: Express, admin: Auth, overrides: Record<string, unknown> = {}) {
  const body = {
    name: `Expert ${next()}`,
    email: `expert.${next()}@example.org`,
    headline: 'Exhibition and museum designer',
    bio: 'I design exhibitions, visitor routes and interpretation for museums around the Szczecin Lagoon.',
    skills: ['exhibition design', 'museum education'],
    languages: ['pl', 'en'],
    location: { country: 'PL', city: 'Szczecin', lat: 53.4285, lon: 14.5528 },
    modes: ['online', 'onsite'],
    capacity: 3,
    ...overrides,
  };
  const response = await api(app).post('/v1/experts').set(admin).send(body).expect(201);
  return { id: response.body.id as string, auth: await createKey(app, admin, { role: 'expert', expertId: response.body.id }) };
}

export function requestBody(overrides: Record<string, unknown> = {}) {
  return {
    organization: { name: `Muzeum ${next()}`, type: 'cultural', country: 'PL' },
    title: 'Nowa wystawa stała o historii portu',
    description: 'Szukamy projektanta wystaw, który pomoże zaprojektować nową wystawę i trasę zwiedzania w naszym muzeum.',
    skills: ['exhibition design'],
    languages: ['pl'],
    location: { country: 'PL', city: 'Police', lat: 53.5521, lon: 14.5718 },
    mode: 'onsite',
    contact: { name: 'Ewa Zielińska', email: `contact.${next()}@example.org` },
    ...overrides,
  };
}

export async function submitRequest(app: Express, auth: Auth, overrides: Record<string, unknown> = {}): Promise<string> {
  const response = await api(app).post('/v1/requests').set(auth).send(requestBody(overrides)).expect(201);
  return response.body.id;
}

/** Polls until the request reaches `stage` (background jobs move it), failing after `timeoutMs`. */
export async function waitForStage(app: Express, auth: Auth, requestId: string, stage: string, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await api(app).get(`/v1/requests/${requestId}`).set(auth).expect(200);
    if (response.body.stage === stage) return response.body;
    if (Date.now() > deadline) throw new Error(`request ${requestId} is ${response.body.stage}, expected ${stage}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export async function invitationsOf(app: Express, admin: Auth, requestId: string, status?: string) {
  const response = await api(app).get(`/v1/invitations?limit=100${status ? `&status=${status}` : ''}`).set(admin).expect(200);
  return (response.body.items as Array<{ id: string; requestId: string; expertId: string; status: string }>).filter((item) => item.requestId === requestId);
}

/** The request's pending invitations, waiting until there is at least one (jobs write them in the background). */
export async function pendingInvitations(app: Express, admin: Auth, requestId: string, timeoutMs = 8000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = await invitationsOf(app, admin, requestId, 'pending');
    if (pending.length > 0) return pending;
    if (Date.now() > deadline) throw new Error(`request ${requestId} has no pending invitation`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A request owned by a fresh partner, matched (as the matching job would) and ready for invitations by hand. */
export async function matchedRequest(context: TestContext, overrides: Record<string, unknown> = {}) {
  const owner = await createKey(context.app, bearer(context.adminKey), { role: 'partner' });
  const requestId = await submitRequest(context.app, owner, overrides);
  expect(await context.services.consultations.runMatching(requestId)).toBe('matched');
  return { owner, requestId };
}

/** The owner invites the expert through the API; the invitation as answered. */
export async function invite(context: TestContext, owner: Auth, requestId: string, expertId: string) {
  return (await api(context.app).post(`/v1/requests/${requestId}/invitations`).set(owner).send({ expertId }).expect(201)).body as { id: string; expiresAt: string };
}
