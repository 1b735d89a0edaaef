import type { Place } from '../../../src/domain/matching';
import { buildExpert, buildRequest } from './fixtures/builders';
import { createEngine } from './fixtures/engine';

const gdansk: Place = { country: 'PL', city: 'Gdańsk', lat: 54.35, lon: 18.65 };

function breakdownFor(expert: Parameters<typeof buildExpert>[0], request = buildRequest({ location: gdansk, mode: 'onsite' })) {
  const verdict = createEngine([buildExpert(expert)]).explain(request, expert.id);
  if (!verdict) throw new Error('expert not indexed');
  return verdict;
}

describe('location factor', () => {
  it('for onsite work decreases with distance and stays within [0, 1]', () => {
    const places: Place[] = [
      gdansk,
      { country: 'PL', city: 'Gdynia' },
      { country: 'PL', city: 'Słupsk' },
      { country: 'DE', city: 'Rostock' },
      { country: 'FI', city: 'Helsinki' },
    ];
    const scores = places.map((location, i) => breakdownFor({ id: `e${i}`, location }).breakdown.location);
    scores.forEach((score) => expect(score).toBeGreaterThanOrEqual(0));
    scores.forEach((score) => expect(score).toBeLessThanOrEqual(1));
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[0]).toBe(1);
  });

  it('falls back to the country when no place can be located', () => {
    const sameCountry = breakdownFor({ id: 'a', location: { country: 'PL', city: 'Nowhere' } }).breakdown.location;
    const neighbour = breakdownFor({ id: 'b', location: { country: 'DE' } }).breakdown.location;
    expect(sameCountry).toBeGreaterThan(neighbour);
  });

  it('for online work prefers the same country only lightly', () => {
    const request = buildRequest({ location: gdansk, mode: 'online' });
    const same = breakdownFor({ id: 'a', location: { country: 'PL', city: 'Słupsk' } }, request).breakdown.location;
    const neighbour = breakdownFor({ id: 'b', location: { country: 'DE', city: 'Berlin' } }, request).breakdown.location;
    const region = breakdownFor({ id: 'c', location: { country: 'SE', city: 'Malmö' } }, request).breakdown.location;
    const elsewhere = breakdownFor({ id: 'd', location: { country: 'FI', city: 'Helsinki' } }, request).breakdown.location;
    expect(same).toBeGreaterThan(neighbour);
    expect(neighbour).toBeGreaterThan(region);
    expect(region).toBeGreaterThan(elsewhere);
    expect(elsewhere).toBeGreaterThanOrEqual(0.7);
  });

  it('with mode "any" lets a remote expert who works online score well, but below a nearby one', () => {
    const request = buildRequest({ location: gdansk, mode: 'any' });
    const nearby = breakdownFor({ id: 'a', location: gdansk }, request).breakdown.location;
    const farOnline = breakdownFor({ id: 'b', location: { country: 'SE', city: 'Karlskrona' } }, request).breakdown.location;
    const farOnsiteOnly = breakdownFor({ id: 'c', location: { country: 'SE', city: 'Karlskrona' }, modes: ['onsite'] }, request).breakdown.location;
    expect(nearby).toBeGreaterThan(farOnline);
    expect(farOnline).toBeGreaterThan(farOnsiteOnly);
  });
});

describe('language factor', () => {
  const request = buildRequest({ languages: ['de', 'en'] });

  it('is highest when the expert speaks the request’s first language', () => {
    expect(breakdownFor({ id: 'a', languages: ['de'] }, request).breakdown.language).toBe(1);
    expect(breakdownFor({ id: 'b', languages: ['en'] }, request).breakdown.language).toBe(0.7);
    expect(breakdownFor({ id: 'c', languages: ['lt'] }, request).breakdown.language).toBe(0);
  });
});

describe('availability factor', () => {
  it('follows the share of free capacity', () => {
    const free = (capacity: number, activeConsultations: number) => breakdownFor({ id: 'x', capacity, activeConsultations }).breakdown.availability;
    expect(free(4, 0)).toBe(1);
    expect(free(4, 1)).toBe(0.75);
    expect(free(4, 3)).toBe(0.25);
  });

  it('is lowered by pending invitations', () => {
    const none = breakdownFor({ id: 'x', pendingInvitations: 0 }).breakdown.availability;
    const some = breakdownFor({ id: 'y', pendingInvitations: 2 }).breakdown.availability;
    expect(some).toBeLessThan(none);
    expect(some).toBeGreaterThan(0);
  });
});

describe('skills factor', () => {
  const request = buildRequest({ skills: ['exhibition design'] });

  it('gives full concept credit for the same concept and partial credit for related ones', () => {
    const same = breakdownFor({ id: 'a', skills: ['exhibition design'] }, request).breakdown.skills;
    const narrower = breakdownFor({ id: 'b', skills: ['scenography'] }, request).breakdown.skills;
    const sameGroup = breakdownFor({ id: 'c', skills: ['museum education'] }, request).breakdown.skills;
    const unrelated = breakdownFor({ id: 'd', skills: ['weaving'] }, request).breakdown.skills;
    expect(same).toBeGreaterThan(narrower);
    expect(narrower).toBeGreaterThan(sameGroup);
    expect(sameGroup).toBeGreaterThan(unrelated);
    expect(unrelated).toBe(0);
  });

  it('adds text relevance from the profile', () => {
    const bare = breakdownFor({ id: 'a', skills: ['exhibition design'] }, request).breakdown.skills;
    const described = breakdownFor({ id: 'b', skills: ['exhibition design'], bio: 'I design exhibitions for museums.' }, request).breakdown.skills;
    expect(described).toBeGreaterThan(bare);
    expect(described).toBeLessThanOrEqual(1);
  });

  it('counts free tags that both sides share', () => {
    const withTool = buildRequest({ skills: ['TouchDesigner'] });
    expect(breakdownFor({ id: 'a', skills: ['touchdesigner'] }, withTool).breakdown.skills).toBeGreaterThan(0.5);
    expect(breakdownFor({ id: 'b', skills: ['Blender'] }, withTool).breakdown.skills).toBe(0);
  });
});

describe('cross-border bonus', () => {
  const request = buildRequest({ skills: ['photography'], organizationCountry: 'DE', location: { country: 'DE', city: 'Rostock' }, mode: 'online' });
  const experts = [
    buildExpert({ id: 'german', skills: ['photography'], location: { country: 'DE', city: 'Rostock' } }),
    buildExpert({ id: 'polish', skills: ['photography'], location: { country: 'PL', city: 'Szczecin' } }),
  ];

  it('is off by default', () => {
    expect(createEngine(experts).rank(request).map((c) => c.expertId)).toEqual(['german', 'polish']);
  });

  it('favours experts from another country than the organisation when set', () => {
    const ranked = createEngine(experts, { crossBorderBonus: 0.2 }).rank(request);
    expect(ranked.map((c) => c.expertId)).toEqual(['polish', 'german']);
    expect(ranked[0]?.reasons).toContainEqual({ code: 'cross_border', params: { from: 'PL', to: 'DE' } });
    expect(ranked[1]?.reasons.map((reason) => reason.code)).not.toContain('cross_border');
  });
});
