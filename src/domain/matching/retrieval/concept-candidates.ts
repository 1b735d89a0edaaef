import type { BoundQuery } from '../scoring/bound-query';
import type { ConceptGraph } from '../taxonomy/concept-graph';
import type { ExpertIndex } from './expert-index';
import type { FeasibilityMask } from './feasibility-masks';
import { itemPostingKeys, unpostedCredit } from './skill-keys';

/** Marks are int32 stamps that save clearing the scratch arrays between queries. */
const MARK_LIMIT = 2 ** 30;

export interface ConceptCandidates {
  /** Live slots reached through a concept or free-tag posting list. */
  readonly slots: readonly number[];
  /** Per entry of `slots`: an upper bound on the expert's concept coverage. */
  readonly coverageBounds: Float64Array;
  /** Coverage every expert may reach without any posting (same-group credit). */
  readonly unpostedCoverage: number;
}

/**
 * Reads the requested items' posting lists and bounds the coverage of each reached expert
 * who passes the feasibility masks.
 * Also keeps the per-query "settled" marks the ranker uses to visit each expert once.
 */
export class ConceptCandidateCollector {
  private itemBest = new Float64Array(0);
  private coverage = new Float64Array(0);
  private itemMark = new Int32Array(0);
  private settledMark = new Int32Array(0);
  private queryStamp = 0;
  private itemStamp = 0;

  constructor(
    private readonly index: ExpertIndex,
    private readonly graph: ConceptGraph,
  ) {}

  /** Starts a query: every slot becomes unsettled. */
  begin(): void {
    const needed = this.index.slotCount;
    if (this.settledMark.length < needed || this.queryStamp >= MARK_LIMIT || this.itemStamp >= MARK_LIMIT) {
      const size = Math.max(needed, this.settledMark.length * 2, 1024);
      this.itemBest = new Float64Array(size);
      this.coverage = new Float64Array(size);
      this.itemMark = new Int32Array(size);
      this.settledMark = new Int32Array(size);
      this.queryStamp = 0;
      this.itemStamp = 0;
    }
    this.queryStamp += 1;
  }

  isSettled(slot: number): boolean {
    return this.settledMark[slot] === this.queryStamp;
  }

  settle(slot: number): void {
    this.settledMark[slot] = this.queryStamp;
  }

  /** Collects the reached experts that may be feasible, and settles them. */
  collect(query: BoundQuery, mask: FeasibilityMask): ConceptCandidates {
    const slots: number[] = [];
    let base = 0;
    for (const item of query.analysis.items) {
      const floor = unpostedCredit(item);
      base += item.weight * floor;
      this.itemStamp += 1;
      const reached: number[] = [];
      for (const [key, credit] of itemPostingKeys(this.graph, item)) {
        const list = this.index.skillPosting(key);
        if (list) this.readList(list.slots, list.weights, credit, mask, reached);
      }
      for (const slot of reached) {
        if (!this.index.at(slot)) continue;
        if (!this.isSettled(slot)) {
          this.settle(slot);
          this.coverage[slot] = 0;
          slots.push(slot);
        }
        this.coverage[slot] = (this.coverage[slot] ?? 0) + item.weight * Math.max(0, (this.itemBest[slot] ?? 0) - floor);
      }
    }
    const total = query.itemWeightTotal > 0 ? query.itemWeightTotal : 1;
    const coverageBounds = new Float64Array(slots.length);
    for (let position = 0; position < slots.length; position += 1) {
      coverageBounds[position] = (base + (this.coverage[slots[position] ?? 0] ?? 0)) / total;
    }
    return { slots, coverageBounds, unpostedCoverage: base / total };
  }

  /** Keeps each slot's best credit for the current item. */
  private readList(slots: readonly number[], weights: readonly number[], credit: number, mask: FeasibilityMask, reached: number[]): void {
    const { itemMark, itemBest, itemStamp } = this;
    const { feasibility } = this.index;
    for (let entry = 0; entry < slots.length; entry += 1) {
      const slot = slots[entry] ?? 0;
      if (!feasibility.mayBeFeasible(slot, mask)) continue;
      const value = credit * (weights[entry] ?? 0);
      if (itemMark[slot] !== itemStamp) {
        itemMark[slot] = itemStamp;
        itemBest[slot] = value;
        reached.push(slot);
      } else if (value > (itemBest[slot] ?? 0)) {
        itemBest[slot] = value;
      }
    }
  }
}
