export type {
  WorkMode, Place, ExpertForMatching, RequestForMatching, MatchWeights, ScoreBreakdown, ExclusionCode, Exclusion,
  RankedCandidate, ExpertVerdict, RankOptions,
} from './types';
export { DEFAULT_WEIGHTS } from './weights';
export { parseTaxonomy, type Taxonomy, type TaxonomyConcept, type TaxonomyGroup } from './taxonomy/parse-taxonomy';
export { parseGazetteer, type Gazetteer, type GazetteerPlace } from './geo/parse-gazetteer';
export { suggestSkills, type SkillSuggestion, type SuggestionLanguage } from './taxonomy/suggest-skills';
export { MatchingEngine, DEFAULT_RANK_LIMIT, type MatchingEngineOptions } from './matching-engine';
export { SUGGESTION_LANGUAGES, type NeedSuggestion, type NeedSuggestions } from './needs/suggest-needs';
export type { AnalysisLanguage } from './text/languages';
export { summariseExclusions, type ExclusionSummary, type ExclusionCount } from './scoring/exclusion-summary';
export type { MatchReason, MatchReasonCode, SkillRef, InferredNeedParams } from './scoring/match-reason';
