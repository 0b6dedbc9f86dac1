// Names shared by whoever starts workflows (management, CLI, tests) and the worker that runs
// them. Changing one of these is a wire-format change for running workflows.

export const TASK_QUEUE = 'flotilla-operations';

export interface ClusterRef {
  name: string;
  bootstrap: string[];
}

export interface TopicCreateInput {
  cluster: ClusterRef;
  topic: string;
  partitions: number;
  replicationFactor: number;
  configs?: Record<string, string>;
}

export interface TopicCreateResult {
  cluster: string;
  topic: string;
  partitions: number;
}

/** One workflow per topic and cluster: starting it twice joins the running one. */
export const workflowIds = {
  topicCreate: (cluster: string, topic: string) => `topic-create:${cluster}:${topic}`,
  /** One move per topic at a time: a second start while one runs is refused by Temporal. */
  topicMove: (topic: string) => `topic-move:${topic}`,
  topicExpand: (topic: string) => `topic-expand:${topic}`,
  /** Numbered per cluster (a cluster may fail many times); management refuses a second one while one runs. */
  clusterFailover: (cluster: string, attempt: number) => `cluster-failover:${cluster}:${attempt}`,
  clusterFailback: (cluster: string, attempt: number) => `cluster-failback:${cluster}:${attempt}`,
} as const;

/** Activities the worker provides. Implementations are idempotent: Temporal may retry them. */
export interface KafkaActivities {
  ensureTopic(input: TopicCreateInput): Promise<void>;
  topicPartitions(input: { cluster: ClusterRef; topic: string }): Promise<number | null>;
  /** Adds partitions up to `partitions`; a count already reached is left alone. */
  ensurePartitions(input: { cluster: ClusterRef; topic: string; partitions: number }): Promise<void>;
}
