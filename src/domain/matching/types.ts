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

/**
 * A hard constraint the expert fails, as a code and its parameters (no text: src/matching/reason-messages.ts words
 * it in the reader's language). Languages are ISO 639-1 codes; `mode` is the request's.
 */
export type Exclusion =
  | { code: 'erased' | 'paused'; params: Record<string, never> }
  | { code: 'no_shared_language'; params: { speaks: string[]; needs: string[] } }
  | { code: 'mode_mismatch'; params: { mode: 'online' | 'onsite' | 'any' } }
  | { code: 'no_capacity'; params: { taken: number; capacity: number } }
  | { code: 'invitations_full'; params: { pending: number; free: number } };

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
