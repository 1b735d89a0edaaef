import { mean, ndcgAt, precisionAt } from '../../../src/domain/matching/evaluation/ranking-metrics';

describe('ranking metrics', () => {
  const judgments = { a: 3, b: 2, c: 0, d: 1 };

  it('gives nDCG 1 for the ideal order and less for a worse one', () => {
    expect(ndcgAt(['a', 'b', 'd', 'c'], judgments, 5)).toBeCloseTo(1);
    expect(ndcgAt(['c', 'd', 'b', 'a'], judgments, 5)).toBeLessThan(1);
    expect(ndcgAt(['x', 'y'], judgments, 5)).toBe(0);
  });

  it('uses gain 2^g − 1 with a log2 discount', () => {
    const ideal = 7 + 3 / Math.log2(3);
    expect(ndcgAt(['b', 'a'], { a: 3, b: 2 }, 2)).toBeCloseTo((3 + 7 / Math.log2(3)) / ideal);
  });

  it('counts grade 2 and above as relevant for precision', () => {
    expect(precisionAt(['a', 'd', 'b'], judgments, 3)).toBeCloseTo(2 / 3);
    expect(mean([1, 0])).toBe(0.5);
  });
});
