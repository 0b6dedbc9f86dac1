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
  /**
   * Numbered per topic (management counts earlier operations), so every operation row keeps its
   * own id; one at a time per topic is management's check of running operations.
   */
  topicMove: (topic: string, attempt: number) => `topic-move:${topic}:${attempt}`,
  topicExpand: (topic: string, attempt: number) => `topic-expand:${topic}:${attempt}`,
  /** A move run by another operation (expand, failback, drain): unique under its parent's id. */
  childTopicMove: (parentWorkflowId: string, topic: string) => `${parentWorkflowId}/topic-move:${topic}`,
  /** Numbered per cluster (a cluster may fail many times); management refuses a second one while one runs. */
  clusterFailover: (cluster: string, attempt: number) => `cluster-failover:${cluster}:${attempt}`,
  clusterFailback: (cluster: string, attempt: number) => `cluster-failback:${cluster}:${attempt}`,
  clusterDrain: (cluster: string, attempt: number) => `cluster-drain:${cluster}:${attempt}`,
} as const;

/** Activities the worker provides. Implementations are idempotent: Temporal may retry them. */
export interface KafkaActivities {
  ensureTopic(input: TopicCreateInput): Promise<void>;
  topicPartitions(input: { cluster: ClusterRef; topic: string }): Promise<number | null>;
  /** Adds partitions up to `partitions`; a count already reached is left alone. */
  ensurePartitions(input: { cluster: ClusterRef; topic: string; partitions: number }): Promise<void>;
}
