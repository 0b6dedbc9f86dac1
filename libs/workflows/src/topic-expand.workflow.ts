// Expands a topic (see topic-expand.contracts.ts). A keyed expansion is a topic move with more
// partitions on the target, run as a child workflow so its progress, pause and abort stay the
// move's own.
import { executeChild, proxyActivities, workflowInfo } from '@temporalio/workflow';
import { workflowIds, type KafkaActivities } from './contracts';
import type { ExpandActivities, TopicExpandInput, TopicExpandResult } from './topic-expand.contracts';
import type { TopicMoveInput, TopicMoveResult } from './topic-move.contracts';

const retry = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' } as const;
const kafka = proxyActivities<KafkaActivities>({ startToCloseTimeout: '2 minutes', retry });
const ops = proxyActivities<ExpandActivities>({ startToCloseTimeout: '1 minute', retry });

export async function topicExpand(input: TopicExpandInput): Promise<TopicExpandResult> {
  if (!input.keyed) {
    for (const cluster of input.clusters) {
      await kafka.ensurePartitions({ cluster, topic: input.topic, partitions: input.partitions });
    }
    await ops.setTopicPartitions({ topic: input.topic, partitions: input.partitions });
    return { topic: input.topic, partitions: input.partitions, clusters: input.clusters.map((c) => c.name) };
  }
  const moved = await executeChild<(move: TopicMoveInput) => Promise<TopicMoveResult>>('topicMove', {
    args: [input.move],
    workflowId: workflowIds.childTopicMove(workflowInfo().workflowId, input.topic),
  });
  if (moved.aborted) return { topic: input.topic, partitions: input.fromPartitions, clusters: [moved.from] };
  await ops.setTopicPartitions({ topic: input.topic, partitions: input.partitions });
  return { topic: input.topic, partitions: input.partitions, clusters: [moved.to] };
}
