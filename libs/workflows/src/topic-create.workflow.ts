// Creates a topic on one cluster and confirms the broker reports it with the requested
// partitions. Kafka being briefly unreachable is retried; a rejected input is not.
import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { KafkaActivities, TopicCreateInput, TopicCreateResult } from './contracts';

const { ensureTopic, topicPartitions } = proxyActivities<KafkaActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 20 },
});

export async function topicCreate(input: TopicCreateInput): Promise<TopicCreateResult> {
  await ensureTopic(input);
  const partitions = await topicPartitions({ cluster: input.cluster, topic: input.topic });
  if (partitions === null || partitions < input.partitions) {
    throw ApplicationFailure.nonRetryable(
      `topic "${input.topic}" on ${input.cluster.name} has ${partitions ?? 'no'} partitions after creation; expected ${input.partitions}`,
      'CONFLICT',
    );
  }
  return { cluster: input.cluster.name, topic: input.topic, partitions };
}
