import type { IndexedExpert } from '../retrieval/indexed-expert';
import type { BoundQuery } from './bound-query';
import { freeSlots } from './factors';
import type { MatchReason, SkillRef } from './match-reason';
import { inferredNeedReason } from './need-reasons';
import type { ExpertScore, ScoringContext } from './score-expert';
import { itemCredit, termContribution } from './skill-score';

const MAX_LISTED_SKILLS = 5;
const MAX_LISTED_TERMS = 3;

function skillReasons(context: ScoringContext, query: BoundQuery, expert: IndexedExpert): MatchReason[] {
  // Keyed by kind and value: each skill is named once however many request items reach it.
  const shared = new Map<string, SkillRef>();
  const related = new Set<string>();
  const inferred: MatchReason[] = [];
  const items = [...query.analysis.items].sort((a, b) => b.weight - a.weight);
  for (const item of items) {
    const { credit, concept, relation } = itemCredit(context.graph, item, expert);
    if (credit <= 0) continue;
    if (item.kind === 'concept' && item.inferred) {
      const offered = relation === 'same' || concept === undefined ? undefined : context.graph.conceptId(concept);
      inferred.push(inferredNeedReason(item.inferred.field, item.inferred.quote, context.graph.conceptId(item.concept), offered));
    } else if (item.kind === 'free') shared.set(`tag:${item.tag}`, { tag: item.tag });
    else if (relation === 'same') shared.set(`concept:${context.graph.conceptId(item.concept)}`, { concept: context.graph.conceptId(item.concept) });
    else if (concept !== undefined) related.add(context.graph.conceptId(concept));
  }
  for (const skill of shared.values()) if ('concept' in skill) related.delete(skill.concept);
  const reasons: MatchReason[] = [];
  if (shared.size > 0) reasons.push({ code: 'shared_skills', params: { skills: [...shared.values()].slice(0, MAX_LISTED_SKILLS) } });
  reasons.push(...inferred.slice(0, MAX_LISTED_SKILLS));
  if (related.size > 0) reasons.push({ code: 'related_expertise', params: { concepts: [...related].slice(0, MAX_LISTED_SKILLS) } });
  const terms = query.analysis.terms
    .map((term, position) => ({ surface: term.surface, contribution: termContribution(query, position, expert) }))
    .filter((term) => term.contribution > 0)
    .sort((a, b) => b.contribution - a.contribution || (a.surface < b.surface ? -1 : 1))
    .slice(0, MAX_LISTED_TERMS);
  if (terms.length > 0) reasons.push({ code: 'profile_text', params: { terms: terms.map((term) => term.surface) } });
  return reasons;
}

function languageReason(query: BoundQuery, expert: IndexedExpert): MatchReason | undefined {
  const [first] = query.analysis.languages;
  const shared = query.analysis.languages.filter((language) => expert.languages.includes(language));
  if (first === undefined || shared.length === 0) return undefined;
  if (shared[0] === first) return { code: 'speaks_first_language', params: { language: first } };
  return { code: 'speaks_languages', params: { languages: shared } };
}

function locationReason(query: BoundQuery, expert: IndexedExpert, scored: ExpertScore): MatchReason {
  const { distanceKm } = scored.location;
  if (query.analysis.mode !== 'online' && distanceKm !== undefined) {
    return { code: 'distance', params: { km: distanceKm < 1 ? 0 : Math.round(distanceKm), works: expert.onsite ? 'onsite' : 'online_only' } };
  }
  return { code: 'country_relation', params: { relation: scored.location.relation, country: expert.place.country } };
}

function availabilityReason(expert: IndexedExpert): MatchReason {
  const params = { free: freeSlots(expert.capacity, expert.activeConsultations), capacity: Math.max(0, expert.capacity), pending: expert.pendingInvitations };
  return { code: 'availability', params };
}

/**
 * The reasons behind a score as codes and parameters, strongest evidence first: skills (shared, inferred from the
 * request's words, related, profile text), language, place, availability, and the cross-border bonus when it counts.
 * The edge renders them in the reader's language (src/matching/reason-messages.ts).
 */
export function explainScore(context: ScoringContext, query: BoundQuery, expert: IndexedExpert, scored: ExpertScore): MatchReason[] {
  const reasons = skillReasons(context, query, expert);
  const language = languageReason(query, expert);
  if (language) reasons.push(language);
  reasons.push(locationReason(query, expert, scored), availabilityReason(expert));
  if (scored.crossBorder && context.weights.crossBorderBonus > 0) {
    reasons.push({ code: 'cross_border', params: { from: expert.place.country, to: query.analysis.organizationCountry } });
  }
  return reasons;
}
