import { buildExpert, buildRequest } from './fixtures/builders';
import { createEngine } from './fixtures/engine';

const request = buildRequest({ skills: ['photography'], languages: ['de'], mode: 'onsite' });

function verdictFor(overrides: Parameters<typeof buildExpert>[0]) {
  const engine = createEngine([buildExpert({ skills: ['photography'], languages: ['de'], ...overrides })]);
  return { verdict: engine.explain(request, overrides.id), ranked: engine.rank(request).map((c) => c.expertId) };
}

describe('hard constraints', () => {
  it('admits an expert who meets every constraint', () => {
    const { verdict, ranked } = verdictFor({ id: 'fine' });
    expect(verdict).toMatchObject({ feasible: true, exclusions: [] });
    expect(ranked).toEqual(['fine']);
  });

  it('excludes an expert without a shared language and says which languages differ', () => {
    const { verdict, ranked } = verdictFor({ id: 'mute', languages: ['en', 'lt'] });
    expect(verdict?.exclusions).toEqual([{ code: 'no_shared_language', params: { speaks: ['en', 'lt'], needs: ['de'] } }]);
    expect(ranked).toEqual([]);
  });

  it('excludes an online-only expert from onsite work and an onsite-only expert from online work', () => {
    expect(verdictFor({ id: 'remote', modes: ['online'] }).verdict?.exclusions).toEqual([{ code: 'mode_mismatch', params: { mode: 'onsite' } }]);
    const engine = createEngine([buildExpert({ id: 'local', languages: ['de'], modes: ['onsite'] })]);
    expect(engine.explain({ ...request, mode: 'online' }, 'local')?.exclusions.map((e) => e.code)).toEqual(['mode_mismatch']);
    expect(engine.rank({ ...request, mode: 'any' }).map((c) => c.expertId)).toEqual(['local']);
  });

  it('excludes paused and erased profiles', () => {
    expect(verdictFor({ id: 'resting', status: 'paused' }).verdict?.exclusions.map((e) => e.code)).toEqual(['paused']);
    expect(verdictFor({ id: 'gone', status: 'erased' }).ranked).toEqual([]);
  });

  it('excludes an expert whose capacity is taken by active consultations', () => {
    const { verdict, ranked } = verdictFor({ id: 'busy', capacity: 2, activeConsultations: 2 });
    expect(verdict?.exclusions).toEqual([{ code: 'no_capacity', params: { taken: 2, capacity: 2 } }]);
    expect(ranked).toEqual([]);
  });

  it('lists every constraint an expert fails, and still gives a breakdown', () => {
    const { verdict } = verdictFor({ id: 'all-wrong', status: 'paused', languages: ['sv'], modes: ['online'], capacity: 1, activeConsultations: 1 });
    expect(verdict?.feasible).toBe(false);
    expect(verdict?.exclusions.map((e) => e.code).sort()).toEqual(['mode_mismatch', 'no_capacity', 'no_shared_language', 'paused']);
    expect(verdict?.breakdown.skills).toBeGreaterThan(0);
  });

  it('returns undefined when explaining an expert who is not indexed', () => {
    expect(createEngine().explain(request, 'nobody')).toBeUndefined();
  });
});
