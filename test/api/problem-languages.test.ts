import { api } from '../helpers/contract';
import { bearer, requestBody, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;
beforeAll(async () => {
  context = await startTestContext();
  admin = bearer(context.adminKey);
});
afterAll(() => context.close());

/** A request body with `count` wrong fields, each reported once. */
function invalidBody(count: number): Record<string, unknown> {
  const wrong: Record<string, unknown> = { title: '', description: 7, mode: 'telepathy', languages: ['xx'], deadline: 'soon', location: 'Gdańsk', organization: 'museum', skills: 'wayfinding', contact: 5, meetingNotes: 1 };
  return { ...requestBody(), ...Object.fromEntries(Object.entries(wrong).slice(0, count)) };
}

describe('problem details in the caller’s language (Accept-Language)', () => {
  it('words title and detail of a validation problem with each language’s plural forms, and keeps code and errors[] for programs', async () => {
    const cases: Array<[string, number, string, string]> = [
      ['pl', 2, 'Zapytanie jest nieprawidłowe', 'Nieprawidłowa treść: 2 problemy'],
      ['pl', 5, 'Zapytanie jest nieprawidłowe', 'Nieprawidłowa treść: 5 problemów'],
      ['lt', 1, 'Užklausa netinkama', 'Netinkamas turinys: 1 problema'],
      ['lt', 10, 'Užklausa netinkama', 'Netinkamas turinys: 10 problemų'],
      ['de', 3, 'Die Anfrage ist ungültig', 'Ungültiger Inhalt: 3 Probleme'],
      ['sv-SE,sv;q=0.9', 1, 'Begäran är ogiltig', 'Ogiltigt innehåll: 1 problem'],
      ['fr', 2, 'Your request is not valid', 'Invalid body: 2 problems'],
    ];
    for (const [accept, count, title, detail] of cases) {
      const response = await api(context.app).post('/v1/requests').set(admin).set('Accept-Language', accept).send(invalidBody(count)).expect(400);
      expect([response.body.title, response.body.detail, response.body.errors.length]).toEqual([title, detail, count]);
      expect(response.body.code).toBe('validation_failed');
      expect(response.headers['content-language']).toBe(accept === 'fr' ? 'en' : accept.slice(0, 2));
      expect(response.headers.vary).toMatch(/Accept-Language/);
    }
    const english = await api(context.app).post('/v1/requests').set(admin).send(invalidBody(2)).expect(400);
    const polish = await api(context.app).post('/v1/requests').set(admin).set('Accept-Language', 'pl').send(invalidBody(2)).expect(400);
    expect(polish.body.errors).toEqual(english.body.errors);
    expect(english.body.detail).toBe('Invalid body: 2 problems');
  });

  it('words not-found, authentication and unknown-route problems too', async () => {
    const missing = await api(context.app).get('/v1/requests/0123456789abcdef01234567').set(admin).set('Accept-Language', 'de').expect(404);
    expect([missing.body.title, missing.body.detail]).toEqual(['Nicht gefunden', 'Anfrage nicht gefunden']);
    const anonymous = await api(context.app).get('/v1/requests').set('Accept-Language', 'sv').expect(401);
    expect([anonymous.body.title, anonymous.body.detail]).toEqual(['Autentisering krävs', 'Skicka en API-nyckel som Authorization: Bearer <nyckel>']);
    const wrongKey = await api(context.app).get('/v1/requests').set({ Authorization: 'Bearer not-a-key' }).set('Accept-Language', 'lt').expect(401);
    expect(wrongKey.body.detail).toBe('API raktas netinkamas arba atšauktas');
    const english = await api(context.app).get('/v1/experts/0123456789abcdef01234567').set(admin).expect(404);
    expect([english.body.title, english.body.detail]).toEqual(['Not found', 'Expert not found']);
  });
});
