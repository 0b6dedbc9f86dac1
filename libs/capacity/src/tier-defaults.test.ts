import { ValidationError } from '@flotilla/errors';
import type { ClusterTier } from '@flotilla/mapping';
import { describe, expect, it } from 'vitest';
import { effectiveReplicas, tierDefaults } from './index';

const HOUR = 3_600_000;

describe('tier defaults (ARCHITECTURE.md §1)', () => {
  it('gives low and medium two replicas, high three, and hours of retention', () => {
    expect(tierDefaults).toEqual({
      low: { replicationFactor: 2, retentionMs: 2 * HOUR },
      medium: { replicationFactor: 2, retentionMs: 4 * HOUR },
      high: { replicationFactor: 3, retentionMs: 24 * HOUR },
    });
    expect(Object.isFrozen(tierDefaults.high)).toBe(true);
  });

  it('caps replicas at the broker count of small local clusters', () => {
    expect(effectiveReplicas('high', 1)).toBe(1);
    expect(effectiveReplicas('high', 2)).toBe(2);
    expect(effectiveReplicas('high', 3)).toBe(3);
    expect(effectiveReplicas('high', 12)).toBe(3);
    expect(effectiveReplicas('medium', 1)).toBe(1);
    expect(effectiveReplicas('low', 5)).toBe(2);
  });

  it('rejects a broker count or tier that cannot exist', () => {
    expect(() => effectiveReplicas('high', 0)).toThrow('brokerCount: expected a positive integer, got 0');
    expect(() => effectiveReplicas('urgent' as ClusterTier, 3)).toThrow(
      'tier: unknown tier "urgent", expected one of low, medium, high',
    );
    expect(() => effectiveReplicas('high', 2.5)).toThrow(ValidationError);
  });
});
