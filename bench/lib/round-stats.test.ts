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

  it('narrows as rounds are added, never below the asked coverage', () => {
    for (const n of [6, 9, 15, 30, 45]) {
      const { k, coverage } = medianInterval(Array.from({ length: n }, (_, i) => i));
      expect(coverage).toBeGreaterThanOrEqual(0.95);
      // One step narrower would cover less than 95%.
      expect(k === 1 || medianInterval(Array.from({ length: n }, (_, i) => i), coverage + 1e-9).k < k).toBe(true);
    }
    expect(medianInterval(Array.from({ length: 45 }, (_, i) => i)).k).toBe(16);
  });

  it('gives the whole range, and says it covers less, when there are too few values for 95%', () => {
    expect(medianInterval([0.9, 1.1, 1.0, 0.95, 0.97])).toEqual({ low: 0.9, high: 1.1, coverage: 1 - 2 / 32, k: 1 });
    expect(medianInterval([])).toMatchObject({ k: 0, coverage: 0 });
  });
});
