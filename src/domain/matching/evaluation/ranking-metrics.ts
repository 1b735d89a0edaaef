/** Graded relevance of each judged item; unjudged items count as 0. */
export type Judgments = Readonly<Record<string, number>>;

const gain = (grade: number) => 2 ** grade - 1;

function discountedGain(grades: readonly number[], depth: number): number {
  return grades.slice(0, depth).reduce((sum, grade, position) => sum + gain(grade) / Math.log2(position + 2), 0);
}

/** nDCG@depth with gain 2^g − 1; the ideal ordering comes from the judgments. 1 when nothing is relevant. */
export function ndcgAt(rankedIds: readonly string[], judgments: Judgments, depth: number): number {
  const ideal = discountedGain(Object.values(judgments).sort((a, b) => b - a), depth);
  if (ideal === 0) return 1;
  return discountedGain(rankedIds.map((id) => judgments[id] ?? 0), depth) / ideal;
}

/** Share of the first `depth` positions holding an item graded at least `relevantGrade`. */
export function precisionAt(rankedIds: readonly string[], judgments: Judgments, depth: number, relevantGrade = 2): number {
  const relevant = rankedIds.slice(0, depth).filter((id) => (judgments[id] ?? 0) >= relevantGrade).length;
  return relevant / depth;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
