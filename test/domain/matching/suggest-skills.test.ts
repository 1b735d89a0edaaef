import { suggestSkills } from '../../../src/domain/matching';
import { fixtureTaxonomy } from './fixtures/fixture-taxonomy';

const ids = (query: string, lang?: 'en' | 'pl' | 'de' | 'lt' | 'sv', limit = 5) => suggestSkills(fixtureTaxonomy, query, lang, limit).map((s) => s.id);

describe('suggestSkills', () => {
  it('completes a prefix in English and returns the English label', () => {
    const [first] = suggestSkills(fixtureTaxonomy, 'exhib', 'en', 5);
    expect(first).toEqual({ id: 'exhibition-design', label: 'exhibition design', group: 'museums-exhibitions', matchedLabel: 'exhibition design', lang: 'en' });
  });

  it('completes Polish, German, Lithuanian and Swedish labels without diacritics', () => {
    expect(ids('projektowanie opak', 'pl')).toEqual(['packaging-design']);
    expect(ids('ausstellungsg', 'de')).toEqual(['exhibition-design']);
    expect(ids('pakuociu', 'lt')).toEqual(['packaging-design']);
    expect(ids('forpack', 'sv')).toEqual(['packaging-design']);
  });

  it('labels suggestions in the requested language', () => {
    const [first] = suggestSkills(fixtureTaxonomy, 'scenograf', 'de', 1);
    expect(first?.label).toBe('Szenografie');
  });

  it('searches every language when no language is given', () => {
    const [first] = suggestSkills(fixtureTaxonomy, 'vävn', undefined, 3);
    expect(first).toMatchObject({ id: 'weaving', label: 'weaving', lang: 'sv' });
  });

  it('tolerates a typo', () => {
    expect(ids('fotgrafia')).toContain('photography');
    expect(ids('scenogarphy', 'en')).toEqual(['scenography']);
  });

  it('matches the start of any word in a label', () => {
    expect(ids('identity', 'en')).toEqual(['branding']);
  });

  it('respects the limit and returns nothing for an empty query', () => {
    expect(ids('p', undefined, 2)).toHaveLength(2);
    expect(ids('  ')).toEqual([]);
  });
});
