import { describe, expect, it } from 'vitest';
import { bytesOut } from './index';

describe('bytesOut', () => {
  it('counts each consumer once and each follower replica once', () => {
    // 10 MB/s in, 3 consumer groups, RF 3: 3 reads + 2 follower fetches.
    expect(bytesOut({ bytesIn: 10_000_000, consumers: 3, replicationFactor: 3 })).toBe(50_000_000);
    expect(bytesOut({ bytesIn: 1000, consumers: 1, replicationFactor: 1 })).toBe(1000);
    // No consumers yet: replication traffic only.
    expect(bytesOut({ bytesIn: 1000, consumers: 0, replicationFactor: 2 })).toBe(1000);
    expect(bytesOut({ bytesIn: 0, consumers: 5, replicationFactor: 3 })).toBe(0);
  });

  it('rejects impossible inputs, naming the field', () => {
    expect(() => bytesOut({ bytesIn: -1, consumers: 1, replicationFactor: 2 })).toThrow(
      'bytesIn: expected a finite number ≥ 0, got -1',
    );
    expect(() => bytesOut({ bytesIn: 1, consumers: 1.5, replicationFactor: 2 })).toThrow(
      'consumers: expected a non-negative integer, got 1.5',
    );
    expect(() => bytesOut({ bytesIn: 1, consumers: 1, replicationFactor: 0 })).toThrow(
      'replicationFactor: expected a positive integer, got 0',
    );
  });
});
