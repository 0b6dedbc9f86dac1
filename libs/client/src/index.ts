// @flotilla/client: the smart multi-cluster producer and consumer (ARCHITECTURE.md §5).
export { MultiClusterProducer, type MultiClusterProducerOptions } from './producer/multi-cluster-producer';
export type { Message, ProducerRecord, ProducerBatch, TopicMessages, RecordMetadata, BufferLimits, BufferFullPolicy } from './producer/producer-types';
export { MultiClusterConsumer, type MultiClusterConsumerOptions } from './consumer/multi-cluster-consumer';
export type {
  ConsumerMessage,
  EachMessagePayload,
  EachBatchPayload,
  ConsumerBatch,
  ConsumerRunConfig,
  ConsumerSubscribeTopics,
  ClusterTopicPartitionOffset,
  TopicPartitions,
} from './consumer/consumer-types';
export * from './mapping-source';
export { BufferFullError, RecordDroppedError, InvalidRecordError, UnknownTopicError } from './errors/client-errors';
export { Stream, streamOf, streamTopic, type StreamOptions, type StreamRecord } from './streams/stream';
export { murmur2, toPositive, partitionForKey } from './partitioning/murmur2';
export { StickyPartitioner } from './partitioning/sticky-partitioner';
export { WindowedCounts, type WindowCount } from './telemetry/windowed-counts';
export { startHeartbeats, windowKey, type HeartbeatReporter, type HeartbeatReporterOptions, type HeartbeatSnapshot } from './telemetry/heartbeat-reporter';
