// The KafkaJS consumer shapes Flotilla keeps, plus `cluster`: with one topic read from
// several clusters, a record's partition and offset only mean something together with it.

export interface ConsumerMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  attributes: number;
  offset: string;
  /** A header sent more than once in one record arrives as an array of its values, as in KafkaJS. */
  headers: Record<string, Buffer | Buffer[] | undefined>;
}

export interface EachMessagePayload {
  cluster: string;
  topic: string;
  partition: number;
  message: ConsumerMessage;
  heartbeat(): Promise<void>;
  pause(): () => void;
}

export interface ConsumerBatch {
  cluster: string;
  topic: string;
  partition: number;
  highWatermark: string;
  messages: ConsumerMessage[];
  isEmpty(): boolean;
  /** The first message's offset; null for an empty batch. */
  firstOffset(): string | null;
  /** The last message's offset; highWatermark − 1 for an empty batch. */
  lastOffset(): string;
  /** highWatermark − 1 − lastOffset(): what is left of the partition after this batch. */
  offsetLag(): string;
  /** highWatermark − 1 − firstOffset(): what was left of the partition before it ('0' when empty). */
  offsetLagLow(): string;
}

/** KafkaJS' OffsetsByTopicPartition. */
export interface OffsetsByTopicPartition {
  topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
}

export interface EachBatchPayload {
  batch: ConsumerBatch;
  /** Marks `offset` handled: a later commit goes one past it, and a retry starts after it. */
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  /**
   * Commits `offsets` when given; otherwise what was resolved, once run()'s autoCommitInterval or
   * autoCommitThreshold is reached (without either, never: the commit after the batch does it), as in KafkaJS.
   */
  commitOffsetsIfNecessary(offsets?: OffsetsByTopicPartition): Promise<void>;
  /** The resolved offsets of this batch's partition that are not committed yet. */
  uncommittedOffsets(): OffsetsByTopicPartition;
  isRunning(): boolean;
  isStale(): boolean;
  pause(): () => void;
}

/** KafkaJS' retry options, used for a failing eachMessage/eachBatch before `consumer.crash`. */
export interface ConsumerRetry {
  retries?: number;
  initialRetryTime?: number;
  maxRetryTime?: number;
  /** Whether the consumer restarts after the retries are spent (default: yes). */
  restartOnFailure?: (error: Error) => Promise<boolean>;
}

export interface ConsumerRunConfig {
  eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  /** Commit after each handled batch (default). Off: the application calls commitOffsets. */
  autoCommit?: boolean;
  /** Also commit when this long (ms) has passed since the last commit, checked per record and at commitOffsetsIfNecessary(). */
  autoCommitInterval?: number | null;
  /** Also commit once this many resolved offsets of a partition are uncommitted, checked likewise. */
  autoCommitThreshold?: number | null;
  /** eachBatch: a batch that returns counts as handled to its end (default); off: up to what it resolved. */
  eachBatchAutoResolve?: boolean;
  /** How many partitions' handlers may run at once, over all clusters (default 1, as KafkaJS). */
  partitionsConsumedConcurrently?: number;
}

export interface ConsumerSubscribeTopics {
  topic?: string | RegExp;
  topics?: (string | RegExp)[];
  fromBeginning?: boolean;
}

export interface ClusterTopicPartitionOffset {
  /** Required when the topic is read from more than one cluster. */
  cluster?: string;
  topic: string;
  partition: number;
  offset: string;
}

export interface TopicPartitions {
  topic: string;
  partitions?: number[];
}
