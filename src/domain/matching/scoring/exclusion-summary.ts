import type { Exclusion, ExclusionCode } from '../types';

export interface ExclusionCount {
  code: ExclusionCode;
  /** How many of the experts considered fail this constraint (an expert may fail several). */
  count: number;
}

export interface ExclusionSummary {
  /** How many experts were considered (the best-scoring ones, feasible or not). */
  considered: number;
  /** How many of them pass every hard constraint. */
  feasible: number;
  /** The constraints they fail, most common first (ties in the order of EXCLUSION_ORDER). */
  exclusions: ExclusionCount[];
}

/** Ties are broken by what the organisation can most easily change about its request: languages, then mode, then timing. */
const EXCLUSION_ORDER: readonly ExclusionCode[] = ['no_shared_language', 'mode_mismatch', 'no_capacity', 'invitations_full', 'paused', 'erased'];

/**
 * What kept the best-scoring experts from a request, counted per constraint: the input of "what would help" in the
 * unmatched mail (issue 10 item 3). Pure: `verdicts` are the engine's, for experts picked by score alone.
 */
export function summariseExclusions(verdicts: ReadonlyArray<{ exclusions: readonly Exclusion[] }>): ExclusionSummary {
  const counts = new Map<ExclusionCode, number>();
  for (const verdict of verdicts) {
    for (const code of new Set(verdict.exclusions.map((exclusion) => exclusion.code))) counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  const exclusions = [...counts].map(([code, count]) => ({ code, count }));
  exclusions.sort((a, b) => b.count - a.count || EXCLUSION_ORDER.indexOf(a.code) - EXCLUSION_ORDER.indexOf(b.code));
  return { considered: verdicts.length, feasible: verdicts.filter((verdict) => verdict.exclusions.length === 0).length, exclusions };
}
