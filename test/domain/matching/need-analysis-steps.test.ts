import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTaxonomy } from '../../../src/domain/matching';
import { buildNeedLexicon } from '../../../src/domain/matching/needs/need-lexicon';
import { compoundParts } from '../../../src/domain/matching/needs/compound-parts';
import { conceptEvidence, EVIDENCE_SHARE } from '../../../src/domain/matching/needs/concept-evidence';
import { generalStems } from '../../../src/domain/matching/needs/general-words';
import { sceneSentences } from '../../../src/domain/matching/needs/need-cues';
import { inferNeeds, SCENE_SHARE } from '../../../src/domain/matching/needs/need-matcher';
import { ConceptGraph } from '../../../src/domain/matching/taxonomy/concept-graph';
import { stemPolish } from '../../../src/domain/matching/text/polish-stemmer';
import { analyseTextIn, sentenceNumbers, stemToken } from '../../../src/domain/matching/text/text-analysis';
import type { AnalysisLanguage } from '../../../src/domain/matching/text/languages';
import { needTaxonomy } from './fixtures/need-taxonomy';

const graph = new ConceptGraph(needTaxonomy);
const lexicon = buildNeedLexicon(graph);
const conceptsIn = (text: string, language: AnalysisLanguage) =>
  inferNeeds(lexicon, analyseTextIn(text, language), sentenceNumbers(text)).map((need) => graph.conceptId(need.concept));

describe('everyday words in need phrases', () => {
  it.each([
    ['en', 'people', 'floor'], ['pl', 'ludzie', 'budynek'], ['de', 'Leute', 'Eingang'],
    ['lt', 'žmonės', 'įėjimas'], ['sv', 'folk', 'entrén'], ['da', 'folk', 'indgangen'],
  ] as const)('in %s count "%s" as everyday and "%s" as specific', (language, everyday, specific) => {
    const stems = generalStems(language);
    expect(stems.has(stemToken(language, everyday.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')))).toBe(true);
    expect(stems.has(stemToken(language, specific.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')))).toBe(false);
  });

  it('lets everyday words count beside specific ones, never alone', () => {
    expect(conceptsIn('Many people get lost in our building.', 'en')).toEqual(['wayfinding']);
    expect(conceptsIn('People cannot find a second chair.', 'en')).toEqual([]);
  });
});

describe('names of languages in need phrases', () => {
  const seedGraph = new ConceptGraph(parseTaxonomy(JSON.parse(readFileSync(path.resolve(__dirname, '../../../seed/taxonomy/skills.json'), 'utf8'))));
  const seedLexicon = buildNeedLexicon(seedGraph);

  it.each([
    ['en', 'German'], ['pl', 'niemiecku'], ['de', 'Englisch'], ['lt', 'angliškai'], ['sv', 'tyska'], ['da', 'engelsk'],
  ] as const)('in %s count "%s" as an everyday word', (language, name) => {
    expect(generalStems(language).has(stemToken(language, name.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '')))).toBe(true);
  });

  it.each([
    ['en', 'Meetings can be in Danish, English or German.'],
    ['de', 'Wir arbeiten auf Deutsch und Englisch.'],
    ['pl', 'Pracujemy po polsku i po angielsku.'],
  ] as const)('infer nothing from the working languages a %s request declares', (language, text) => {
    const inferred = inferNeeds(seedLexicon, analyseTextIn(text, language), sentenceNumbers(text));
    expect(inferred.map((need) => seedGraph.conceptId(need.concept))).toEqual([]);
  });
});

describe('sentences that only set the scene', () => {
  it.each([
    ['en', 'We print our own motifs on linen towels. We do not know how to protect them.'],
    ['pl', 'Szyjemy pościel i ręczniki z lnu. Nie wiemy, jak chronić nasze wzory.'],
    ['de', 'Wir drucken eigene Motive auf Leinentücher. Wir wissen nicht, wie wir sie schützen können.'],
    ['lt', 'Spausdiname savo motyvus ant lininių rankšluosčių. Nežinome, kaip juos apsaugoti.'],
    ['sv', 'Vi trycker egna mönster på linnehanddukar. Vi vet inte hur vi ska skydda dem.'],
    ['da', 'Vi trykker egne mønstre på hørhåndklæder. Vi ved ikke, hvordan vi beskytter dem.'],
  ] as const)('in %s are those without a word stating a need, when another sentence has one', (language, text) => {
    expect([...sceneSentences(analyseTextIn(text, language), sentenceNumbers(text))]).toEqual([0]);
  });

  it('are none in a text of one sentence, or when every sentence or none states a need', () => {
    const scene = (text: string) => [...sceneSentences(analyseTextIn(text, 'en'), sentenceNumbers(text))];
    expect(scene('We print our own motifs on linen towels.')).toEqual([]);
    expect(scene('We print our own motifs on linen towels. We sell them at markets.')).toEqual([]);
    expect(scene('We need help. Nobody knows how to protect our motifs.')).toEqual([]);
  });

  it('count a need phrase found in them half, and leave one found beside a stated need whole', () => {
    const confidenceOf = (text: string, concept: string) =>
      inferNeeds(lexicon, analyseTextIn(text, 'en'), sentenceNumbers(text)).find((need) => graph.conceptId(need.concept) === concept)?.confidence ?? 0;
    const scene = 'Every July the square gets dangerously crowded around our stage.';
    const need = 'Our visitors cannot find the second floor, and we need help with that.';
    expect(confidenceOf(`${scene} ${need}`, 'crowd-management')).toBeCloseTo(SCENE_SHARE * confidenceOf(scene, 'crowd-management'), 6);
    expect(confidenceOf(`${scene} ${need}`, 'wayfinding')).toBeCloseTo(confidenceOf(need, 'wayfinding'), 6);
    expect(confidenceOf(scene, 'crowd-management')).toBeGreaterThan(0);
  });
});

describe('compound parts (German, Swedish, Danish)', () => {
  const known = (language: AnalysisLanguage, ...words: string[]) => {
    const stems = new Set(words.map((word) => stemToken(language, word)));
    return (stem: string) => stems.has(stem);
  };

  it.each([
    ['de', 'haupteingang', ['haupt', 'eingang'], ['eingang']],
    ['de', 'besucherfuhrung', ['besucher', 'fuhrung'], ['besucher', 'fuhrung']],
    ['sv', 'ingangsgrinden', ['ingang', 'grinden'], ['ingang', 'grinden']],
    ['da', 'museumsbutikken', ['museum', 'butikken'], ['museum', 'butikken']],
  ] as const)('in %s splits "%s" into its known parts', (language, word, parts, vocabulary) => {
    const found = compoundParts(language, word, known(language, ...vocabulary));
    const expected = parts.map((part) => stemToken(language, part)).filter((stem) => vocabulary.some((entry) => stemToken(language, entry) === stem));
    expect(found).toEqual(expected);
  });

  it('leaves words alone in languages that do not compound, short words and words with no known head', () => {
    expect(compoundParts('en', 'staircaseentrance', () => true)).toEqual([]);
    expect(compoundParts('pl', 'haupteingang', () => true)).toEqual([]);
    expect(compoundParts('de', 'eingang', () => true)).toEqual([]);
    expect(compoundParts('de', 'haupteingang', () => false)).toEqual([]);
    expect(compoundParts('de', `${'ss'.repeat(40)}eingang`, () => true)).toEqual([]);
  });

  it('matches a need phrase through the head of a compound in the text', () => {
    expect(conceptsIn('Gedränge am Haupteingang jeden Abend.', 'de')).toEqual(['crowd-management']);
    expect(conceptsIn('Trängsel vid ingångsgrinden varje kväll.', 'sv')).toEqual(['crowd-management']);
  });
});

describe('the Polish mobile e', () => {
  it.each([['resztek', 'resztki'], ['budynek', 'budynku'], ['ulotek', 'ulotka'], ['poczatek', 'poczatku']])('stems %s like %s', (short, long) => {
    expect(stemPolish(short)).toBe(stemPolish(long));
  });

  it('keeps an e that belongs to the stem after a vowel (człowiek) and in short words', () => {
    expect(stemPolish('czlowiek')).toBe('czlowiek');
    expect(stemPolish('lek')).toBe('lek');
  });
});

describe('concept evidence spread over a text', () => {
  const occurrencesIn = (text: string, language: AnalysisLanguage) => {
    const analysed = analyseTextIn(text, language);
    const sentences = sentenceNumbers(text);
    const postings = lexicon.postings.get(language);
    const occurrences = new Map<number, Array<{ token: number; slot: number; sentence: number }>>();
    analysed.tokens.forEach((token, position) => {
      for (const { phrase, slot } of token.stopWord ? [] : (postings?.get(token.stem) ?? [])) {
        occurrences.set(phrase, [...(occurrences.get(phrase) ?? []), { token: position, slot, sentence: sentences[position] ?? 0 }]);
      }
    });
    return occurrences;
  };

  it('finds a concept from specific words of two of its phrases in different sentences, quoting the densest sentence', () => {
    const text = 'The visitors love our café. The building is lovely, but some are lost on the floor above.';
    const [found, ...others] = conceptEvidence(lexicon, occurrencesIn(text, 'en'));
    expect(others).toEqual([]);
    expect(graph.conceptId(found?.concept ?? -1)).toBe('wayfinding');
    expect(found?.confidence).toBeGreaterThan(0);
    expect(found?.confidence).toBeLessThanOrEqual(EVIDENCE_SHARE);
    const tokens = analyseTextIn(text, 'en').tokens.map((token) => token.surface);
    expect([tokens[found?.firstToken ?? 0], tokens[found?.lastToken ?? 0]]).toEqual(['building', 'floor']);
  });

  it('needs three specific words from at least two phrases', () => {
    expect(conceptEvidence(lexicon, occurrencesIn('Visitors come. The floor was renovated.', 'en'))).toEqual([]);
    expect(conceptEvidence(lexicon, occurrencesIn('The square is dangerously crowded.', 'en'))).toEqual([]);
  });
});
