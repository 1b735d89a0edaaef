import type { ResolvedPlace } from '../geo/places';
import type { ExpertForMatching } from '../types';

/** An analysed profile in the compact form the index keeps (typed arrays keep 100k profiles small). */
export interface IndexedExpert {
  readonly slot: number;
  readonly expertId: string;
  readonly concepts: readonly number[];
  readonly conceptStrengths: readonly number[];
  /** Free-tag key → the tag as written. */
  readonly freeTags: ReadonlyMap<string, string>;
  /** Ascending term ids with their field-weighted frequencies. */
  readonly termIds: Int32Array;
  readonly termFrequencies: Float32Array;
  readonly textLength: number;
  readonly languages: readonly string[];
  readonly online: boolean;
  readonly onsite: boolean;
  readonly place: ResolvedPlace;
  readonly status: ExpertForMatching['status'];
  readonly capacity: number;
  readonly activeConsultations: number;
  readonly pendingInvitations: number;
  readonly availability: number;
}

export function frequencyOf(expert: IndexedExpert, termId: number): number {
  const { termIds } = expert;
  let low = 0;
  let high = termIds.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const id = termIds[middle] ?? 0;
    if (id === termId) return expert.termFrequencies[middle] ?? 0;
    if (id < termId) low = middle + 1;
    else high = middle - 1;
  }
  return 0;
}
