// Where a new topic goes (ARCHITECTURE.md §1): onto the active fronting cluster of its tier with
// the most free bytes-out budget that can carry it. Scaling up means adding a cluster to the
// pool, so "none fits" is an answer for an operator, not something to squeeze past.
import { ConflictError, ValidationError } from '@flotilla/errors';
import type { ClusterRole, ClusterTier } from '@flotilla/mapping';
import { bytesOut } from './bytes-out';
import { formatRate } from './format-rate';
import { requireNonNegativeInteger, requireNonNegativeNumber, requirePositiveInteger } from './require-number';
import { roundPartitions } from './round-partitions';
import { effectiveReplicas, requireTier, tierDefaults } from './tier-defaults';

/** The registry's cluster states; only `active` clusters take new topics. */
export type ClusterState = 'active' | 'draining' | 'failed' | 'retired';

export interface CapacityCluster {
  readonly name: string;
  readonly role: ClusterRole;
  /** Fronting clusters have a tier; consumer clusters have none. */
  readonly tier?: ClusterTier | null | undefined;
  readonly state: ClusterState;
  readonly brokerCount: number;
  /** The cluster's bytes-out budget, bytes per second. */
  readonly capacityBytesPerSec: number;
  /** Bytes out already committed to topics on the cluster, bytes per second. */
  readonly usedBytesPerSec: number;
}

export interface PlanTopicInput {
  readonly bytesInPerSec: number;
  /** Consumers of the topic on the fronting cluster: its routers and any basic consumers. */
  readonly consumers: number;
  readonly tier: ClusterTier;
  /** Wanted partitions; rounded up to a multiple of the chosen cluster's brokers. Default: one per broker. */
  readonly partitions?: number | undefined;
  readonly clusters: readonly CapacityCluster[];
}

export interface TopicPlan {
  readonly cluster: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly retentionMs: number;
  readonly bytesOutPerSec: number;
  /** The cluster's free bytes-out budget once the topic is placed, bytes per second. */
  readonly headroomAfter: number;
}

interface Candidate {
  readonly cluster: CapacityCluster;
  readonly free: number;
  readonly replicationFactor: number;
  readonly bytesOutPerSec: number;
}

function checkClusters(clusters: readonly CapacityCluster[]): void {
  if (!Array.isArray(clusters)) {
    throw new ValidationError('clusters: expected an array of clusters', { field: 'clusters' });
  }
  const seen = new Set<string>();
  for (const [index, cluster] of clusters.entries()) {
    const at = `clusters.${index}`;
    if (typeof cluster.name !== 'string' || cluster.name === '') {
      throw new ValidationError(`${at}.name: expected a cluster name, got ${JSON.stringify(cluster.name)}`, {
        field: `${at}.name`,
      });
    }
    if (seen.has(cluster.name)) {
      throw new ValidationError(`${at}.name: cluster "${cluster.name}" is listed twice, expected each cluster once`, {
        field: `${at}.name`,
      });
    }
    seen.add(cluster.name);
    requirePositiveInteger(`${at}.brokerCount`, cluster.brokerCount);
    requireNonNegativeNumber(`${at}.capacityBytesPerSec`, cluster.capacityBytesPerSec);
    requireNonNegativeNumber(`${at}.usedBytesPerSec`, cluster.usedBytesPerSec);
  }
}

/** More free budget first; equal budgets by name, so the same registry always gives the same plan. */
function better(a: Candidate, b: Candidate): boolean {
  return a.free > b.free || (a.free === b.free && a.cluster.name < b.cluster.name);
}

function best(candidates: readonly Candidate[]): Candidate | undefined {
  let chosen: Candidate | undefined;
  for (const candidate of candidates) if (chosen === undefined || better(candidate, chosen)) chosen = candidate;
  return chosen;
}

export function planTopic(input: PlanTopicInput): TopicPlan {
  const { bytesInPerSec, consumers, tier, partitions, clusters } = input;
  requireTier('tier', tier);
  requireNonNegativeNumber('bytesInPerSec', bytesInPerSec);
  requireNonNegativeInteger('consumers', consumers);
  if (partitions !== undefined) requirePositiveInteger('partitions', partitions);
  checkClusters(clusters);

  const ofTier = clusters.filter((cluster) => cluster.role === 'fronting' && cluster.tier === tier);
  const pool = ofTier.filter((cluster) => cluster.state === 'active');
  if (pool.length === 0) {
    // By name, so the message does not depend on the order the registry listed clusters in.
    const inactive = [...ofTier]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((cluster) => `"${cluster.name}" is ${cluster.state}`);
    throw new ConflictError(
      'tier',
      tier,
      `has no active fronting cluster to place a topic on${inactive.length === 0 ? '' : ` (${inactive.join(', ')})`}`,
    );
  }

  const candidates = pool.map((cluster): Candidate => {
    const replicationFactor = effectiveReplicas(tier, cluster.brokerCount);
    return {
      cluster,
      free: cluster.capacityBytesPerSec - cluster.usedBytesPerSec,
      replicationFactor,
      bytesOutPerSec: bytesOut({ bytesIn: bytesInPerSec, consumers, replicationFactor }),
    };
  });

  const chosen = best(candidates.filter((candidate) => candidate.bytesOutPerSec <= candidate.free));
  if (chosen === undefined) {
    // Non-empty pool, so there is a best candidate.
    const closest = best(candidates) as Candidate;
    throw new ConflictError(
      'tier',
      tier,
      `has no active fronting cluster with room for the topic: it needs ${formatRate(closest.bytesOutPerSec)} bytes out, and the best candidate, "${closest.cluster.name}", has ${formatRate(Math.max(0, closest.free))} free`,
    );
  }

  return {
    cluster: chosen.cluster.name,
    partitions: roundPartitions(partitions ?? 1, chosen.cluster.brokerCount),
    replicationFactor: chosen.replicationFactor,
    retentionMs: tierDefaults[tier].retentionMs,
    bytesOutPerSec: chosen.bytesOutPerSec,
    headroomAfter: chosen.free - chosen.bytesOutPerSec,
  };
}
