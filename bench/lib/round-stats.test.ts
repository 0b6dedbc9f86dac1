// The confidence interval the client bench judges its goal by.
import { describe, expect, it } from 'vitest';
import { medianInterval } from './round-stats';

describe('medianInterval', () => {
  it('takes the 4th smallest to the 4th largest of 15 values, covering 96.5%, whatever their order', () => {
    const values = [9, 1, 14, 3, 12, 5, 7, 0, 11, 2, 13, 4, 10, 6, 8];
    const interval = medianInterval(values);
    expect([interval.low, interval.high, interval.k]).toEqual([3, 11, 4]);
    // 1 − 2 P(B ≤ 3) for B ~ Bin(15, ½) = 1 − 2 × 576 / 32768
    expect(interval.coverage).toBeCloseTo(1 - (2 * 576) / 32768, 10);
  });

  it('is the narrowest interval that still covers 95%, narrowing as rounds are added', () => {
    /** P(B ≤ j) for B ~ Bin(n, ½), summed directly. */
    const cdf = (n: number, j: number): number => {
      let sum = 0;
      for (let i = 0; i <= j; i++) sum += choose(n, i) / 2 ** n;
      return sum;
    };
    const ks = [6, 9, 15, 30, 45].map((n) => {
      const { k, coverage } = medianInterval(Array.from({ length: n }, (_, i) => i));
      expect(coverage).toBeCloseTo(1 - 2 * cdf(n, k - 1), 12);
      expect(coverage).toBeGreaterThanOrEqual(0.95);
      // One step narrower would cover less than 95%.
      expect(1 - 2 * cdf(n, k)).toBeLessThan(0.95);
      return k;
    });
    expect(ks).toEqual([1, 2, 4, 10, 16]);
  });

  it('gives the whole range, and says it covers less, when there are too few values for 95%', () => {
    expect(medianInterval([0.9, 1.1, 1.0, 0.95, 0.97])).toEqual({ low: 0.9, high: 1.1, coverage: 1 - 2 / 32, k: 1 });
    expect(medianInterval([])).toMatchObject({ k: 0, coverage: 0 });
  });
});

function choose(n: number, k: number): number {
  let value = 1;
  for (let i = 1; i <= k; i++) value = (value * (n - k + i)) / i;
  return value;
}
