/** Standard Okapi BM25 parameters. */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;
/** Text relevance 1 − e^(−4x), x being the matched share of the query's idf mass: a quarter matched gives ≈ 0.63. */
export const TEXT_SATURATION = 4;

/** Lucene's non-negative idf. */
export function inverseDocumentFrequency(documentCount: number, documentFrequency: number): number {
  return Math.log(1 + (documentCount - documentFrequency + 0.5) / (documentFrequency + 0.5));
}

export function termFrequencyPart(frequency: number, length: number, averageLength: number): number {
  const norm = BM25_K1 * (1 - BM25_B + (BM25_B * length) / (averageLength > 0 ? averageLength : 1));
  return (frequency * (BM25_K1 + 1)) / (frequency + norm);
}

export function textRelevance(bm25: number, idealMass: number): number {
  return idealMass > 0 ? 1 - Math.exp((-TEXT_SATURATION * bm25) / idealMass) : 0;
}
