import { ConflictError } from '@flotilla/errors';
import { CLUSTER_TIERS } from '@flotilla/mapping';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bytesOut, effectiveReplicas, planTopic, type CapacityCluster, type PlanTopicInput } from './index';

const clusterFields = fc.record({
  role: fc.constantFrom('fronting', 'fronting', 'fronting', 'consumer') as fc.Arbitrary<'fronting' | 'consumer'>,
  tier: fc.constantFrom(...CLUSTER_TIERS),
  state: fc.constantFrom('active', 'active', 'active', 'draining', 'failed', 'retired') as fc.Arbitrary<CapacityCluster['state']>,
  brokerCount: fc.integer({ min: 1, max: 6 }),
  // Coarse numbers so that ties in free capacity happen often.
  capacityBytesPerSec: fc.integer({ min: 0, max: 10 }).map((n) => n * 100),
  usedBytesPerSec: fc.integer({ min: 0, max: 10 }).map((n) => n * 100),
});

const clusters = fc
  .uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'), { maxLength: 8 })
  .chain((names) => fc.tuple(...names.map((name) => clusterFields.map((fields): CapacityCluster => ({ name, ...fields })))));

const input: fc.Arbitrary<PlanTopicInput> = fc.record(
  {
    bytesInPerSec: fc.integer({ min: 0, max: 300 }),
    consumers: fc.integer({ min: 0, max: 4 }),
    tier: fc.constantFrom(...CLUSTER_TIERS),
    partitions: fc.integer({ min: 1, max: 50 }),
    clusters,
  },
  { requiredKeys: ['bytesInPerSec', 'consumers', 'tier', 'clusters'] },
);

function free(cluster: CapacityCluster): number {
  return cluster.capacityBytesPerSec - cluster.usedBytesPerSec;
}

describe('planTopic (properties)', () => {
  it('chooses, among the pool’s clusters that fit, one with the most free capacity (ties by name)', () => {
    fc.assert(
      fc.property(input, (request) => {
        const fitting = request.clusters.filter(
          (cluster) =>
            cluster.role === 'fronting' &&
            cluster.tier === request.tier &&
            cluster.state === 'active' &&
            bytesOut({
              bytesIn: request.bytesInPerSec,
              consumers: request.consumers,
              replicationFactor: effectiveReplicas(request.tier, cluster.brokerCount),
            }) <= free(cluster),
        );
        if (fitting.length === 0) {
          expect(() => planTopic(request)).toThrow(ConflictError);
          expect(() => planTopic(request)).toThrow(`tier "${request.tier}" has no active fronting cluster`);
          return;
        }
        const plan = planTopic(request);
        const chosen = fitting.find((cluster) => cluster.name === plan.cluster);
        expect(chosen).toBeDefined();
        for (const other of fitting) {
          expect(free(chosen!)).toBeGreaterThanOrEqual(free(other));
          if (free(other) === free(chosen!)) expect(chosen!.name <= other.name).toBe(true);
        }
        expect(plan.headroomAfter).toBeGreaterThanOrEqual(0);
        expect(plan.headroomAfter).toBe(free(chosen!) - plan.bytesOutPerSec);
        expect(plan.replicationFactor).toBeLessThanOrEqual(chosen!.brokerCount);
        expect(plan.partitions % chosen!.brokerCount).toBe(0);
        expect(plan.partitions).toBeGreaterThanOrEqual(request.partitions ?? 1);
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same plan whatever order the registry lists clusters in', () => {
    fc.assert(
      fc.property(
        input.chain((request) =>
          fc.tuple(fc.constant(request), fc.shuffledSubarray([...request.clusters], { minLength: request.clusters.length })),
        ),
        ([request, shuffled]) => {
          const outcome = (clusters: readonly CapacityCluster[]) => {
            try {
              return planTopic({ ...request, clusters });
            } catch (error) {
              return (error as Error).message;
            }
          };
          expect(outcome(shuffled)).toEqual(outcome(request.clusters));
        },
      ),
      { numRuns: 300 },
    );
  });
});
