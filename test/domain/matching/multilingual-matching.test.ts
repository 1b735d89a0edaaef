import { buildExpert, buildRequest } from './fixtures/builders';
import { createEngine } from './fixtures/engine';

const engine = createEngine([
  buildExpert({ id: 'exhibitions', skills: ['exhibition design'], languages: ['pl', 'en', 'de', 'lt', 'sv'] }),
  buildExpert({ id: 'packaging', skills: ['packaging design'], languages: ['pl', 'en', 'de', 'lt', 'sv'] }),
  buildExpert({ id: 'sound', skills: ['sound design'], languages: ['pl', 'en', 'de', 'lt', 'sv'] }),
  buildExpert({ id: 'festivals', skills: ['festival production', 'crowd management'], languages: ['pl', 'en', 'de', 'lt', 'sv'] }),
  buildExpert({ id: 'funding', skills: ['EU funding'], languages: ['pl', 'en', 'de', 'lt', 'sv'] }),
]);
const topFor = (title: string, description: string, languages: string[]) =>
  engine.rank(buildRequest({ title, description, languages }), { limit: 1 })[0]?.expertId;

describe('matching across languages through shared concepts', () => {
  it('finds the expert tagged "exhibition design" for a Polish request about designing a museum exhibition', () => {
    expect(topFor('Projektowanie wystawy w muzeum', 'Muzeum miejskie przygotowuje nową wystawę stałą o historii portu.', ['pl'])).toBe('exhibitions');
  });

  it('maps inflected Lithuanian forms to the right concept', () => {
    expect(topFor('Paraiškų rengimas', 'Ieškome konsultanto, kuris padėtų gauti ES fondų finansavimą mūsų bendruomenei.', ['lt'])).toBe('funding');
    expect(topFor('Muziejaus ekspozicija', 'Reikia ekspozicijų dizaino naujai salei.', ['lt'])).toBe('exhibitions');
  });

  it('understands a German request written with compounds', () => {
    expect(topFor('Hilfe für unser Sommerfest', 'Wir brauchen Unterstützung bei der Besucherlenkung und der Festivalproduktion.', ['de'])).toBe('festivals');
  });

  it('understands a Swedish request', () => {
    expect(topFor('Ljudmiljö till utställning', 'Vi söker någon som kan arbeta med ljuddesign i tre rum.', ['sv'])).toBe('sound');
  });

  it('explains the cross-language match with the concept id, whatever the language of the request', () => {
    const request = buildRequest({ title: 'Projektowanie opakowań', description: 'Nowe opakowania dla lokalnej piekarni.', languages: ['pl'] });
    expect(engine.explain(request, 'packaging')?.reasons).toContainEqual({ code: 'shared_skills', params: { skills: [{ concept: 'packaging-design' }] } });
  });
});
