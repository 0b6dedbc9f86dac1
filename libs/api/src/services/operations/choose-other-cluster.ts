// Where a topic goes when the operator does not say: the planner's choice among the active
// clusters of its tier pool, other than where it is produced now.
import { planTopic } from '@flotilla/capacity';
import type { ReadContext } from '../../context';
import { capacityClusters } from '../../capacity-clusters';

export async function chooseOtherCluster({ services, registry }: ReadContext, topicName: string): Promise<string> {
  const topic = await registry.topics.get(topicName);
  const placement = await registry.placements.of(topicName);
  const plan = planTopic({
    tier: topic.tier,
    bytesInPerSec: topic.bytesInPerSec,
    consumers: topic.consumers,
    clusters: await capacityClusters(services, registry, placement.producers),
  });
  return plan.cluster;
}
