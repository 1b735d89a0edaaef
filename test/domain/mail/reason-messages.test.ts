import type { MatchReason } from '../../../src/domain/matching';
import { localiseReasons, reasonMessage } from '../../../src/matching/reason-messages';

const shared: MatchReason = { code: 'shared_skills', params: { skills: [{ concept: 'exhibition-design' }, { concept: 'wayfinding-design' }, { tag: 'amber' }] } };
const quote = 'visitors cannot find the second floor';
const inferred: MatchReason = { code: 'inferred_need', params: { field: 'description', quote, concept: 'wayfinding-design' } };

describe('reasonMessage', () => {
  it('names concepts by the taxonomy label in the reader language and keeps free tags as written', () => {
    expect(reasonMessage(shared, 'en', 'organisation')).toBe('Shares skills: exhibition design, wayfinding, and amber');
    expect(reasonMessage(shared, 'pl', 'organisation')).toBe('Wspólne umiejętności: projektowanie wystaw, system informacji wizualnej i amber');
    expect(reasonMessage(shared, 'de', 'organisation')).toBe('Gemeinsame Fähigkeiten: Ausstellungsgestaltung, Leitsystem und amber');
    expect(reasonMessage(shared, 'lt', 'organisation')).toBe('Bendri įgūdžiai: ekspozicijų dizainas, orientavimosi sistemos ir amber');
    expect(reasonMessage(shared, 'sv', 'organisation')).toBe('Gemensamma färdigheter: utställningsdesign, skyltning och amber');
  });

  it("quotes the request's own words, addressing the organisation and speaking of the request to an expert", () => {
    expect(reasonMessage(inferred, 'en', 'organisation')).toBe(
      "Your description ('visitors cannot find the second floor') points to wayfinding (inferred from your words, so it counts less than a named skill)",
    );
    expect(reasonMessage(inferred, 'en', 'expert')).toBe(
      "The request's description ('visitors cannot find the second floor') points to wayfinding (inferred from its words, so it counts less than a named skill)",
    );
    const fromTitle: MatchReason = { code: 'inferred_need', params: { field: 'title', quote, concept: 'wayfinding-design', related: 'exhibition-design' } };
    expect(reasonMessage(fromTitle, 'lt', 'expert')).toBe(
      'Užklausos pavadinimas („visitors cannot find the second floor“) rodo, kad reikia šios srities: orientavimosi sistemos; susijusi sritis: ekspozicijų dizainas (nustatyta iš užklausos žodžių, todėl vertinama mažiau nei tiesiogiai nurodytas įgūdis)',
    );
  });

  it('names languages and countries as the reader does (CLDR)', () => {
    const reasons: MatchReason[] = [
      { code: 'speaks_first_language', params: { language: 'lt' } },
      { code: 'speaks_languages', params: { languages: ['en', 'de'] } },
      { code: 'country_relation', params: { relation: 'neighbour', country: 'PL' } },
      { code: 'cross_border', params: { from: 'PL', to: 'DE' } },
    ];
    expect(reasons.map((reason) => reasonMessage(reason, 'de', 'organisation'))).toEqual([
      'Spricht die erste Sprache der Anfrage: Litauisch',
      'Spricht Englisch und Deutsch',
      'In einem Nachbarland ansässig (Polen)',
      'Grenzüberschreitend: Polen → Deutschland',
    ]);
    expect(reasons.map((reason) => reasonMessage(reason, 'pl', 'organisation'))).toEqual([
      'Mówi w pierwszym języku zapytania: litewski',
      'Zna języki: angielski i niemiecki',
      'Ma siedzibę w sąsiednim kraju (Polska)',
      'Współpraca transgraniczna: Polska → Niemcy',
    ]);
  });

  it('says "less than 1 km" for a distance of 0 and formats larger ones as numbers of the language', () => {
    expect(reasonMessage({ code: 'distance', params: { km: 0, works: 'online_only' } }, 'sv', 'organisation')).toBe('Mindre än 1 km bort; arbetar bara på distans');
    expect(reasonMessage({ code: 'distance', params: { km: 1204, works: 'onsite' } }, 'en', 'organisation')).toBe('1,204 km away; works onsite');
    expect(reasonMessage({ code: 'distance', params: { km: 96, works: 'onsite' } }, 'lt', 'organisation')).toBe('Atstumas: 96 km; dirba vietoje');
  });

  const counts = [1, 2, 5, 11, 21, 22, 25];
  const slots = (language: 'pl' | 'lt', pending = 0) => counts.map((free) => reasonMessage({ code: 'availability', params: { free, capacity: 30, pending } }, language, 'expert'));

  it('writes free slots in the three Polish forms', () => {
    expect(slots('pl')).toEqual([
      '1 wolne miejsce z 30',
      '2 wolne miejsca z 30',
      '5 wolnych miejsc z 30',
      '11 wolnych miejsc z 30',
      '21 wolnych miejsc z 30',
      '22 wolne miejsca z 30',
      '25 wolnych miejsc z 30',
    ]);
  });

  it('writes free slots in the three Lithuanian forms', () => {
    expect(slots('lt')).toEqual([
      '1 laisva vieta iš 30',
      '2 laisvos vietos iš 30',
      '5 laisvos vietos iš 30',
      '11 laisvų vietų iš 30',
      '21 laisva vieta iš 30',
      '22 laisvos vietos iš 30',
      '25 laisvos vietos iš 30',
    ]);
  });

  it('adds pending invitations only when there are some', () => {
    expect(reasonMessage({ code: 'availability', params: { free: 2, capacity: 3, pending: 0 } }, 'en', 'expert')).toBe('2 free slots out of 3');
    expect(reasonMessage({ code: 'availability', params: { free: 1, capacity: 3, pending: 2 } }, 'en', 'expert')).toBe('1 free slot out of 3; 2 invitations pending');
    expect(reasonMessage({ code: 'availability', params: { free: 1, capacity: 3, pending: 5 } }, 'pl', 'expert')).toBe('1 wolne miejsce z 3; 5 oczekujących zaproszeń');
  });

  it('falls back to the id for a concept the taxonomy no longer has', () => {
    expect(reasonMessage({ code: 'related_expertise', params: { concepts: ['retired-concept'] } }, 'de', 'organisation')).toBe('Verwandte Fachgebiete: retired-concept');
  });
});

describe('localiseReasons', () => {
  it('adds the message and leaves code and params as they were', () => {
    const [localised] = localiseReasons([shared], 'sv', 'organisation');
    expect(localised).toEqual({ ...shared, message: 'Gemensamma färdigheter: utställningsdesign, skyltning och amber' });
  });
});
