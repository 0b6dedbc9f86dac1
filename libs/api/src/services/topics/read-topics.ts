// Topics as operators see them: every topic with where it is placed, and one topic described with
// its placement, handoff, live state on each cluster, and the clients seen in heartbeats.
import { withCluster } from '../../connect-cluster';
import type { ReadContext } from '../../context';

const HEARTBEAT_ACTIVE_MS = 60_000;

export async function listTopics({ registry }: ReadContext) {
  const [topics, placements] = await Promise.all([registry.topics.list(), registry.placements.list()]);
  return topics.map((topic) => ({
    ...topic,
    producers: placements.filter((p) => p.topic === topic.name && p.side === 'producer').map((p) => p.cluster),
    consumers: placements.filter((p) => p.topic === topic.name && p.side === 'consumer').map((p) => p.cluster),
  }));
}

export async function describeTopic({ services, registry }: ReadContext, name: string) {
  const topic = await registry.topics.get(name);
  const [placement, handoff, seen] = await Promise.all([
    registry.placements.of(name),
    registry.handoffs.find(name),
    registry.clients.forTopic(name, HEARTBEAT_ACTIVE_MS),
  ]);
  const clusterNames = [...new Set([...placement.producers, ...placement.consumers])];
  const live = [];
  for (const clusterName of clusterNames) {
    const cluster = await registry.clusters.get(clusterName);
    const state = await withCluster(services, cluster.bootstrap, async (admin) => {
      const described = await admin.describeTopic(name);
      return described ? { ...described, records: described.records.toString() } : { missing: true as const };
    }).catch((error: unknown) => ({ unreachable: error instanceof Error ? error.message : String(error) }));
    live.push({ cluster: clusterName, ...state });
  }
  const session = (s: (typeof seen.producers)[number]) => ({
    clientId: s.clientId,
    application: s.application,
    mappingVersion: s.mappingVersion,
    groupId: s.groupId,
    lastHeartbeatAt: s.lastHeartbeatAt,
  });
  return {
    topic,
    placement: { producers: placement.producers, consumers: placement.consumers },
    handoff: handoff ?? null,
    live,
    producers: seen.producers.map(session),
    consumers: seen.consumers.map(session),
  };
}
