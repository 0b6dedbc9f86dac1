// The KafkaJS consumer shapes Flotilla keeps, plus `cluster`: with one topic read from
// several clusters, a record's partition and offset only mean something together with it.
export interface ConsumerMessage {
  key: Buffer | null;
  value: Buffer | null;
  timestamp: string;
  attributes: number;
  offset: string;
  headers: Record<string, Buffer | undefined>;
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
}

export interface EachBatchPayload {
  batch: ConsumerBatch;
  resolveOffset(offset: string): void;
  heartbeat(): Promise<void>;
  isRunning(): boolean;
  isStale(): boolean;
  pause(): () => void;
}

export interface ConsumerRunConfig {
  eachMessage?: (payload: EachMessagePayload) => Promise<void>;
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  /** Commit after each handled batch (default). Off: the application calls commitOffsets. */
  autoCommit?: boolean;
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
