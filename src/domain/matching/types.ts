import type { MatchReason } from './scoring/match-reason';

export type WorkMode = 'online' | 'onsite';

export interface Place {
  country: string;
  city?: string;
  lat?: number;
  lon?: number;
}

export interface ExpertForMatching {
  id: string;
  name: string;
  headline?: string;
  bio?: string;
  skills: string[];
  languages: string[];
  location: Place;
  modes: WorkMode[];
  capacity: number;
  /** Accepted and not yet completed or cancelled. */
  activeConsultations: number;
  pendingInvitations: number;
  status: 'active' | 'paused' | 'erased';
}

export interface RequestForMatching {
  id: string;
  title: string;
  description: string;
  skills: string[];
  languages: string[];
  location: Place;
  mode: 'online' | 'onsite' | 'any';
  organizationCountry: string;
  topic?: string;
}

export interface MatchWeights {
  skills: number;
  language: number;
  location: number;
  availability: number;
  crossBorderBonus: number;
}

/** Each factor lies in [0, 1]. */
export interface ScoreBreakdown {
  skills: number;
  language: number;
  location: number;
  availability: number;
}

export type ExclusionCode = 'no_shared_language' | 'mode_mismatch' | 'paused' | 'erased' | 'no_capacity' | 'invitations_full';

export interface Exclusion {
  code: ExclusionCode;
  message: string;
}

export interface RankedCandidate {
  expertId: string;
  rank: number;
  score: number;
  breakdown: ScoreBreakdown;
  reasons: MatchReason[];
}

export interface ExpertVerdict {
  expertId: string;
  feasible: boolean;
  exclusions: Exclusion[];
  score: number;
  breakdown: ScoreBreakdown;
  reasons: MatchReason[];
}

export interface RankOptions {
  limit?: number;
  excludeExpertIds?: ReadonlySet<string>;
}
