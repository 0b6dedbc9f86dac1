// Where each topic of a failed cluster goes and what it gets there: pure, over the registry as
// loaded, so the choice of standbys and the capacity refusal are tested without a database.
import { bytesOut, effectiveReplicas, planTopic } from '@flotilla/capacity';
import type { Cluster, Placement, Topic } from '@flotilla/db';
import { ConflictError } from '@flotilla/errors';
import type { FailoverTopic } from '@flotilla/workflows';
import { partitionsOn } from './topic-move-spec';

export interface FailoverTopicsInput {
  readonly failed: Cluster;
  /** The active clusters of the failed one's role and tier. */
  readonly pool: readonly Cluster[];
  /** The topics produced on the failed cluster, in the order they are given standbys. */
  readonly topics: readonly Topic[];
  readonly placements: readonly Placement[];
  /** Bytes out each cluster serves by plan; the topics given a standby are added to it. */
  readonly used: Map<string, number>;
  /** A cluster's bytes-out budget. */
  readonly capacity: (cluster: Cluster) => number;
  /** Fail over even when the standbys lack the room the topics are planned for. */
  readonly force: boolean;
}

export function failoverTopics({ failed, pool, topics, placements, used, capacity, force }: FailoverTopicsInput): FailoverTopic[] {
  return topics.map((topic) => {
    const standby = chooseStandby(failed, pool, used, capacity, topic);
    const needed = bytesOut({ bytesIn: topic.bytesInPerSec, consumers: topic.consumers, replicationFactor: effectiveReplicas(topic.tier, standby.brokerCount) });
    const free = capacity(standby) - (used.get(standby.name) ?? 0);
    if (needed > free && !force) {
      throw new ConflictError(
        'cluster',
        failed.name,
        `cannot fail over: topic "${topic.name}" needs ${needed} bytes/s out and the roomiest standby, "${standby.name}", has ${Math.max(0, free)} left; add a cluster to the ${failed.tier ?? failed.role} pool, or fail over with --force to overload it`,
      );
    }
    used.set(standby.name, (used.get(standby.name) ?? 0) + needed);
    const consumers = placements.filter((p) => p.topic === topic.name && p.side === 'consumer').map((p) => p.cluster);
    const during = [...new Set([...consumers, failed.name, standby.name])];
    return {
      topic: topic.name,
      standby: { name: standby.name, bootstrap: standby.bootstrap },
      partitions: partitionsOn(topic, standby.brokerCount),
      replicationFactor: effectiveReplicas(topic.tier, standby.brokerCount),
      configs: { 'retention.ms': String(topic.retentionMs) },
      consumersDuring: during,
      consumersAfter: during.filter((cluster) => cluster !== failed.name),
      retentionMs: topic.retentionMs,
      keyed: topic.keyed,
      homePartitions: topic.partitions,
      homeReplicationFactor: effectiveReplicas(topic.tier, failed.brokerCount),
    };
  });
}

/**
 * The standby for one topic: the planner's choice among active clusters of the failed one's
 * role and tier. When none has room by plan, the one with the most left still takes it — a
 * failover that refuses leaves producers on a dead cluster, which is worse than a full one.
 */
function chooseStandby(failed: Cluster, pool: readonly Cluster[], used: ReadonlyMap<string, number>, capacity: (cluster: Cluster) => number, topic: Topic): Cluster {
  const free = (c: Cluster): number => capacity(c) - (used.get(c.name) ?? 0);
  if (failed.role === 'fronting' && failed.tier) {
    try {
      const plan = planTopic({
        tier: failed.tier,
        bytesInPerSec: topic.bytesInPerSec,
        consumers: topic.consumers,
        clusters: pool.map((c) => ({ name: c.name, role: c.role, tier: c.tier, state: c.state, brokerCount: c.brokerCount, capacityBytesPerSec: capacity(c), usedBytesPerSec: used.get(c.name) ?? 0 })),
      });
      const chosen = pool.find((c) => c.name === plan.cluster);
      if (chosen) return chosen;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  const [best] = [...pool].sort((a, b) => free(b) - free(a) || (a.name < b.name ? -1 : 1));
  if (!best) throw new ConflictError('cluster', failed.name, `cannot fail over: no active ${failed.role} cluster to take its traffic`);
  return best;
}
