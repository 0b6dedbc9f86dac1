import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roundPartitions } from './index';

describe('roundPartitions', () => {
  it('rounds up to a multiple of the broker count, at least one per broker', () => {
    expect(roundPartitions(1, 3)).toBe(3);
    expect(roundPartitions(3, 3)).toBe(3);
    expect(roundPartitions(4, 3)).toBe(6);
    expect(roundPartitions(12, 4)).toBe(12);
    expect(roundPartitions(7, 1)).toBe(7);
  });

  it('rejects counts that are not positive integers, naming the field', () => {
    expect(() => roundPartitions(0, 3)).toThrow('partitions: expected a positive integer, got 0');
    expect(() => roundPartitions(3, -1)).toThrow('brokerCount: expected a positive integer, got -1');
    expect(() => roundPartitions(Number.NaN, 3)).toThrow('partitions: expected a positive integer, got NaN');
  });

  it('is always the smallest multiple of brokerCount that is ≥ requested (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 500 }), (requested, brokers) => {
        const partitions = roundPartitions(requested, brokers);
        expect(partitions % brokers).toBe(0);
        expect(partitions).toBeGreaterThanOrEqual(requested);
        expect(partitions).toBeGreaterThanOrEqual(brokers);
        expect(partitions - brokers).toBeLessThan(requested);
      }),
    );
  });
});
