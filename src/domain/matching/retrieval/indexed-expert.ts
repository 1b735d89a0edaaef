import type { ExpertAnalysis } from '../analysis/expert-analysis';

type Carried = 'expertId' | 'freeTags' | 'languages' | 'online' | 'onsite' | 'place' | 'status' | 'capacity' | 'activeConsultations' | 'pendingInvitations';

/** An analysed profile in the compact form the index keeps (typed arrays keep 100k profiles small). */
export interface IndexedExpert extends Pick<ExpertAnalysis, Carried> {
  readonly slot: number;
  readonly concepts: readonly number[];
  readonly conceptStrengths: readonly number[];
  /** Ascending term ids with their field-weighted frequencies. */
  readonly termIds: Int32Array;
  readonly termFrequencies: Float32Array;
  readonly textLength: number;
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
