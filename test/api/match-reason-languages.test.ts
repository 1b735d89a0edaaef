import { api } from '../helpers/contract';
import { bearer, createExpert, submitRequest, type Auth } from '../helpers/scenario';
import { startTestContext, type TestContext } from '../helpers/test-context';

let context: TestContext;
let admin: Auth;
let expertId: string;
let requestId: string;

beforeAll(async () => {
  context = await startTestContext();
  admin = bearer(context.adminKey);
  ({ id: expertId } = await createExpert(context.app, admin, {
    headline: 'Exhibition designer',
    bio: 'Exhibitions and signage for museums on the coast.',
    skills: ['exhibition design', 'wayfinding design'],
    languages: ['lt', 'en'],
    location: { country: 'LT', city: 'Klaipėda', lat: 55.7033, lon: 21.1443 },
  }));
  requestId = await submitRequest(context.app, admin, {
    organization: { name: 'Palangos gintaro muziejus', type: 'cultural', country: 'LT' },
    title: 'Amber museum',
    description: 'Since the reopening our visitors cannot find the second floor.',
    skills: ['exhibition design'],
    languages: ['lt', 'en'],
    location: { country: 'LT', city: 'Palanga', lat: 55.9175, lon: 21.0686 },
  });
});
afterAll(() => context.close());

const quote = 'visitors cannot find the second floor';
const params = [
  { code: 'shared_skills', params: { skills: [{ concept: 'exhibition-design' }] } },
  { code: 'inferred_need', params: { field: 'description', quote, concept: 'wayfinding-design' } },
  { code: 'profile_text', params: { terms: ['design', 'exhibition', 'museum'] } },
  { code: 'speaks_first_language', params: { language: 'lt' } },
  { code: 'distance', params: { km: 24, works: 'onsite' } },
  { code: 'availability', params: { free: 3, capacity: 3, pending: 0 } },
];
const messages: Record<string, string[]> = {
  en: [
    'Shares skills: exhibition design',
    `Your description ('${quote}') points to wayfinding (inferred from your words, so it counts less than a named skill)`,
    'Profile text matches: design, exhibition, and museum',
    "Speaks the request's first language, Lithuanian",
    '24 km away; works onsite',
    '3 free slots out of 3',
  ],
  pl: [
    'Wspólne umiejętności: projektowanie wystaw',
    `Państwa opis („${quote}”) wskazuje na: system informacji wizualnej (wywnioskowane z Państwa słów, więc liczy się mniej niż wprost wymieniona umiejętność)`,
    'W opisie profilu pojawiają się: design, exhibition i museum',
    'Mówi w pierwszym języku zapytania: litewski',
    'Odległość: 24 km; pracuje na miejscu',
    '3 wolne miejsca z 3',
  ],
  de: [
    'Gemeinsame Fähigkeiten: Ausstellungsgestaltung',
    `Ihre Beschreibung („${quote}“) lässt auf dieses Fachgebiet schließen: Leitsystem (aus Ihren Worten erschlossen, zählt daher weniger als eine ausdrücklich genannte Fähigkeit)`,
    'Treffer im Profiltext: design, exhibition und museum',
    'Spricht die erste Sprache der Anfrage: Litauisch',
    '24 km entfernt; arbeitet vor Ort',
    '3 freie Plätze von 3',
  ],
  lt: [
    'Bendri įgūdžiai: ekspozicijų dizainas',
    `Jūsų aprašymas („${quote}“) rodo, kad reikia šios srities: orientavimosi sistemos (nustatyta iš jūsų žodžių, todėl vertinama mažiau nei tiesiogiai nurodytas įgūdis)`,
    'Profilio tekste yra: design, exhibition ir museum',
    'Kalba pirmąja užklausos kalba: lietuvių',
    'Atstumas: 24 km; dirba vietoje',
    '3 laisvos vietos iš 3',
  ],
  sv: [
    'Gemensamma färdigheter: utställningsdesign',
    `Din beskrivning (”${quote}”) pekar på skyltning (härlett ur dina ord, så det väger lättare än en uttryckligen angiven färdighet)`,
    'Träffar i profiltexten: design, exhibition och museum',
    'Talar förfrågans första språk, litauiska',
    '24 km bort; arbetar på plats',
    '3 lediga platser av 3',
  ],
};
const expected = (language: string) => params.map((reason, position) => ({ ...reason, message: messages[language]![position] }));

const explain = (acceptLanguage?: string) => {
  const call = api(context.app).get(`/v1/requests/${requestId}/matches/${expertId}`).set(admin);
  return (acceptLanguage === undefined ? call : call.set('Accept-Language', acceptLanguage)).expect(200);
};

describe('GET /v1/requests/{id}/matches/{expertId} with Accept-Language', () => {
  it.each(['pl', 'de', 'lt', 'sv', 'en'])('writes every reason message in %s, with the same codes and params', async (language) => {
    const response = await explain(language);
    expect(response.headers['content-language']).toBe(language);
    expect(response.headers.vary).toMatch(/Accept-Language/);
    expect(response.body.reasons).toEqual(expected(language));
  });

  it('answers in English without Accept-Language, when none of its languages is written, or to a malformed one', async () => {
    for (const header of [undefined, 'fr-FR, fr;q=0.9', '*', ',;q=x, ;;', 'pl;q=0']) {
      const response = await explain(header);
      expect({ header, language: response.headers['content-language'], reasons: response.body.reasons }).toEqual({ header, language: 'en', reasons: expected('en') });
    }
  });

  it('chooses the most preferred written language by quality', async () => {
    const response = await explain('fr;q=1, sv;q=0.4, de-AT;q=0.8, en;q=0.1');
    expect(response.headers['content-language']).toBe('de');
    expect(response.body.reasons).toEqual(expected('de'));
  });
});

describe('GET /v1/requests/{id}/matches with Accept-Language', () => {
  it('renders each candidate reason in the language asked for', async () => {
    const response = await api(context.app).get(`/v1/requests/${requestId}/matches`).set(admin).set('Accept-Language', 'lt-LT').expect(200);
    expect(response.headers['content-language']).toBe('lt');
    const candidate = (response.body.items as Array<{ expertId: string; reasons: unknown }>).find((item) => item.expertId === expertId);
    expect(candidate?.reasons).toEqual(expected('lt'));
  });
});

describe('GET /v1/experts/{id}/matches with Accept-Language', () => {
  it('speaks to the expert of "the request" rather than "your description"', async () => {
    const response = await api(context.app).get(`/v1/experts/${expertId}/matches`).set(admin).set('Accept-Language', 'pl').expect(200);
    expect(response.headers['content-language']).toBe('pl');
    const match = (response.body.items as Array<{ requestId: string; reasons: Array<{ code: string }> }>).find((item) => item.requestId === requestId);
    expect(match?.reasons.find((reason) => reason.code === 'inferred_need')).toEqual({
      ...params[1],
      message: `Opis zapytania („${quote}”) wskazuje na: system informacji wizualnej (wywnioskowane ze słów zapytania, więc liczy się mniej niż wprost wymieniona umiejętność)`,
    });
  });
});

describe('exclusions with Accept-Language', () => {
  it('gives each failed constraint its code and params, worded in the language asked for', async () => {
    const { id: farAway } = await createExpert(context.app, admin, {
      skills: ['exhibition design'],
      languages: ['de'],
      modes: ['online'],
      capacity: 1,
      location: { country: 'DE', city: 'Rostock', lat: 54.0887, lon: 12.1407 },
    });
    const params = [
      { code: 'no_shared_language', params: { speaks: ['de'], needs: ['lt', 'en'] } },
      { code: 'mode_mismatch', params: { mode: 'onsite' } },
    ];
    const worded: Record<string, string[]> = {
      en: ['No shared language (speaks German; the request needs Lithuanian and English)', 'Does not work onsite'],
      pl: ['Brak wspólnego języka (mówi: niemiecki; zgłoszenie wymaga: litewski i angielski)', 'Nie pracuje na miejscu'],
      de: ['Keine gemeinsame Sprache (spricht Deutsch; die Anfrage braucht Litauisch und Englisch)', 'Arbeitet nicht vor Ort'],
      lt: ['Nėra bendros kalbos (kalba: vokiečių; užklausai reikia: lietuvių ir anglų)', 'Nedirba vietoje'],
      sv: ['Inget gemensamt språk (talar tyska; förfrågan behöver litauiska och engelska)', 'Arbetar inte på plats'],
    };
    for (const [language, messages] of Object.entries(worded)) {
      const response = await api(context.app).get(`/v1/requests/${requestId}/matches/${farAway}`).set(admin).set('Accept-Language', language).expect(200);
      expect(response.body.feasible).toBe(false);
      expect(response.body.exclusions).toEqual(params.map((exclusion, position) => ({ ...exclusion, message: messages[position] })));
    }
  });
});
