// More partitions for a topic. An unkeyed topic grows where it is, on every cluster it is placed
// on; a keyed one moves to a cluster of its pool with the new count, so that the handoff keeps
// each key's order while keys change partitions.
import { roundPartitions } from '@flotilla/capacity';
import { ValidationError } from '@flotilla/errors';
import type { TopicExpandInput } from '@flotilla/workflows';
import type { ReadContext } from '../../context';
import { chooseOtherCluster } from './choose-other-cluster';
import type { ExpandTopicRequest } from './operation-inputs';
import { requireOperations } from './operations-gateway';
import { checkTopicMove } from './plan-topic-move';
import type { OperationPlan } from './start-operation';

export async function planTopicExpand(ctx: ReadContext, request: ExpandTopicRequest): Promise<OperationPlan<'topic-expand', { partitions: number; keyed: boolean }>> {
  requireOperations(ctx.services);
  const { registry } = ctx;
  const topic = await registry.topics.get(request.topic);
  if (request.partitions <= topic.partitions) {
    throw new ValidationError(`cannot expand topic "${topic.name}": partitions: expected more than its current ${topic.partitions}, got ${request.partitions}`, { field: 'partitions' });
  }
  let input: TopicExpandInput;
  if (!topic.keyed) {
    const placement = await registry.placements.of(topic.name);
    const names = [...new Set([...placement.producers, ...placement.consumers])];
    const clusters = await Promise.all(names.map((name) => registry.clusters.get(name)));
    // A multiple of every cluster's broker count, so partitions stay spread evenly everywhere.
    const partitions = clusters.reduce((count, cluster) => roundPartitions(count, cluster.brokerCount), request.partitions);
    input = { topic: topic.name, keyed: false, fromPartitions: topic.partitions, partitions, clusters: clusters.map((c) => ({ name: c.name, bootstrap: c.bootstrap })) };
  } else {
    const to = request.to ?? (await chooseOtherCluster(ctx, topic.name));
    const { spec } = await checkTopicMove(ctx, { ...request, to, replaceStaleTarget: false }, request.partitions);
    input = { topic: topic.name, keyed: true, fromPartitions: topic.partitions, partitions: spec.partitions, move: spec };
  }
  return {
    kind: 'topic-expand',
    subject: topic.name,
    input,
    audit: { action: 'operations.topicExpand', target: `topic/${topic.name}`, details: { from: topic.partitions, to: input.partitions } },
    answer: { partitions: input.partitions, keyed: topic.keyed },
  };
}
