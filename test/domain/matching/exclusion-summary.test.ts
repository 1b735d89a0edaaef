import { summariseExclusions, type Exclusion } from '../../../src/domain/matching';
import { buildExpert, buildRequest } from './fixtures/builders';
import { createEngine } from './fixtures/engine';

describe('the best experts regardless of constraints', () => {
  const request = buildRequest({ skills: ['photography'], languages: ['sv'], mode: 'onsite' });
  const engine = createEngine([
    buildExpert({ id: 'a-german', skills: ['photography'], languages: ['de'], modes: ['onsite'] }),
    buildExpert({ id: 'b-remote', skills: ['photography'], languages: ['sv'], modes: ['online'] }),
    buildExpert({ id: 'c-both', skills: ['photography'], languages: ['de'], modes: ['online'] }),
    buildExpert({ id: 'd-fine', skills: ['photography'], languages: ['sv'], modes: ['onsite'] }),
    buildExpert({ id: 'e-invited', skills: ['photography'], languages: ['de'], modes: ['onsite'] }),
  ]);

  it('scores every expert, feasible or not, leaves out the excluded ids and names each one\'s failed constraints', () => {
    const best = engine.bestRegardlessOfConstraints(request, { limit: 10, excludeExpertIds: new Set(['e-invited']) });
    expect(best.map((verdict) => verdict.expertId).sort()).toEqual(['a-german', 'b-remote', 'c-both', 'd-fine']);
    const codes = Object.fromEntries(best.map((verdict) => [verdict.expertId, verdict.exclusions.map((exclusion) => exclusion.code).sort()]));
    expect(codes).toEqual({ 'a-german': ['no_shared_language'], 'b-remote': ['mode_mismatch'], 'c-both': ['mode_mismatch', 'no_shared_language'], 'd-fine': [] });
    for (let index = 1; index < best.length; index += 1) expect(best[index - 1]!.score).toBeGreaterThanOrEqual(best[index]!.score);
  });

  it('keeps only the best `limit`', () => {
    expect(engine.bestRegardlessOfConstraints(request, { limit: 2 })).toHaveLength(2);
  });
});

describe('summariseExclusions', () => {
  const example: Record<'no_shared_language' | 'mode_mismatch' | 'no_capacity' | 'paused', Exclusion> = {
    no_shared_language: { code: 'no_shared_language', params: { speaks: ['de'], needs: ['sv'] } },
    mode_mismatch: { code: 'mode_mismatch', params: { mode: 'onsite' } },
    no_capacity: { code: 'no_capacity', params: { taken: 2, capacity: 2 } },
    paused: { code: 'paused', params: {} },
  };
  const verdict = (...codes: Array<keyof typeof example>) => ({ exclusions: codes.map((code) => example[code]) });

  it('counts each constraint once per expert, most common first, and counts the feasible', () => {
    const summary = summariseExclusions([verdict('mode_mismatch'), verdict('mode_mismatch', 'no_shared_language'), verdict('mode_mismatch'), verdict('no_capacity'), verdict()]);
    expect(summary).toEqual({
      considered: 5,
      feasible: 1,
      exclusions: [
        { code: 'mode_mismatch', count: 3 },
        { code: 'no_shared_language', count: 1 },
        { code: 'no_capacity', count: 1 },
      ],
    });
  });

  it('breaks ties by what the organisation can change most easily: languages, then mode, then timing', () => {
    const summary = summariseExclusions([verdict('paused'), verdict('no_capacity'), verdict('mode_mismatch'), verdict('no_shared_language')]);
    expect(summary.exclusions.map((entry) => entry.code)).toEqual(['no_shared_language', 'mode_mismatch', 'no_capacity', 'paused']);
  });

  it('gives nothing to count when nobody was considered', () => {
    expect(summariseExclusions([])).toEqual({ considered: 0, feasible: 0, exclusions: [] });
  });
});
