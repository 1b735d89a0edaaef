import { analyseText } from '../../../src/domain/matching/text/text-analysis';
import { createMatcher, fontTaxonomy } from './fixtures/matcher';

const matcher = createMatcher();
const idsOf = (mentions: ReadonlyArray<{ concept: number }>) => mentions.map(({ concept }) => matcher.graph.conceptId(concept));
const tagConcepts = (tag: string) => idsOf(matcher.mapTag(tag).concepts);
const textConcepts = (text: string, declared: string[]) => idsOf(matcher.findConcepts(analyseText(text, declared)));

describe('mapping tags to concepts', () => {
  it('matches any language label regardless of case and diacritics', () => {
    expect(tagConcepts('Exhibition Design')).toEqual(['exhibition-design']);
    expect(tagConcepts('projektowanie opakowan')).toEqual(['packaging-design']);
    expect(tagConcepts('PAKUOČIŲ DIZAINAS')).toEqual(['packaging-design']);
    expect(tagConcepts('förpackningsdesign')).toEqual(['packaging-design']);
  });

  it('matches inflected and stemmed forms of a label', () => {
    expect(tagConcepts('exhibitions design')).toEqual(['exhibition-design']);
    expect(tagConcepts('ekspozicijos dizaino')).toEqual(['exhibition-design']);
  });

  it('maps a misspelt tag to the nearest label', () => {
    expect(tagConcepts('scenografy')).toEqual(['scenography']);
    expect(tagConcepts('photograpy')).toEqual(['photography']);
  });

  it('never stretches a short word to a much longer label', () => {
    const fonts = createMatcher(fontTaxonomy);
    expect(fonts.mapTag('design').concepts.map(({ concept }) => fonts.graph.conceptId(concept))).toEqual(['design']);
    expect(fonts.mapTag('desing').concepts.map(({ concept }) => fonts.graph.conceptId(concept))).toEqual(['design']);
  });

  it('keeps unknown tags as stemmed free tags', () => {
    const mapping = matcher.mapTag('After Effects');
    expect(mapping.concepts).toEqual([]);
    expect(mapping.freeKey).toBe(matcher.mapTag('after effect').freeKey);
  });

  it('finds a concept inside a longer tag with reduced strength and keeps the tag itself', () => {
    const mapping = matcher.mapTag('food photography for restaurants');
    expect(idsOf(mapping.concepts)).toEqual(['photography']);
    expect(mapping.concepts[0]?.strength).toBeLessThan(1);
    expect(mapping.freeKey).toBeDefined();
  });
});

describe('finding concepts in free text', () => {
  it('matches a Polish phrase in an inflected form', () => {
    expect(textConcepts('Szukamy osoby do projektowania wystawy w muzeum regionalnym.', ['pl'])).toContain('exhibition-design');
  });

  it('matches Lithuanian labels through case endings', () => {
    expect(textConcepts('Reikia pagalbos rengiant paraiškas ES fondams ir kuriant ekspozicijų dizainą.', ['lt'])).toEqual(
      expect.arrayContaining(['eu-funding', 'exhibition-design']),
    );
  });

  it('matches German labels and the head of a German compound', () => {
    expect(textConcepts('Wir brauchen Besucherlenkung und Hilfe bei der Videoproduktion.', ['de'])).toEqual(['crowd-management', 'video-production']);
    expect(textConcepts('Wir suchen Unterstützung bei der Sommerfestivalproduktion.', ['de'])).toEqual(['festival-production']);
  });

  it('matches Swedish labels in running text', () => {
    expect(textConcepts('Vi söker hjälp med ljuddesign och grafisk design till utställningen.', ['sv'])).toEqual(['sound-design', 'graphic-design']);
  });

  it('prefers the longest label over its parts', () => {
    expect(textConcepts('We need graphic design for the catalogue.', ['en'])).toEqual(['graphic-design']);
  });

  it('matches English labels quoted inside text in another language', () => {
    expect(textConcepts('Potrzebujemy wsparcia: UX research oraz testy.', ['pl'])).toContain('ux-research');
  });

  it('matches a capitalised acronym label only when written in capitals', () => {
    expect(textConcepts('We plan an AR trail through the old town.', ['en'])).toContain('augmented-reality');
    expect(textConcepts('Vi ser att det är bra.', ['sv'])).not.toContain('augmented-reality');
  });
});
