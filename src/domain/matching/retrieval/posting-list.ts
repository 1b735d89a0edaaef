/** Compaction waits for this many dead entries so small lists are not rewritten on every removal. */
const MIN_DEAD_BEFORE_COMPACTION = 16;

/**
 * Slots with a weight (term frequency or concept strength). Removal only counts a dead
 * entry; a list is compacted once half of it is dead, so removals cost O(1) amortised.
 */
export class PostingList {
  slots: number[] = [];
  weights: number[] = [];
  private dead = 0;

  get liveCount(): number {
    return this.slots.length - this.dead;
  }

  add(slot: number, weight: number): void {
    this.slots.push(slot);
    this.weights.push(weight);
  }

  markRemoved(isLive: (slot: number) => boolean): void {
    this.dead += 1;
    if (this.dead < MIN_DEAD_BEFORE_COMPACTION || this.dead * 2 < this.slots.length) return;
    const slots: number[] = [];
    const weights: number[] = [];
    this.slots.forEach((slot, position) => {
      if (!isLive(slot)) return;
      slots.push(slot);
      weights.push(this.weights[position] ?? 0);
    });
    this.slots = slots;
    this.weights = weights;
    this.dead = 0;
  }
}
