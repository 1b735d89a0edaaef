const WORDS_PER_SIGNATURE = 8;
const BITS = WORDS_PER_SIGNATURE * 32;

/**
 * A 256-bit summary of the terms in each profile (one bit per term id modulo 256). It can
 * say "certainly absent" for a query term, which bounds a profile's text score in a few
 * operations instead of the binary searches the exact BM25 score needs.
 */
export class TermSignatures {
  private words = new Int32Array(1024 * WORDS_PER_SIGNATURE);

  record(slot: number, termIds: ArrayLike<number>): void {
    const start = slot * WORDS_PER_SIGNATURE;
    if (start + WORDS_PER_SIGNATURE > this.words.length) {
      const grown = new Int32Array(Math.max(this.words.length * 2, start + WORDS_PER_SIGNATURE));
      grown.set(this.words);
      this.words = grown;
    }
    for (let index = 0; index < termIds.length; index += 1) {
      const bit = (termIds[index] ?? 0) % BITS;
      this.words[start + (bit >> 5)] = (this.words[start + (bit >> 5)] ?? 0) | (1 << (bit & 31));
    }
  }

  /** Sum of the best cases of the query terms the profile may contain. */
  textBound(slot: number, termIds: readonly number[], bestCases: readonly number[]): number {
    const start = slot * WORDS_PER_SIGNATURE;
    let bound = 0;
    for (let position = 0; position < termIds.length; position += 1) {
      const termId = termIds[position] ?? -1;
      if (termId < 0) continue;
      const bit = termId % BITS;
      if (((this.words[start + (bit >> 5)] ?? 0) & (1 << (bit & 31))) !== 0) bound += bestCases[position] ?? 0;
    }
    return bound;
  }
}
