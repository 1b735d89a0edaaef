import { countryName } from '../geo/country-names';
import type { CountryRelation } from '../geo/places';
import type { IndexedExpert } from '../retrieval/indexed-expert';
import { languageName } from '../text/languages';
import type { BoundQuery } from './bound-query';
import { freeSlots } from './factors';
import { renderNeedReason, type InferredNeedReason } from './need-reasons';
import type { ExpertScore, ScoringContext } from './score-expert';
import { itemCredit, termContribution } from './skill-score';

const MAX_LISTED_SKILLS = 5;
const MAX_LISTED_TERMS = 3;

function skillReasons(context: ScoringContext, query: BoundQuery, expert: IndexedExpert): string[] {
  const shared = new Set<string>();
  const related = new Set<string>();
  const inferred: InferredNeedReason[] = [];
  const items = [...query.analysis.items].sort((a, b) => b.weight - a.weight);
  for (const item of items) {
    const { credit, concept, relation } = itemCredit(context.graph, item, expert);
    if (credit <= 0) continue;
    if (item.kind === 'concept' && item.inferred) {
      const { field, quote } = item.inferred;
      const label = context.graph.englishLabel(item.concept);
      const offered = relation === 'same' || concept === undefined ? undefined : context.graph.englishLabel(concept);
      inferred.push({ code: 'inferred_need', params: { field, quote, concept: label, ...(offered === undefined ? {} : { related: offered }) } });
    } else if (item.kind === 'free') shared.add(item.tag);
    else if (relation === 'same') shared.add(context.graph.englishLabel(item.concept));
    else if (concept !== undefined) related.add(context.graph.englishLabel(concept));
  }
  for (const label of shared) related.delete(label);
  const reasons: string[] = [];
  if (shared.size > 0) reasons.push(`Shares skills: ${[...shared].slice(0, MAX_LISTED_SKILLS).join(', ')}`);
  reasons.push(...inferred.slice(0, MAX_LISTED_SKILLS).map(renderNeedReason));
  if (related.size > 0) reasons.push(`Related expertise: ${[...related].slice(0, MAX_LISTED_SKILLS).join(', ')}`);
  const terms = query.analysis.terms
    .map((term, position) => ({ surface: term.surface, contribution: termContribution(query, position, expert) }))
    .filter((term) => term.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || (a.surface < b.surface ? -1 : 1))
    .slice(0, MAX_LISTED_TERMS);
  if (terms.length > 0) reasons.push(`Profile text matches: ${terms.map((term) => term.surface).join(', ')}`);
  return reasons;
}

function languageReason(query: BoundQuery, expert: IndexedExpert): string | undefined {
  const [first] = query.analysis.languages;
  const shared = query.analysis.languages.filter((language) => expert.languages.includes(language));
  if (first === undefined || shared.length === 0) return undefined;
  if (shared[0] === first) return `Speaks the request's first language, ${languageName(first)}`;
  return `Speaks ${shared.map(languageName).join(', ')}`;
}

const RELATION_PHRASE: Readonly<Record<CountryRelation, (country: string) => string>> = {
  same: (country) => `Based in the same country (${country})`,
  neighbour: (country) => `Based in a neighbouring country (${country})`,
  region: (country) => `Based in the South Baltic region (${country})`,
  elsewhere: (country) => `Based in ${country}`,
};

function locationReason(query: BoundQuery, expert: IndexedExpert, scored: ExpertScore): string {
  const { distanceKm } = scored.location;
  if (query.analysis.mode !== 'online' && distanceKm !== undefined) {
    const distance = distanceKm < 1 ? 'Less than 1 km away' : `${Math.round(distanceKm)} km away`;
    return `${distance}; works ${expert.onsite ? 'onsite' : 'online only'}`;
  }
  return RELATION_PHRASE[scored.location.relation](countryName(expert.place.country));
}

function availabilityReason(expert: IndexedExpert): string {
  const free = freeSlots(expert.capacity, expert.activeConsultations);
  const pending = expert.pendingInvitations;
  const slots = `${free} of ${Math.max(0, expert.capacity)} slots free`;
  return pending > 0 ? `${slots}; ${pending} invitation${pending === 1 ? '' : 's'} pending` : slots;
}

/** Plain-English reasons behind a score, strongest evidence first. */
export function explainScore(context: ScoringContext, query: BoundQuery, expert: IndexedExpert, scored: ExpertScore): string[] {
  const reasons = skillReasons(context, query, expert);
  const language = languageReason(query, expert);
  if (language) reasons.push(language);
  reasons.push(locationReason(query, expert, scored), availabilityReason(expert));
  if (scored.crossBorder && context.weights.crossBorderBonus > 0) {
    reasons.push(`Cross-border: ${countryName(expert.place.country)} → ${countryName(query.analysis.organizationCountry)}`);
  }
  return reasons;
}
