import type { RequestAnalysis } from '../analysis/request-analysis';
import { freeSlots } from '../scoring/factors';
import type { IndexedExpert } from './indexed-expert';

const ONLINE = 1 << 0;
const ONSITE = 1 << 1;
const AVAILABLE = 1 << 2;
const FIRST_LANGUAGE_BIT = 3;
const LAST_LANGUAGE_BIT = 29;
/** Languages beyond the dedicated bits share this one, so the filter stays conservative. */
const OTHER_LANGUAGES = 1 << 30;
const ANY_LANGUAGE = -1;

export interface FeasibilityMask {
  readonly modes: number;
  readonly languages: number;
}

/**
 * One int per slot summarising the hard constraints (modes, active with a free slot not already offered to a pending invitation,
 * languages as bits). It rejects clearly infeasible experts before any scoring work; it
 * never rejects a feasible one, and the exact check still runs for those it lets through.
 */
export class FeasibilityMasks {
  private bits = new Int32Array(1024);
  private readonly languageBits = new Map<string, number>();

  record(expert: IndexedExpert): void {
    if (expert.slot >= this.bits.length) {
      const grown = new Int32Array(Math.max(this.bits.length * 2, expert.slot + 1));
      grown.set(this.bits);
      this.bits = grown;
    }
    let bits = (expert.online ? ONLINE : 0) | (expert.onsite ? ONSITE : 0);
    if (expert.status === 'active' && freeSlots(expert.capacity, expert.activeConsultations) > expert.pendingInvitations) bits |= AVAILABLE;
    for (const language of expert.languages) bits |= this.bitFor(language, true);
    this.bits[expert.slot] = bits;
  }

  maskFor(request: RequestAnalysis): FeasibilityMask {
    const modes = request.mode === 'onsite' ? ONSITE : request.mode === 'online' ? ONLINE : ONLINE | ONSITE;
    if (request.languages.length === 0) return { modes, languages: ANY_LANGUAGE };
    let languages = 0;
    for (const language of request.languages) languages |= this.bitFor(language, false);
    return { modes, languages };
  }

  mayBeFeasible(slot: number, mask: FeasibilityMask): boolean {
    const bits = this.bits[slot] ?? 0;
    return (bits & AVAILABLE) !== 0 && (bits & mask.modes) !== 0 && (bits & mask.languages) !== 0;
  }

  private bitFor(language: string, register: boolean): number {
    const known = this.languageBits.get(language);
    if (known !== undefined) return known;
    const next = FIRST_LANGUAGE_BIT + this.languageBits.size;
    if (next > LAST_LANGUAGE_BIT) return OTHER_LANGUAGES;
    // Not full yet, so nobody speaks a language that was never registered.
    if (!register) return 0;
    const bit = 1 << next;
    this.languageBits.set(language, bit);
    return bit;
  }
}
