// The registry's clusters as the capacity planner sees them: each with its bytes-out budget (its
// own, or the per-broker default) and what its placed topics already use by plan.
import type { CapacityCluster } from '@flotilla/capacity';
import type { Cluster, Registry } from '@flotilla/db';
import type { ApiServices } from './context';

/** Bytes out each cluster already serves by plan: (consumers + RF − 1) × bytes in, per topic. */
export async function usedBytesOut(registry: Registry): Promise<Map<string, number>> {
  const [topics, placements] = await Promise.all([registry.topics.list(), registry.placements.list()]);
  const byName = new Map(topics.map((topic) => [topic.name, topic]));
  const used = new Map<string, number>();
  for (const placement of placements) {
    const topic = byName.get(placement.topic);
    if (!topic || placement.side !== 'producer') continue;
    const bytesOut = (topic.consumers + topic.replicas - 1) * topic.bytesInPerSec;
    used.set(placement.cluster, (used.get(placement.cluster) ?? 0) + bytesOut);
  }
  return used;
}

export function capacityOf(services: ApiServices, cluster: Cluster): number {
  return cluster.capacityBytesPerSec ?? cluster.brokerCount * services.defaultCapacityPerBrokerBytesPerSec;
}

/** Every registered cluster (but those `excluded`) with its budget and planned use. */
export async function capacityClusters(services: ApiServices, registry: Registry, excluded: readonly string[] = []): Promise<CapacityCluster[]> {
  const [clusters, used] = await Promise.all([registry.clusters.list(), usedBytesOut(registry)]);
  return clusters
    .filter((cluster) => !excluded.includes(cluster.name))
    .map((cluster) => ({
      name: cluster.name,
      role: cluster.role,
      tier: cluster.tier,
      state: cluster.state,
      brokerCount: cluster.brokerCount,
      capacityBytesPerSec: capacityOf(services, cluster),
      usedBytesPerSec: used.get(cluster.name) ?? 0,
    }));
}
