export { createClusterRepository } from './cluster-repository';
export type { ClusterRepository } from './cluster-repository';
export { createDb } from './create-db';
export type {
  CreateDbOptions,
  Database,
  DbHandle,
  Dialect,
  PgliteDbHandle,
  PgliteDbOptions,
  PostgresDbHandle,
  PostgresDbOptions,
  Schema,
} from './create-db';
export { describeDatabase } from './describe-database';
export { defaultMigrationsFolder, migrate } from './migrate';
export type { MigrateOptions, MigrationReport } from './migrate';
export {
  clusterRoles,
  clusterStateSchema,
  clusterStates,
  clusterTiers,
  newClusterSchema,
} from './schema/clusters';
export type { Cluster, ClusterRole, ClusterState, ClusterTier, NewCluster } from './schema/clusters';
export { createTopicRepository } from './topic-repository';
export type { TopicRepository } from './topic-repository';
export { createPlacementRepository } from './placement-repository';
export type { PlacementRepository, TopicPlacement } from './placement-repository';
export { createHandoffRepository } from './handoff-repository';
export type { HandoffRepository, NewHandoff } from './handoff-repository';
export { createMappingRepository } from './mapping-repository';
export type { MappingRepository, MappingVersion, MappingVersionSummary, PublishInput } from './mapping-repository';
export { newTopicSchema, topicNameSchema } from './schema/topics';
export type { NewTopic, Topic } from './schema/topics';
export { placementSides } from './schema/placements';
export type { Placement, PlacementSide } from './schema/placements';
export type { Handoff } from './schema/handoffs';
export { createRegistry, inTransaction } from './registry';
export type { Registry } from './registry';
