import type { ExpertScore } from '../scoring/score-expert';
import type { IndexedExpert } from './indexed-expert';

export interface ScoredExpert {
  readonly expert: IndexedExpert;
  readonly scored: ExpertScore;
}

/** Best first: higher unrounded score, then lower expert id (plain code-unit order, locale-free). */
export function compareScored(a: ScoredExpert, b: ScoredExpert): number {
  if (a.scored.score !== b.scored.score) return b.scored.score - a.scored.score;
  if (a.expert.expertId === b.expert.expertId) return 0;
  return a.expert.expertId < b.expert.expertId ? -1 : 1;
}

/** Keeps the best `limit` candidates in order. */
export class TopK {
  private readonly kept: ScoredExpert[] = [];

  constructor(private readonly limit: number) {}

  get isFull(): boolean {
    return this.kept.length >= this.limit;
  }

  /** Score of the weakest kept candidate; only meaningful when full. */
  get threshold(): number {
    return this.kept[this.kept.length - 1]?.scored.score ?? Number.NEGATIVE_INFINITY;
  }

  offer(candidate: ScoredExpert): void {
    if (this.limit <= 0) return;
    let low = 0;
    let high = this.kept.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      const kept = this.kept[middle];
      if (kept && compareScored(kept, candidate) <= 0) low = middle + 1;
      else high = middle;
    }
    if (low >= this.limit) return;
    this.kept.splice(low, 0, candidate);
    if (this.kept.length > this.limit) this.kept.pop();
  }

  results(): ScoredExpert[] {
    return [...this.kept];
  }
}
