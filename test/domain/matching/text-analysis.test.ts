import { foldDiacritics, foldKey } from '../../../src/domain/matching/text/fold';
import { stemLithuanian } from '../../../src/domain/matching/text/lithuanian-stemmer';
import { stemPolish } from '../../../src/domain/matching/text/polish-stemmer';
import { analyseText, analyseTextIn, contentTokens, stemToken } from '../../../src/domain/matching/text/text-analysis';

const contentStems = (text: string, declared: string[]) => contentTokens(analyseText(text, declared)).map((token) => token.stem);

describe('diacritic folding', () => {
  it('removes accents and spells out letters without a decomposition', () => {
    expect(foldKey('Łódź Gdańsk Straße Rønne Ærø Klaipėda Växjö')).toBe('lodz gdansk strasse ronne aero klaipeda vaxjo');
  });

  it('keeps the case so acronyms can still be recognised', () => {
    expect(foldDiacritics('ÄR Łąka')).toBe('AR Laka');
  });
});

describe('light stemmers', () => {
  it('conflates Polish case forms of the same noun', () => {
    expect(new Set(['wystawa', 'wystawy', 'wystawie', 'wystawami'].map(stemPolish)).size).toBe(1);
    expect(stemPolish('projektowanie')).toBe(stemPolish('projektowania'));
  });

  it('conflates Lithuanian case forms of the same noun', () => {
    expect(new Set(['muziejus', 'muziejaus', 'muziejui', 'muziejuje', 'muziejuose', 'muzieju'].map(stemLithuanian)).size).toBe(1);
    expect(stemLithuanian('ekspozicijos')).toBe(stemLithuanian('ekspoziciju'));
  });

  it('uses natural stemmers for English, German, Swedish and Danish', () => {
    expect(stemToken('en', 'exhibitions')).toBe(stemToken('en', 'exhibition'));
    expect(stemToken('de', 'festivals')).toBe(stemToken('de', 'festival'));
    expect(stemToken('sv', 'utstallningar')).toBe(stemToken('sv', 'utstallning'));
    expect(stemToken('da', 'udstillinger')).toBe(stemToken('da', 'udstilling'));
  });

  it('leaves short tokens and tokens with digits alone', () => {
    expect(stemToken('en', '3d')).toBe('3d');
    expect(stemToken('pl', 'ux')).toBe('ux');
  });
});

describe('language detection', () => {
  it('recognises each analysed language from its own text', () => {
    expect(analyseText('Szukamy projektanta, który przygotuje wystawę w naszym muzeum.', ['en', 'pl']).language).toBe('pl');
    expect(analyseText('Wir suchen eine Gestalterin für die neue Ausstellung in unserem Museum.', ['en', 'de']).language).toBe('de');
    expect(analyseText('Ieškome dizainerio, kuris sukurtų parodą mūsų muziejuje.', ['en', 'lt']).language).toBe('lt');
    expect(analyseText('Vi söker en formgivare som kan göra en utställning på vårt museum.', ['en', 'sv']).language).toBe('sv');
    expect(analyseText('Vi søger en fotograf til vores nye hjemmeside og brochure.', ['en', 'da']).language).toBe('da');
  });

  it('prefers the text over the declared languages', () => {
    expect(analyseText('I design exhibitions for museums and the public sector.', ['pl', 'en']).language).toBe('en');
  });

  it('falls back to the first declared language when the text gives no evidence', () => {
    expect(analyseText('Unity', ['lt', 'en']).language).toBe('lt');
  });
});

describe('token analysis', () => {
  it('folds before stemming and leaves stop words out of the content words', () => {
    expect(contentStems('Projektowanie wystawy w muzeum', ['pl'])).toEqual(contentStems('projektowania wystaw muzeum', ['pl']));
    expect(analyseTextIn('design for all', 'en').tokens.map((token) => token.stopWord)).toEqual([false, true, true]);
  });

  it('marks words written in capitals as acronyms and keeps them even when they look like stop words', () => {
    const tokens = analyseTextIn('Vi bygger AR för museer', 'sv').tokens;
    expect(tokens.find((token) => token.surface === 'ar')?.acronym).toBe(true);
  });
});
