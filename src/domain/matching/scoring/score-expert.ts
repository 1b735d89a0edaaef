import type { Gazetteer } from '../geo/parse-gazetteer';
import type { IndexedExpert } from '../retrieval/indexed-expert';
import type { ConceptGraph } from '../taxonomy/concept-graph';
import type { MatchWeights, ScoreBreakdown } from '../types';
import type { BoundQuery } from './bound-query';
import { assessLocation, languageFactor, type LocationAssessment } from './factors';
import { bm25Score, conceptCoverage, skillFactor } from './skill-score';

export interface ScoringContext {
  readonly graph: ConceptGraph;
  readonly gazetteer: Gazetteer;
  readonly weights: MatchWeights;
}

export interface ExpertScore {
  /** Unrounded, in [0, 1]. */
  readonly score: number;
  readonly breakdown: ScoreBreakdown;
  readonly location: LocationAssessment;
  readonly crossBorder: boolean;
}

/**
 * The cross-border bonus acts as the weight of a 0/1 factor, so it joins the normaliser
 * and the score stays in [0, 1]; with the default weight 0 it changes nothing.
 */
export function totalWeight(weights: MatchWeights): number {
  return weights.skills + weights.language + weights.location + weights.availability + weights.crossBorderBonus;
}

/** The most any expert can gain from everything except skills. */
export function nonSkillWeight(weights: MatchWeights): number {
  return weights.language + weights.location + weights.availability + weights.crossBorderBonus;
}

type NonSkillBreakdown = Omit<ScoreBreakdown, 'skills'>;

function weightedNonSkill(weights: MatchWeights, factors: NonSkillBreakdown, crossBorder: boolean): number {
  return (
    weights.language * factors.language +
    weights.location * factors.location +
    weights.availability * factors.availability +
    (crossBorder ? weights.crossBorderBonus : 0)
  );
}

export function combineScore(weights: MatchWeights, breakdown: ScoreBreakdown, crossBorder: boolean): number {
  return (weights.skills * breakdown.skills + weightedNonSkill(weights, breakdown, crossBorder)) / totalWeight(weights);
}

interface NonSkillFactors {
  readonly language: number;
  readonly location: LocationAssessment;
  readonly availability: number;
  readonly crossBorder: boolean;
}

function nonSkillFactors(context: ScoringContext, query: BoundQuery, expert: IndexedExpert): NonSkillFactors {
  const request = query.analysis;
  return {
    language: languageFactor(request.languages, expert.languages),
    location: assessLocation(context.gazetteer, request, expert),
    availability: expert.availability,
    crossBorder: request.organizationCountry !== '' && expert.place.country !== request.organizationCountry,
  };
}

/** The weighted non-skill part of the score's numerator: cheap, and exact. */
export function nonSkillNumerator(context: ScoringContext, query: BoundQuery, expert: IndexedExpert): number {
  const factors = nonSkillFactors(context, query, expert);
  const breakdown = { language: factors.language, location: factors.location.score, availability: factors.availability };
  return weightedNonSkill(context.weights, breakdown, factors.crossBorder);
}

/** The one scoring function behind rank, rankExhaustive, explain and rankRequestsForExpert. */
export function scoreExpert(context: ScoringContext, query: BoundQuery, expert: IndexedExpert): ExpertScore {
  const factors = nonSkillFactors(context, query, expert);
  const breakdown: ScoreBreakdown = {
    skills: skillFactor(query, conceptCoverage(query, expert), bm25Score(query, expert)),
    language: factors.language,
    location: factors.location.score,
    availability: factors.availability,
  };
  return { score: combineScore(context.weights, breakdown, factors.crossBorder), breakdown, location: factors.location, crossBorder: factors.crossBorder };
}
