import { buildExpert, buildRequest } from './fixtures/builders';
import { createEngine } from './fixtures/engine';

describe('explanations', () => {
  const request = buildRequest({
    title: 'Labels for a new cider',
    description: 'We need packaging and a visual identity for our cider from the museum orchard.',
    skills: ['packaging design', 'branding'],
    languages: ['de', 'en'],
    location: { country: 'DE', city: 'Stralsund' },
    organizationCountry: 'DE',
    mode: 'onsite',
  });
  const engine = createEngine([
    buildExpert({
      id: 'packager',
      skills: ['Verpackungsdesign', 'Markenentwicklung'],
      bio: 'Packaging for cider, juice and craft beer.',
      languages: ['de', 'en'],
      location: { country: 'DE', city: 'Rostock' },
      capacity: 3,
      activeConsultations: 1,
    }),
    buildExpert({ id: 'graphic', skills: ['graphic design'], languages: ['en'], location: { country: 'PL', city: 'Szczecin' }, modes: ['online'] }),
  ]);

  it('names shared skills by their English preferred labels', () => {
    expect(engine.explain(request, 'packager')?.reasons).toContain('Shares skills: packaging design, branding');
  });

  it('names related expertise that earned partial credit', () => {
    expect(engine.explain(request, 'graphic')?.reasons).toContain('Related expertise: graphic design');
  });

  it('lists words of the request that the profile text matches', () => {
    const reasons = engine.explain(request, 'packager')?.reasons ?? [];
    expect(reasons.find((reason) => reason.startsWith('Profile text matches: '))).toContain('cider');
  });

  it('describes language, distance and capacity in plain English', () => {
    const reasons = engine.explain(request, 'packager')?.reasons ?? [];
    expect(reasons).toContain("Speaks the request's first language, German");
    expect(reasons).toContainEqual(expect.stringMatching(/^\d+ km away; works onsite$/));
    expect(reasons).toContain('2 of 3 slots free');
  });

  it('names shared languages other than the first and the country relation for online work', () => {
    const reasons = engine.explain({ ...request, mode: 'online' }, 'graphic')?.reasons ?? [];
    expect(reasons).toContain('Speaks English');
    expect(reasons).toContain('Based in a neighbouring country (Poland)');
  });

  it('says when the expert works in the same country', () => {
    const reasons = engine.explain({ ...request, mode: 'online' }, 'packager')?.reasons ?? [];
    expect(reasons).toContain('Based in the same country (Germany)');
  });

  it('explains an excluded expert with the failed constraint', () => {
    expect(engine.explain(request, 'graphic')?.exclusions).toEqual([{ code: 'mode_mismatch', message: 'Does not work onsite' }]);
  });
});
