import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MatchingEngine, parseTaxonomy } from '../../../src/domain/matching';
import { buildNeedLexicon } from '../../../src/domain/matching/needs/need-lexicon';
import { inferNeeds } from '../../../src/domain/matching/needs/need-matcher';
import { ConceptGraph } from '../../../src/domain/matching/taxonomy/concept-graph';
import { analyseText, analyseTextIn, quoteTokens, sentenceNumbers, tokenOffsets } from '../../../src/domain/matching/text/text-analysis';
import { buildExpert, buildRequest } from './fixtures/builders';
import { fixtureGazetteer } from './fixtures/fixture-gazetteer';
import { needTaxonomy } from './fixtures/need-taxonomy';

const graph = new ConceptGraph(needTaxonomy);
const lexicon = buildNeedLexicon(graph);

function infer(text: string, language: string) {
  const analysed = analyseText(text, [language]);
  return inferNeeds(lexicon, analysed, sentenceNumbers(text)).map((need) => ({
    concept: graph.conceptId(need.concept),
    confidence: need.confidence,
    phrase: need.phrase,
    quote: quoteTokens(text, need.firstToken, need.lastToken),
  }));
}

describe('inferring concepts from need phrases', () => {
  it.each([
    ['en', 'Since the reopening our visitors cannot find the second floor at all.', 'visitors cannot find the second floor', 'visitors cannot find the second floor'],
    ['pl', 'Zwiedzający od miesięcy błądzą po budynku muzeum.', 'zwiedzający błądzą po budynku', 'Zwiedzający od miesięcy błądzą po budynku'],
    ['de', 'Viele Besucher finden den Eingang des Rathauses nicht.', 'Besucher finden den Eingang nicht', 'Besucher finden den Eingang'],
    ['lt', 'Lankytojai neranda įėjimo į pilies bokštą.', 'lankytojai neranda įėjimo', 'Lankytojai neranda įėjimo'],
    ['sv', 'Besökarna hittar inte entrén till konsthallen.', 'besökarna hittar inte entrén', 'Besökarna hittar inte entrén'],
  ])('finds wayfinding in %s with the phrase and the words as written', (language, text, phrase, quote) => {
    expect(infer(text, language)).toEqual([{ concept: 'wayfinding', confidence: expect.any(Number), phrase, quote }]);
  });

  it('is surer of words close together than of words spread over a clause', () => {
    const [close] = infer('Visitors cannot find the second floor.', 'en');
    const [spread] = infer('Visitors who come by bus on Sundays cannot find where the second floor is.', 'en');
    expect(spread?.concept).toBe('wayfinding');
    expect(spread?.confidence).toBeLessThan(close?.confidence ?? 0);
  });

  it('needs two of the phrase’s words within a small window of one sentence', () => {
    expect(infer('Our visitors love the café.', 'en')).toEqual([]);
    expect(infer('Visitors come. The floor was renovated.', 'en')).toEqual([]);
    expect(infer('Visitors arrive by ferry, bus, bicycle, car and on foot in all seasons from every nearby town to see our second floor.', 'en')).toEqual([]);
  });

  it('gives every concept found, strongest first, ties in taxonomy order', () => {
    const found = infer('People get lost in the building, and too many people push at the gate on concert nights.', 'en');
    expect(found.map((need) => [need.concept, need.phrase])).toEqual([
      ['crowd-management', 'too many people push at the gate'],
      ['wayfinding', 'people get lost in the building'],
    ]);
    expect(found[0]?.confidence).toBe(found[1]?.confidence);
  });
});

describe('quoting matched words', () => {
  it('maps tokens back to the text as written, across letters that fold to two (ß, æ) and decomposed accents', () => {
    const text = 'Straße — Ærø, cafe\u0301 (łódź)!';
    expect(tokenOffsets(text).map(([start, end]) => text.slice(start, end))).toEqual(['Straße', 'Ærø', 'cafe\u0301', 'łódź']);
    expect(analyseTextIn(text, 'de').tokens.map((token) => token.surface)).toEqual(['strasse', 'aero', 'cafe', 'lodz']);
  });

  it('numbers sentences at . ! ? ; and line breaks', () => {
    expect([...sentenceNumbers('One two. Three; four\nfive six? Seven')]).toEqual([0, 0, 1, 2, 3, 3, 4]);
  });
});

describe('ranking with inferred concepts', () => {
  const wayfinder = buildExpert({ id: 'wayfinder', skills: ['wayfinding'], bio: 'Signs and routes for public buildings.' });
  const photographer = buildExpert({ id: 'photographer', skills: ['photography'], bio: 'Photographs of museum visitors and buildings.' });
  const engine = new MatchingEngine({ taxonomy: needTaxonomy, gazetteer: fixtureGazetteer });
  const lexical = new MatchingEngine({ taxonomy: needTaxonomy, gazetteer: fixtureGazetteer, inferNeeds: false });
  for (const expert of [wayfinder, photographer]) {
    engine.upsertExpert(expert);
    lexical.upsertExpert(expert);
  }
  const unnamed = buildRequest({ title: 'Help for our museum', description: 'Our visitors cannot find the second floor, so they leave after the ground floor.' });

  it('ranks the expert in the inferred concept first, where text alone would not', () => {
    expect(lexical.rank(unnamed).map((candidate) => candidate.expertId)).toEqual(['photographer', 'wayfinder']);
    expect(engine.rank(unnamed).map((candidate) => candidate.expertId)).toEqual(['wayfinder', 'photographer']);
    expect(engine.rank(unnamed).map((candidate) => candidate.score)).toEqual(engine.rankExhaustive(unnamed).map((candidate) => candidate.score));
  });

  it('says in the reasons which words pointed to the concept, and that it counts less than a named skill', () => {
    expect(engine.explain(unnamed, 'wayfinder')?.reasons[0]).toEqual({
      code: 'inferred_need',
      params: { field: 'description', quote: 'visitors cannot find the second floor', concept: 'wayfinding' },
    });
    expect(engine.explain(unnamed, 'photographer')?.reasons.map((reason) => reason.code)).not.toContain('inferred_need');
  });

  it('counts an inferred concept less than a named one', () => {
    const mixed = buildRequest({ skills: ['photography'], description: 'Also, our visitors cannot find the second floor.' });
    const [first, second] = engine.rank(mixed);
    expect([first?.expertId, second?.expertId]).toEqual(['photographer', 'wayfinder']);
    expect(second?.breakdown.skills).toBeGreaterThan(0);
    expect(second?.breakdown.skills).toBeLessThan(first?.breakdown.skills ?? 0);
  });

  it('infers nothing when asked not to, or when the text names the concept itself', () => {
    expect(lexical.explain(unnamed, 'wayfinder')?.reasons.map((reason) => reason.code)).not.toContain('inferred_need');
    const named = buildRequest({ description: 'We need wayfinding: our visitors cannot find the second floor.' });
    expect(engine.explain(named, 'wayfinder')?.reasons[0]).toEqual({ code: 'shared_skills', params: { skills: [{ concept: 'wayfinding' }] } });
  });
});

describe('the cost of inference', () => {
  const taxonomy = parseTaxonomy(JSON.parse(readFileSync(path.resolve(__dirname, '../../../seed/taxonomy/skills.json'), 'utf8')));
  const seedGraph = new ConceptGraph(taxonomy);
  const seedLexicon = buildNeedLexicon(seedGraph);

  it('stays linear for a long text made only of lexicon words', () => {
    const words = taxonomy.concepts.flatMap((concept) => concept.needs?.en ?? []).join(' ').split(/\s+/);
    const textOf = (length: number) => Array.from({ length }, (_, position) => words[(position * 7) % words.length]).join(' ');
    const fastest = (text: string) => {
      const analysed = analyseTextIn(text, 'en');
      const sentences = sentenceNumbers(text);
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < 3; run += 1) {
        const started = performance.now();
        inferNeeds(seedLexicon, analysed, sentences);
        best = Math.min(best, performance.now() - started);
      }
      return best;
    };
    fastest(textOf(500));
    // A time per word rather than a fixed bound: the machine is shared, so absolute times vary threefold.
    // Four times the words must cost well under the sixteen times a quadratic matcher would.
    const short = fastest(textOf(2000));
    const long = fastest(textOf(8000));
    expect(long / short).toBeLessThan(8);
    expect(long).toBeLessThan(1500);
  });
});
