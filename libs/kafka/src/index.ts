export { connectAdmin, type KafkaAdmin, type KafkaAdminOptions, type TopicSpec, type ClusterDescription, type TopicDescription } from './kafka-admin';
export { toFlotillaError } from './kafka-errors';
export type {
  Acks,
  ConsumedBatch,
  ConsumedRecord,
  ConsumerTransport,
  ConsumerTransportOptions,
  GroupDescription,
  GroupEvent,
  HeaderValue,
  ProducerTransport,
  ProducerTransportOptions,
  SendOptions,
  TopicPartitionOffset,
  TransactionalProducerOptions,
  TransactionalProducerTransport,
  TransportFactory,
  TransportKind,
  TransportRecord,
} from './transport/transport';
export { kafkajsTransport } from './transport/kafkajs-transport';
export { CompressionCodecs, CompressionTypes, compressionRefusal } from './transport/compression';
export { rdkafkaTransport } from './transport/rdkafka-transport';
export { transportFor } from './transport/transport-for';
