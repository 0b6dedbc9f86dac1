import { ConflictError, ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { planTopic, type CapacityCluster } from './index';

const MiB = 1024 * 1024;
const HOUR = 3_600_000;

function fronting(name: string, tier: 'low' | 'medium' | 'high', freeMiB: number, extra: Partial<CapacityCluster> = {}): CapacityCluster {
  return {
    name,
    role: 'fronting',
    tier,
    state: 'active',
    brokerCount: 3,
    capacityBytesPerSec: 100 * MiB,
    usedBytesPerSec: (100 - freeMiB) * MiB,
    ...extra,
  };
}

const registry: readonly CapacityCluster[] = [
  fronting('fronting-medium-1', 'medium', 40),
  fronting('fronting-medium-2', 'medium', 80),
  // More room, but not in the pool: draining, another tier, a consumer cluster.
  fronting('fronting-medium-3', 'medium', 100, { state: 'draining' }),
  fronting('fronting-high-1', 'high', 100),
  { name: 'consumer-1', role: 'consumer', tier: null, state: 'active', brokerCount: 6, capacityBytesPerSec: 1000 * MiB, usedBytesPerSec: 0 },
];

describe('planTopic', () => {
  it('places the topic on the active cluster of its tier with the most free bytes out', () => {
    // 10 MiB/s in, 2 routers, RF 2: (2 + 2 − 1) × 10 = 30 MiB/s out.
    expect(planTopic({ bytesInPerSec: 10 * MiB, consumers: 2, tier: 'medium', clusters: registry })).toEqual({
      cluster: 'fronting-medium-2',
      partitions: 3,
      replicationFactor: 2,
      retentionMs: 4 * HOUR,
      bytesOutPerSec: 30 * MiB,
      headroomAfter: 50 * MiB,
    });
  });

  it('rounds the wanted partitions up to a multiple of the chosen cluster’s brokers', () => {
    const plan = planTopic({ bytesInPerSec: MiB, consumers: 1, tier: 'high', partitions: 4, clusters: registry });
    expect(plan).toMatchObject({ cluster: 'fronting-high-1', partitions: 6, replicationFactor: 3, retentionMs: 24 * HOUR });
  });

  it('breaks a tie in free capacity by cluster name, whatever the order given', () => {
    const tied = [fronting('fronting-b', 'low', 50), fronting('fronting-a', 'low', 50), fronting('fronting-c', 'low', 50)];
    for (const clusters of [tied, [...tied].reverse()]) {
      expect(planTopic({ bytesInPerSec: MiB, consumers: 1, tier: 'low', clusters }).cluster).toBe('fronting-a');
    }
  });

  it('budgets each cluster with its own effective replica count (small local clusters)', () => {
    // With 1 broker the high tier gets 1 replica: 40 MiB/s out fits in 90; with 3 brokers it
    // needs (1 + 3 − 1) × 40 = 120, more than the roomier cluster's 100.
    const clusters = [fronting('big', 'high', 100), fronting('single', 'high', 90, { brokerCount: 1 })];
    expect(planTopic({ bytesInPerSec: 40 * MiB, consumers: 1, tier: 'high', clusters })).toEqual({
      cluster: 'single',
      partitions: 1,
      replicationFactor: 1,
      retentionMs: 24 * HOUR,
      bytesOutPerSec: 40 * MiB,
      headroomAfter: 50 * MiB,
    });
  });

  it('says which tier is full and how much room its best candidate has', () => {
    const plan = () => planTopic({ bytesInPerSec: 50 * MiB, consumers: 1, tier: 'medium', clusters: registry });
    expect(plan).toThrow(ConflictError);
    expect(plan).toThrow(
      'tier "medium" has no active fronting cluster with room for the topic: it needs 100.0 MiB/s (104857600 B/s) bytes out, and the best candidate, "fronting-medium-2", has 80.0 MiB/s (83886080 B/s) free',
    );
  });

  it('says so when a tier has no active fronting cluster at all', () => {
    expect(() => planTopic({ bytesInPerSec: 1, consumers: 1, tier: 'low', clusters: registry })).toThrow(
      'tier "low" has no active fronting cluster to place a topic on',
    );
    const failed = [fronting('fronting-high-1', 'high', 100, { state: 'failed' })];
    expect(() => planTopic({ bytesInPerSec: 1, consumers: 1, tier: 'high', clusters: failed })).toThrow(
      'tier "high" has no active fronting cluster to place a topic on ("fronting-high-1" is failed)',
    );
    expect(() => planTopic({ bytesInPerSec: 1, consumers: 1, tier: 'high', clusters: [] })).toThrow(ConflictError);
  });

  it('treats an over-committed cluster as full, and reports no negative room', () => {
    const clusters = [fronting('over', 'low', -10)];
    expect(() => planTopic({ bytesInPerSec: 0, consumers: 0, tier: 'low', clusters })).toThrow(
      'the best candidate, "over", has 0 B/s free',
    );
  });

  it('rejects bad input with the field, the value and what was expected', () => {
    const cases: [() => unknown, string, string][] = [
      [() => planTopic({ bytesInPerSec: -1, consumers: 1, tier: 'low', clusters: registry }), 'bytesInPerSec', 'bytesInPerSec: expected a finite number ≥ 0, got -1'],
      [() => planTopic({ bytesInPerSec: 1, consumers: -1, tier: 'low', clusters: registry }), 'consumers', 'consumers: expected a non-negative integer, got -1'],
      [() => planTopic({ bytesInPerSec: 1, consumers: 1, tier: 'low', partitions: 0, clusters: registry }), 'partitions', 'partitions: expected a positive integer, got 0'],
      [
        () => planTopic({ bytesInPerSec: 1, consumers: 1, tier: 'low', clusters: [registry[0]!, { ...registry[1]!, brokerCount: 0 }] }),
        'clusters.1.brokerCount',
        'clusters.1.brokerCount: expected a positive integer, got 0',
      ],
      [
        () => planTopic({ bytesInPerSec: 1, consumers: 1, tier: 'low', clusters: [registry[0]!, registry[0]!] }),
        'clusters.1.name',
        'clusters.1.name: cluster "fronting-medium-1" is listed twice, expected each cluster once',
      ],
      [
        () => planTopic({ bytesInPerSec: 1, consumers: 1, tier: 'low', clusters: [{ ...registry[0]!, usedBytesPerSec: Number.NaN }] }),
        'clusters.0.usedBytesPerSec',
        'clusters.0.usedBytesPerSec: expected a finite number ≥ 0, got NaN',
      ],
    ];
    for (const [run, field, message] of cases) {
      expect(run).toThrow(ValidationError);
      expect(run).toThrow(message);
      try {
        run();
      } catch (error) {
        expect(error).toMatchObject({ field });
      }
    }
  });
});
