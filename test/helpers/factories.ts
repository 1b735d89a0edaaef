import type { Express } from 'express';
import type { components } from '../../src/generated/openapi';
import { api } from './contract';
import { uniqueSuffix } from './test-context';

export type ExpertInput = components['schemas']['ExpertInput'];
export type RequestInput = components['schemas']['RequestInput'];
export type Expert = components['schemas']['Expert'];
export type ConsultationRequest = components['schemas']['ConsultationRequest'];
export type Auth = { Authorization: string };

/** A tag no other test uses, e.g. as a skill to filter a list down to one test's own experts. */
export const uniqueTag = (prefix: string): string => `${prefix}-${uniqueSuffix()}`;

const EXPERT_PROFILES: Array<Omit<ExpertInput, 'email' | 'capacity' | 'status'> & { handle: string }> = [
  {
    handle: 'agnieszka.nowicka',
    name: 'Agnieszka Nowicka',
    headline: 'Exhibition and wayfinding designer',
    bio: 'I design exhibitions and signage for museums and libraries in West Pomerania.',
    skills: ['exhibition design', 'wayfinding'],
    languages: ['pl', 'en', 'de'],
    location: { country: 'PL', city: 'Szczecin', lat: 53.4285, lon: 14.5528 },
    modes: ['online', 'onsite'],
  },
  {
    handle: 'jonas.petrauskas',
    name: 'Jonas Petrauskas',
    headline: 'Brand strategist for cultural venues',
    bio: 'Branding and visitor communication for festivals and theatres on the Lithuanian coast.',
    skills: ['branding', 'visual identity'],
    languages: ['lt', 'en'],
    location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
    modes: ['online'],
  },
  {
    handle: 'greta.lindqvist',
    name: 'Greta Lindqvist',
    headline: 'Game designer and workshop facilitator',
    bio: 'Serious games and co-design workshops for schools and municipalities in Blekinge.',
    skills: ['game design', 'facilitation'],
    languages: ['sv', 'en'],
    location: { country: 'SE', city: 'Karlskrona', lat: 56.1612, lon: 15.5869 },
    modes: ['onsite'],
  },
  {
    handle: 'matthias.krueger',
    name: 'Matthias Krüger',
    headline: 'Architect for small cultural spaces',
    bio: 'Adaptive reuse of harbour buildings as studios and event spaces in Vorpommern.',
    skills: ['architecture', 'space planning'],
    languages: ['de', 'en', 'pl'],
    location: { country: 'DE', city: 'Greifswald', lat: 54.0865, lon: 13.3923 },
    modes: ['online', 'onsite'],
  },
];

const REQUESTS: RequestInput[] = [
  {
    organization: { name: 'Muzeum Rybołówstwa w Tolkmicku', type: 'cultural', country: 'PL' },
    title: 'New visitor route through the fishing museum',
    description: "We want to redesign the visitor route and the panels of our small fishing museum, with a children's corner.",
    skills: ['exhibition design', 'museum education'],
    languages: ['pl', 'en'],
    location: { country: 'PL', city: 'Tolkmicko', lat: 54.32, lon: 19.53 },
    mode: 'onsite',
    deadline: '2027-04-30',
    budget: { amount: 3000, currency: 'PLN' },
  },
  {
    organization: { name: 'Kurort Touristik Usedom', type: 'public', country: 'DE', website: 'https://usedom.example.org' },
    title: 'A shared brand for three seaside villages',
    description: 'Three villages on Usedom want one recognisable brand for off-season cultural events.',
    skills: ['branding'],
    languages: ['de'],
    location: { country: 'DE', city: 'Heringsdorf' },
    mode: 'any',
    topic: 'branding',
  },
  {
    organization: { name: 'Neringa Youth Culture NGO', type: 'ngo', country: 'LT' },
    title: 'Planning a summer residency for young makers',
    description: 'We need help structuring a four-week residency for crafts makers from around the South Baltic.',
    skills: ['project planning'],
    languages: ['lt', 'en'],
    location: { country: 'LT', city: 'Nida' },
    mode: 'online',
  },
];

let counter = 0;
const next = <Item>(items: Item[]): Item => items[counter++ % items.length]!;

/** A valid expert profile with a unique e-mail. */
export function buildExpert(overrides: Partial<ExpertInput> = {}): ExpertInput {
  const { handle, ...profile } = structuredClone(next(EXPERT_PROFILES));
  return { ...profile, email: `${handle}.${uniqueSuffix()}@example.org`, capacity: 3, status: 'active', proBono: false, ...overrides };
}

/** A valid consultation request, with a contact (required with a requester key). */
export function buildRequest(overrides: Partial<RequestInput> = {}): RequestInput {
  return { ...structuredClone(next(REQUESTS)), contact: { name: 'Anna Kowalczyk', email: `contact.${uniqueSuffix()}@example.org` }, ...overrides };
}

export async function createExpert(app: Express, auth: Auth, overrides: Partial<ExpertInput> = {}): Promise<Expert> {
  const response = await api(app).post('/v1/experts').set(auth).send(buildExpert(overrides)).expect(201);
  return response.body as Expert;
}

export async function createRequest(app: Express, auth: Auth, overrides: Partial<RequestInput> = {}): Promise<ConsultationRequest> {
  const response = await api(app).post('/v1/requests').set(auth).send(buildRequest(overrides)).expect(201);
  return response.body as ConsultationRequest;
}
