// A registered cluster with its live brokers and topics (each marked placed or not), or why it
// could not be reached.
import { withCluster } from '../../connect-cluster';
import type { ReadContext } from '../../context';

export async function describeCluster({ services, registry }: ReadContext, name: string) {
  const cluster = await registry.clusters.get(name);
  const placed = await registry.placements.topicsOn(name);
  const live = await withCluster(services, cluster.bootstrap, async (admin) => {
    const description = await admin.describeCluster();
    const names = (await admin.listTopics()).filter((topic) => !topic.startsWith('__')).sort();
    const topics = [];
    for (const topic of names) {
      const described = await admin.describeTopic(topic);
      if (described) topics.push({ ...described, records: described.records.toString(), placed: placed.includes(topic) });
    }
    return { clusterId: description.clusterId, controller: description.controller, brokers: description.brokers, topics };
  }).catch((error: unknown) => ({ unreachable: error instanceof Error ? error.message : String(error) }));
  return { ...cluster, live };
}
