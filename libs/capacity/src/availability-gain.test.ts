import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { availabilityGain } from './index';

describe('availabilityGain', () => {
  it('is s^(k−1)', () => {
    expect(availabilityGain(10, 2)).toBe(10);
    expect(availabilityGain(10, 3)).toBe(100);
    expect(availabilityGain(50, 3)).toBe(2500);
    expect(availabilityGain(4, 4)).toBe(64);
  });

  it('gains nothing from one cluster, or against a single failure', () => {
    expect(availabilityGain(1, 5)).toBe(1);
    expect(availabilityGain(25, 1)).toBe(1);
  });

  it('agrees with counting where k failures land among s equal clusters (property)', () => {
    // P(all k failures in one of s clusters) by enumeration of every assignment of failures to clusters.
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.integer({ min: 1, max: 5 }), (s, k) => {
        let together = 0;
        const total = s ** k;
        for (let assignment = 0; assignment < total; assignment++) {
          const first = assignment % s;
          let rest = assignment;
          let same = true;
          for (let i = 0; i < k; i++, rest = Math.floor(rest / s)) same &&= rest % s === first;
          if (same) together++;
        }
        // The big cluster loses data with probability 1; the gain is 1 / P(small clusters lose data).
        expect(availabilityGain(s, k)).toBeCloseTo(total / together, 9);
      }),
    );
  });

  it('rejects anything but positive integers, naming the field', () => {
    expect(() => availabilityGain(0, 2)).toThrow('clusters: expected a positive integer, got 0');
    expect(() => availabilityGain(3, 0)).toThrow('simultaneousFailures: expected a positive integer, got 0');
    expect(() => availabilityGain(2.5, 2)).toThrow('clusters: expected a positive integer, got 2.5');
  });
});
