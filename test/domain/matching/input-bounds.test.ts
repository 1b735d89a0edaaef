import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTaxonomy, suggestSkills } from '../../../src/domain/matching';
import { ConceptGraph } from '../../../src/domain/matching/taxonomy/concept-graph';
import { ConceptMatcher } from '../../../src/domain/matching/taxonomy/concept-matcher';
import { buildLabelIndex } from '../../../src/domain/matching/taxonomy/label-index';
import { bagDistance, editsWithin } from '../../../src/domain/matching/text/bounded-distance';
import { damerauLevenshtein } from '../../../src/domain/matching/text/natural';
import { analyseTextIn } from '../../../src/domain/matching/text/text-analysis';
import { cpuTimedSync } from '../../helpers/cpu-time';

const taxonomy = parseTaxonomy(JSON.parse(readFileSync(path.resolve(__dirname, '../../../seed/taxonomy/skills.json'), 'utf8')));
const graph = new ConceptGraph(taxonomy);
const labels = buildLabelIndex(graph);

/** The unrestricted Damerau-Levenshtein distance (Lowrance and Wagner 1975), as the reference: natural under-counts some pairs. */
function trueDamerauLevenshtein(a: string, b: string): number {
  const infinity = a.length + b.length;
  const d = Array.from({ length: a.length + 2 }, () => new Array<number>(b.length + 2).fill(0));
  d[0]![0] = infinity;
  for (let i = 0; i <= a.length; i += 1) [d[i + 1]![0], d[i + 1]![1]] = [infinity, i];
  for (let j = 0; j <= b.length; j += 1) [d[0]![j + 1], d[1]![j + 1]] = [infinity, j];
  const lastRowOf = new Map<string, number>();
  for (let i = 1; i <= a.length; i += 1) {
    let lastMatchingColumn = 0;
    for (let j = 1; j <= b.length; j += 1) {
      const row = lastRowOf.get(b[j - 1]!) ?? 0;
      const column = lastMatchingColumn;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      if (cost === 0) lastMatchingColumn = j;
      d[i + 1]![j + 1] = Math.min(d[i]![j]! + cost, d[i + 1]![j]! + 1, d[i]![j + 1]! + 1, d[row]![column]! + (i - row - 1) + 1 + (j - column - 1));
    }
    lastRowOf.set(a[i - 1]!, i);
  }
  return d[a.length + 1]![b.length + 1]!;
}

/** CPU milliseconds of the slowest of `runs` calls (each on fresh state where `fresh` builds it). */
function slowest<State>(fresh: () => State, call: (state: State) => unknown, runs = 3): number {
  let worst = 0;
  for (let run = 0; run < runs; run += 1) {
    const state = fresh();
    worst = Math.max(worst, cpuTimedSync(() => call(state)));
  }
  return worst;
}

// Each folds to more code units than it has (æ → ae, ß → ss, İ → i̇), or is a label's letters shuffled, which
// passes the cheap bounds against that label and makes the full comparison run.
const EXPANDING = ['æ', 'ß', 'ẞ', 'Æ', 'İ', 'ﬃ', 'œ'].map((letter) => letter.repeat(100));
const SHUFFLED_LABELS = ['p aaceegiklmnrt', 'saabdeeiilrtttt', 'kaiorrstuu', 's adeegggiinns', 'p acefiikklnopssstt', 'aqqqqqqqqqq'];

describe('editsWithin', () => {
  it('gives natural’s Damerau-Levenshtein distance when it is within the limit', () => {
    expect(editsWithin('scenografy', 'scenography', 2)).toBe(2);
    expect(editsWithin('wayfnidign', 'wayfinding', 2)).toBe(2);
    expect(editsWithin('ab', 'ba', 1)).toBe(1);
    expect(editsWithin('design', 'design', 0)).toBe(0);
  });

  it('refuses distances beyond the limit', () => {
    expect(editsWithin('scenografy', 'scenography', 1)).toBeUndefined();
    expect(editsWithin('branding', 'brandingxyz', 2)).toBeUndefined();
    expect(editsWithin('abcd', 'dcba', 2)).toBeUndefined();
  });

  it('loses no pair truly within the limit and answers with natural’s distance, over every pair of a small alphabet', () => {
    const words = ['', 'a', 'ab', 'ba', 'abc', 'acb', 'cab', 'ca', 'abca', 'bcab', 'aabb', 'abab', 'cbaa', 'abcab', 'bacba'];
    for (const a of words) {
      for (const b of words) {
        const truth = trueDamerauLevenshtein(a, b);
        expect([a, b, bagDistance(a, b) <= truth]).toEqual([a, b, true]);
        for (const limit of [0, 1, 2, 3]) {
          const found = editsWithin(a, b, limit);
          if (truth <= limit) expect([a, b, limit, found]).toEqual([a, b, limit, damerauLevenshtein(a, b)]);
          if (found !== undefined) expect(found).toBeLessThanOrEqual(limit);
        }
      }
    }
  });

  it('refuses what natural under-counts: "ab" → "aabb" takes two insertions, not one', () => {
    expect(damerauLevenshtein('ab', 'aabb')).toBe(1);
    expect(editsWithin('ab', 'aabb', 1)).toBeUndefined();
    expect(editsWithin('ab', 'aabb', 2)).toBe(1);
  });

  // The quickest of five runs: a linear pass over 400,000 code units takes milliseconds, the quadratic comparison it
  // avoids would take minutes, so the bound tells them apart even when a loaded machine stalls one run.
  it('answers in linear time when one side is far longer than the limit allows, or has other letters', () => {
    const quickest = (call: () => unknown) => Math.min(...Array.from({ length: 5 }, () => slowest(() => undefined, call, 1)));
    const long = 'a'.repeat(200_000);
    expect(quickest(() => editsWithin(long, 'aaaa', 2))).toBeLessThan(100);
    expect(editsWithin(long, 'aaaa', 2)).toBeUndefined();
    const shuffled = `${'b'.repeat(100_000)}${'a'.repeat(100_000)}`;
    expect(quickest(() => editsWithin(long, shuffled, 2))).toBeLessThan(100);
    expect(editsWithin(long, shuffled, 2)).toBeUndefined();
  });
});

describe('suggestSkills bounds (the real taxonomy)', () => {
  it.each([...EXPANDING, ...SHUFFLED_LABELS])('answers "%s" within a few milliseconds', (query) => {
    suggestSkills(taxonomy, query, undefined, 50);
    expect(slowest(() => undefined, () => suggestSkills(taxonomy, query, undefined, 50))).toBeLessThan(100);
  });

  it('finds nothing for a query longer than every label, and still corrects typos', () => {
    expect(suggestSkills(taxonomy, 'æ'.repeat(100), undefined, 10)).toEqual([]);
    expect(suggestSkills(taxonomy, 'scenogarphy', 'en', 1).map((suggestion) => suggestion.id)).toEqual(['scenography']);
  });
});

describe('tag mapping and phrase matching bounds (the real taxonomy)', () => {
  it.each([...EXPANDING, ...SHUFFLED_LABELS])('maps the tag "%s" within a few milliseconds', (tag) => {
    expect(slowest(() => new ConceptMatcher(graph, labels), (matcher) => matcher.mapTag(tag))).toBeLessThan(100);
  });

  it('still maps a misspelt tag to its concept', () => {
    expect(new ConceptMatcher(graph, labels).mapTag('scenografy').concepts.map((mention) => graph.conceptId(mention.concept))).toEqual(['scenography']);
  });

  it.each(['de', 'sv', 'da'] as const)('finds concepts in one 16,000-letter word (%s) without splitting it quadratically', (language) => {
    const text = analyseTextIn(`theater${'ß'.repeat(8000)}`, language);
    expect(slowest(() => new ConceptMatcher(graph, labels), (matcher) => matcher.findConcepts(text))).toBeLessThan(50);
    expect(new ConceptMatcher(graph, labels).findConcepts(text)).toEqual([]);
  });
});
