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
