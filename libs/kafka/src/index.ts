export { connectAdmin, type KafkaAdmin, type KafkaAdminOptions, type TopicSpec, type ClusterDescription, type TopicDescription } from './kafka-admin';
export { toFlotillaError } from './kafka-errors';
export { createTenancyAdmin, USER_QUOTA_KEYS, type KafkaTenancyAdmin, type UserQuotas } from './tenancy/kafka-tenancy-admin';
export { PLATFORM_PRINCIPAL, aclBindingKey, type AclBinding, type AclResourceType, type AclPatternType, type AclOperation, type AclPermission } from './tenancy/acl-binding';
export { scramSecret, SCRAM_MIN_ITERATIONS, SCRAM_MAX_ITERATIONS, type ScramSecret } from './tenancy/scram-secret';
export type { ScramCredential } from './tenancy/scram-credentials-wire';
export type { QuotaEntryChange } from './tenancy/client-quotas-wire';
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
  SaslCredentials,
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
