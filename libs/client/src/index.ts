// @flotilla/client: the smart multi-cluster producer and consumer (ARCHITECTURE.md §5), and all
// an application imports. Everything here is the published API; the internals other workspace
// projects use (partitioners, heartbeats, windowed counts) come from `./internal.ts`, which the
// published package does not carry.
export { Flotilla } from './front-door/flotilla';
export type { FlotillaOptions, FlotillaProducerOptions, FlotillaConsumerOptions } from './front-door/flotilla-options';
export { FlotillaAdmin, type TopicPlacement } from './front-door/flotilla-admin';
export type { TopicConfig, CreateTopicsOptions, DeleteTopicsOptions } from './front-door/admin-topics';
export type { ClusterTopicOffset, ClusterCommittedOffset, FetchOffsetsOptions } from './front-door/admin-offsets';
// The classes `producer()` and `consumer()` return. Built directly they need a transport from
// the workspace (see ./internal.ts); an application goes through `Flotilla`.
export { MultiClusterProducer } from './producer/multi-cluster-producer';
export type { Message, ProducerRecord, ProducerBatch, TopicMessages, RecordMetadata, BufferLimits, BufferFullPolicy, SendOptions } from './producer/producer-types';
export type { ProducerEventName, ProducerRequestPayload } from './producer/producer-events';
export type { Transaction, TransactionOffsets } from './producer/transaction';
// KafkaJS' own CompressionTypes and CompressionCodecs: a codec registered here is the one the
// kafkajs transport compresses with.
export { CompressionTypes, CompressionCodecs } from '@flotilla/kafka';
export { MultiClusterConsumer } from './consumer/multi-cluster-consumer';
export type {
  ConsumerMessage,
  EachMessagePayload,
  EachBatchPayload,
  ConsumerBatch,
  ConsumerRunConfig,
  ConsumerSubscribeTopics,
  ClusterTopicPartitionOffset,
  TopicPartitions,
  OffsetsByTopicPartition,
  ConsumerRetry,
} from './consumer/consumer-types';
export type { ConsumerEventName, InstrumentationEvent, RemoveInstrumentationEventListener } from './consumer/consumer-events';
export type { GroupDescription } from '@flotilla/kafka';
export * from './mapping-source';
export { BufferFullError, RecordDroppedError, InvalidRecordError, UnknownTopicError } from './errors/client-errors';
// KafkaJS' error classes, matched by meaning (see errors/kafkajs-errors.ts and the README's table).
export { KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, type KafkaJSErrorShape } from './errors/kafkajs-errors';
// The base and the kinds every Flotilla error is one of, so an application can test `code`,
// `retryable` and `instanceof` without a second package.
export { FlotillaError, ValidationError, UnavailableError, ForbiddenError, ConflictError, NotFoundError, type ErrorCode } from '@flotilla/errors';
export { Stream, streamOf, streamTopic, type StreamOptions, type StreamRecord } from './streams/stream';
