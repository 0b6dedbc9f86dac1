export { connectAdmin, type KafkaAdmin, type KafkaAdminOptions, type TopicSpec, type ClusterDescription } from './kafka-admin';
export { toFlotillaError } from './kafka-errors';
