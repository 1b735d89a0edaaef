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

  it('names shared skills by their concept ids, strongest first', () => {
    expect(engine.explain(request, 'packager')?.reasons).toContainEqual({ code: 'shared_skills', params: { skills: [{ concept: 'packaging-design' }, { concept: 'branding' }] } });
  });

  it('keeps a free tag as the request wrote it', () => {
    const labeller = createEngine([buildExpert({ id: 'labeller', skills: ['packaging design', 'cider labels'], languages: ['de'] })]);
    const tagged = { ...request, description: 'Labels for our cider.', skills: ['packaging design', ' Cider Labels '] };
    expect(labeller.explain(tagged, 'labeller')?.reasons).toContainEqual({ code: 'shared_skills', params: { skills: [{ concept: 'packaging-design' }, { tag: 'Cider Labels' }] } });
  });

  it('names related expertise that earned partial credit by concept id', () => {
    expect(engine.explain(request, 'graphic')?.reasons).toContainEqual({ code: 'related_expertise', params: { concepts: ['graphic-design'] } });
  });

  it('lists words of the request that the profile text matches, as written', () => {
    const reasons = engine.explain(request, 'packager')?.reasons ?? [];
    const profile = reasons.find((reason) => reason.code === 'profile_text');
    expect(profile?.code === 'profile_text' && profile.params.terms).toContain('cider');
  });

  it('gives language, distance and capacity as codes and numbers', () => {
    const reasons = engine.explain(request, 'packager')?.reasons ?? [];
    expect(reasons).toContainEqual({ code: 'speaks_first_language', params: { language: 'de' } });
    expect(reasons).toContainEqual({ code: 'distance', params: { km: expect.any(Number), works: 'onsite' } });
    expect(reasons).toContainEqual({ code: 'availability', params: { free: 2, capacity: 3, pending: 0 } });
  });

  it('rounds the distance to whole kilometres, 0 meaning under 1 km', () => {
    const here = { country: 'DE', city: 'Rostock' };
    const nearby = createEngine([buildExpert({ id: 'near', skills: ['branding'], languages: ['de'], location: here })]);
    const reasons = nearby.explain({ ...request, location: here }, 'near')?.reasons ?? [];
    expect(reasons).toContainEqual({ code: 'distance', params: { km: 0, works: 'onsite' } });
    // Stralsund to Rostock: 67.8 km as the crow flies.
    expect(engine.explain(request, 'packager')?.reasons).toContainEqual({ code: 'distance', params: { km: 68, works: 'onsite' } });
  });

  it('counts pending invitations beside the free slots', () => {
    const busy = createEngine([buildExpert({ id: 'busy', skills: ['branding'], languages: ['de'], capacity: 2, activeConsultations: 1, pendingInvitations: 3 })]);
    expect(busy.explain(request, 'busy')?.reasons).toContainEqual({ code: 'availability', params: { free: 1, capacity: 2, pending: 3 } });
  });

  it('names shared languages other than the first and the country relation for online work', () => {
    const reasons = engine.explain({ ...request, mode: 'online' }, 'graphic')?.reasons ?? [];
    expect(reasons).toContainEqual({ code: 'speaks_languages', params: { languages: ['en'] } });
    expect(reasons).toContainEqual({ code: 'country_relation', params: { relation: 'neighbour', country: 'PL' } });
  });

  it('says when the expert works in the same country', () => {
    const reasons = engine.explain({ ...request, mode: 'online' }, 'packager')?.reasons ?? [];
    expect(reasons).toContainEqual({ code: 'country_relation', params: { relation: 'same', country: 'DE' } });
  });

  it('explains an excluded expert with the failed constraint', () => {
    expect(engine.explain(request, 'graphic')?.exclusions).toEqual([{ code: 'mode_mismatch', params: { mode: 'onsite' } }]);
  });
});
