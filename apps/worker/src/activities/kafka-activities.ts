// Kafka admin activities. Each is idempotent (creating an existing topic is a no-op) because
// Temporal retries an activity whose worker died mid-call.
import type { connectAdmin } from '@flotilla/kafka';
import type { KafkaActivities } from '@flotilla/workflows';
import { toActivityFailure } from './to-activity-failure';

export interface KafkaActivityDeps {
  connectAdmin: typeof connectAdmin;
}

export function createKafkaActivities(deps: KafkaActivityDeps): KafkaActivities {
  return {
    async ensureTopic(input) {
      const admin = await deps.connectAdmin({ bootstrap: input.cluster.bootstrap }).catch(toActivityFailure);
      try {
        await admin
          .ensureTopic({
            topic: input.topic,
            partitions: input.partitions,
            replicationFactor: input.replicationFactor,
            ...(input.configs ? { configs: input.configs } : {}),
          })
          .catch(toActivityFailure);
      } finally {
        await admin.close();
      }
    },
    async ensurePartitions({ cluster, topic, partitions }) {
      const admin = await deps.connectAdmin({ bootstrap: cluster.bootstrap }).catch(toActivityFailure);
      try {
        await admin.ensurePartitions(topic, partitions).catch(toActivityFailure);
      } finally {
        await admin.close();
      }
    },
    async topicPartitions({ cluster, topic }) {
      const admin = await deps.connectAdmin({ bootstrap: cluster.bootstrap }).catch(toActivityFailure);
      try {
        return (await admin.partitionCount(topic).catch(toActivityFailure)) ?? null;
      } finally {
        await admin.close();
      }
    },
  };
}
