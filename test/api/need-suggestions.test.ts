import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTaxonomy, type TaxonomyConcept } from '../../src/domain/matching';
import { analyseTextIn, contentTokens } from '../../src/domain/matching/text/text-analysis';
import { api } from '../helpers/contract';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: { Authorization: string };

beforeAll(async () => {
  context = await startTestContext();
  admin = { Authorization: `Bearer ${context.adminKey}` };
});
afterAll(() => context.close());

const taxonomy = parseTaxonomy(JSON.parse(readFileSync(path.resolve(__dirname, '../../seed/taxonomy/skills.json'), 'utf8')));
const wayfinding = taxonomy.concepts.find((concept) => concept.id === 'wayfinding-design') as TaxonomyConcept;
const LANGUAGES = ['en', 'pl', 'de', 'lt', 'sv'] as const;

/** The concept's first need phrase in the language with at least two content words (one word is a keyword, not a phrase). */
function needPhrase(language: (typeof LANGUAGES)[number]): string {
  const phrase = wayfinding.needs?.[language]?.find((candidate) => contentTokens(analyseTextIn(candidate, language)).length >= 2);
  if (!phrase) throw new Error(`the seed taxonomy has no ${language} need phrase of two words for wayfinding-design`);
  return phrase;
}

interface Suggestion { id: string; label: string; group: string; confidence: number; phrase: string; matchedText: string }

describe('GET /v1/skills/suggest', () => {
  it.each(LANGUAGES)('infers wayfinding design from its %s need phrase, with the phrase, the words and the label in that language', async (language) => {
    const phrase = needPhrase(language);
    const response = await api(context.app).get('/v1/skills/suggest').query({ text: `${phrase}.`, language }).set(admin).expect(200);
    expect(response.body.language).toBe(language);
    const suggestion = (response.body.items as Suggestion[]).find((item) => item.id === 'wayfinding-design');
    expect(suggestion).toEqual({
      id: 'wayfinding-design',
      label: wayfinding.labels[language]?.[0],
      group: 'museums-exhibitions',
      confidence: expect.any(Number),
      phrase,
      matchedText: expect.any(String),
    });
    expect(suggestion?.confidence).toBeGreaterThan(0.5);
    expect(suggestion?.confidence).toBeLessThanOrEqual(1);
    expect(phrase).toContain(suggestion?.matchedText);
  });

  it('quotes the words of a longer text as written, diacritics included', async () => {
    const phrase = needPhrase('pl');
    const text = `Mamy problem od otwarcia nowego skrzydła. ${phrase[0]?.toUpperCase()}${phrase.slice(1)}, a personel ciągle tłumaczy drogę.`;
    const response = await api(context.app).get('/v1/skills/suggest').query({ text, language: 'pl' }).set(admin).expect(200);
    const suggestion = (response.body.items as Suggestion[]).find((item) => item.id === 'wayfinding-design');
    expect(text).toContain(suggestion?.matchedText);
    expect(phrase.toLowerCase()).toContain(suggestion?.matchedText.toLowerCase());
  });

  it('answers an empty list for a text that describes no need', async () => {
    const response = await api(context.app).get('/v1/skills/suggest').query({ text: 'Hello, and kind regards from the harbour office.' }).set(admin).expect(200);
    expect(response.body).toEqual({ language: 'en', items: [] });
  });

  it.each([
    ['no text', {}, 'text'],
    ['a text over 2,000 characters', { text: 'visitors get lost '.repeat(112) }, 'text'],
    ['an unknown language', { text: 'people get lost', language: 'fr' }, 'language'],
    ['an unknown parameter', { text: 'people get lost', limit: '3' }, 'limit'],
  ])('refuses %s with a problem naming the field', async (_case, query, field) => {
    const response = await api(context.app).get('/v1/skills/suggest').query(query).set(admin).expect(400);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body.errors.map((error: { path: string }) => error.path)).toContain(field);
  });

  it('needs an API key', async () => {
    await api(context.app).get('/v1/skills/suggest').query({ text: 'people get lost' }).expect(401);
  });
});

describe('GET /v1/requests/{id}/matches with an inferred concept', () => {
  it('ranks the expert in the concept the description points to first, and says which words pointed there', async () => {
    const expert = await api(context.app).post('/v1/experts').set(admin).send({
      name: 'Mads Vestergaard',
      email: `mads.${Date.now()}@example.org`,
      headline: 'Designer for public buildings',
      bio: 'I plan routes, floor directories and signs for museums and hospitals.',
      skills: ['wayfinding design'],
      languages: ['en', 'da'],
      location: { country: 'DK', city: 'København' },
      modes: ['online', 'onsite'],
    }).expect(201);
    const phrase = needPhrase('en');
    const request = await api(context.app).post('/v1/requests').set(admin).send({
      organization: { name: 'Svaneke Museum', type: 'cultural', country: 'DK' },
      title: 'Our museum since the reopening',
      description: `Since we reopened, ${phrase}. We would like advice on site.`,
      skills: [],
      languages: ['en'],
      location: { country: 'DK', city: 'Svaneke' },
      mode: 'any',
    }).expect(201);
    const response = await api(context.app).get(`/v1/requests/${request.body.id}/matches`).set(admin).expect(200);
    const match = (response.body.items as Array<{ expertId: string; reasons: Array<{ code: string; params: { quote?: string }; message: string }> }>).find((item) => item.expertId === expert.body.id);
    const inferred = match?.reasons.find((reason) => reason.code === 'inferred_need');
    const quote = inferred?.params.quote ?? '';
    expect(phrase).toContain(quote);
    expect(inferred).toEqual({
      code: 'inferred_need',
      params: { field: 'description', quote: expect.stringMatching(/\w/), concept: 'wayfinding-design' },
      message: `Your description ('${quote}') points to wayfinding (inferred from your words, so it counts less than a named skill)`,
    });
    expect(response.body.items[0].expertId).toBe(expert.body.id);
  });
});
