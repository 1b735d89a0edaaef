import type { ExpertForMatching, RequestForMatching, WorkMode } from '../../../src/domain/matching';
import { buildExpert, buildRequest } from './fixtures/builders';
import { createEngine } from './fixtures/engine';
import { fixtureGazetteer } from './fixtures/fixture-gazetteer';
import { fixtureTaxonomy } from './fixtures/fixture-taxonomy';

/** Small deterministic PRNG (mulberry32) so the randomised cases are reproducible. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
const labels = fixtureTaxonomy.concepts.flatMap((concept) => Object.values(concept.labels).flat());
const languages = ['en', 'pl', 'de', 'lt', 'sv', 'da'];
const modes: WorkMode[][] = [['online'], ['onsite'], ['online', 'onsite']];
const fillers = ['museum', 'studio', 'workshop', 'festival', 'coast', 'heritage', 'school', 'city'];

function randomExpert(next: () => number, id: string): ExpertForMatching {
  const place = pick(next, fixtureGazetteer.places);
  return buildExpert({
    id,
    skills: Array.from({ length: 1 + Math.floor(next() * 4) }, () => pick(next, labels)),
    bio: Array.from({ length: 6 }, () => pick(next, [...fillers, ...labels])).join(' '),
    languages: [...new Set(Array.from({ length: 1 + Math.floor(next() * 2) }, () => pick(next, languages)))],
    location: next() < 0.8 ? { country: place.country, city: place.name } : { country: place.country },
    modes: pick(next, modes),
    capacity: 1 + Math.floor(next() * 3),
    activeConsultations: Math.floor(next() * 2),
    pendingInvitations: Math.floor(next() * 3),
    status: next() < 0.1 ? 'paused' : 'active',
  });
}

/** A quarter of the requests are plain text without any taxonomy label, so ranking rests on BM25 alone. */
function randomRequest(next: () => number, id: string): RequestForMatching {
  const place = pick(next, fixtureGazetteer.places);
  const textOnly = next() < 0.25;
  const words = textOnly ? fillers : [...fillers, ...labels];
  return buildRequest({
    id,
    title: pick(next, words),
    description: Array.from({ length: 8 }, () => pick(next, words)).join(' '),
    skills: !textOnly && next() < 0.7 ? [pick(next, labels)] : [],
    languages: next() < 0.1 ? [] : [pick(next, languages), 'en'],
    location: { country: place.country, city: place.name },
    organizationCountry: place.country,
    mode: pick(next, ['online', 'onsite', 'any'] as const),
  });
}

describe('ranking', () => {
  it('agrees exactly with exhaustive scoring on a randomised set, for several limits', () => {
    const next = random(7);
    const engine = createEngine(Array.from({ length: 300 }, (_, i) => randomExpert(next, `x${String(i).padStart(3, '0')}`)));
    for (let i = 0; i < 60; i += 1) {
      const request = randomRequest(next, `r${i}`);
      for (const limit of [1, 5, 20, 400]) expect(engine.rank(request, { limit })).toEqual(engine.rankExhaustive(request, { limit }));
      const excludeExpertIds = new Set(engine.rankExhaustive(request, { limit: 3 }).map((c) => c.expertId));
      expect(engine.rank(request, { excludeExpertIds })).toEqual(engine.rankExhaustive(request, { excludeExpertIds }));
    }
  });

  it('agrees exactly with exhaustive scoring under other weights', () => {
    for (const weights of [{ crossBorderBonus: 0.3, location: 0.5 }, { skills: 0 }, { language: 0, location: 0, availability: 0 }]) {
      const next = random(3);
      const engine = createEngine(Array.from({ length: 150 }, (_, i) => randomExpert(next, `w${i}`)), weights);
      for (let i = 0; i < 20; i += 1) {
        const request = randomRequest(next, `r${i}`);
        expect(engine.rank(request, { limit: 5 })).toEqual(engine.rankExhaustive(request, { limit: 5 }));
      }
    }
  });

  it('stays exact when experts speak more languages than the feasibility filter has bits', () => {
    const codes = Array.from({ length: 40 }, (_, i) => `l${i}`);
    const experts = codes.map((code, i) => buildExpert({ id: `polyglot${i}`, skills: ['animation'], languages: [code, codes[(i + 7) % codes.length] ?? code] }));
    const engine = createEngine(experts);
    for (const code of [codes[0], codes[35], 'never-registered']) {
      const request = buildRequest({ skills: ['animation'], languages: [code ?? ''] });
      const ranked = engine.rank(request, { limit: 50 });
      expect(ranked).toEqual(engine.rankExhaustive(request, { limit: 50 }));
      expect(ranked.length).toBe(code === 'never-registered' ? 0 : 2);
    }
  });

  it('stays exact after profiles are updated and removed', () => {
    const next = random(11);
    const engine = createEngine(Array.from({ length: 200 }, (_, i) => randomExpert(next, `y${i}`)));
    for (let i = 0; i < 150; i += 1) engine.upsertExpert(randomExpert(next, `y${Math.floor(next() * 200)}`));
    for (let i = 0; i < 60; i += 1) engine.removeExpert(`y${Math.floor(next() * 200)}`);
    for (let i = 0; i < 20; i += 1) {
      const request = randomRequest(next, `r${i}`);
      expect(engine.rank(request, { limit: 10 })).toEqual(engine.rankExhaustive(request, { limit: 10 }));
    }
  });

  it('numbers ranks from 1, rounds scores to four decimals and returns only feasible experts', () => {
    const engine = createEngine([
      buildExpert({ id: 'a', skills: ['photography'] }),
      buildExpert({ id: 'b', skills: ['photography'], status: 'paused' }),
      buildExpert({ id: 'c', skills: ['weaving'] }),
    ]);
    const ranked = engine.rank(buildRequest({ skills: ['photography'] }));
    expect(ranked.map((c) => [c.expertId, c.rank])).toEqual([['a', 1], ['c', 2]]);
    ranked.forEach((c) => expect(c.score).toBe(Math.round(c.score * 10_000) / 10_000));
  });

  it('breaks ties by expert id and gives the same answer every time', () => {
    const twins = ['delta', 'alpha', 'charlie', 'bravo'].map((id) => buildExpert({ id, skills: ['animation'] }));
    const engine = createEngine(twins);
    const request = buildRequest({ skills: ['animation'] });
    const first = engine.rank(request);
    expect(first.map((c) => c.expertId)).toEqual(['alpha', 'bravo', 'charlie', 'delta']);
    expect(engine.rank(request)).toEqual(first);
    expect(createEngine([...twins].reverse()).rank(request)).toEqual(first);
  });

  it('honours the limit and the excluded ids', () => {
    const engine = createEngine(['a', 'b', 'c'].map((id) => buildExpert({ id, skills: ['animation'] })));
    const request = buildRequest({ skills: ['animation'] });
    expect(engine.rank(request, { limit: 2 }).map((c) => c.expertId)).toEqual(['a', 'b']);
    expect(engine.rank(request, { excludeExpertIds: new Set(['a']) }).map((c) => c.expertId)).toEqual(['b', 'c']);
  });

  it('reflects an upsert or a removal in the very next ranking', () => {
    const engine = createEngine([buildExpert({ id: 'a', skills: ['weaving'] }), buildExpert({ id: 'b', skills: ['animation'] })]);
    const request = buildRequest({ skills: ['animation'] });
    expect(engine.rank(request)[0]?.expertId).toBe('b');
    engine.upsertExpert(buildExpert({ id: 'a', skills: ['animation'] }));
    expect(engine.rank(request)[0]?.expertId).toBe('a');
    engine.removeExpert('a');
    expect(engine.rank(request).map((c) => c.expertId)).toEqual(['b']);
    expect(engine.size).toBe(1);
  });
});

describe('ranking requests for an expert', () => {
  it('returns the feasible requests that fit the expert, best first', () => {
    const engine = createEngine([buildExpert({ id: 'photographer', skills: ['photography'], languages: ['pl', 'en'], modes: ['online'] })]);
    const requests = [
      buildRequest({ id: 'weaving', skills: ['weaving'], mode: 'online' }),
      buildRequest({ id: 'photos', skills: ['photography'], mode: 'online' }),
      buildRequest({ id: 'onsite', skills: ['photography'], mode: 'onsite' }),
      buildRequest({ id: 'swedish', skills: ['photography'], languages: ['sv'], mode: 'online' }),
    ];
    const ranked = engine.rankRequestsForExpert('photographer', requests);
    expect(ranked.map((r) => [r.requestId, r.rank, r.expertId])).toEqual([['photos', 1, 'photographer'], ['weaving', 2, 'photographer']]);
    expect(engine.rankRequestsForExpert('photographer', requests, 1)).toHaveLength(1);
    expect(engine.rankRequestsForExpert('nobody', requests)).toEqual([]);
  });
});
