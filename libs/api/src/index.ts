// @flotilla/api: the management API (tRPC). Servers mount `appRouter` with a context built from
// `authenticate` and injected services; clients import `AppRouter` as a type. The handlers under
// services/ take a plain context (`ReadContext`, `WriteContext`), so they run without HTTP too.
export { appRouter, type AppRouter } from './router';
export { authenticate, type Authentication, type Credentials } from './authenticate';
export { actorOf, type ApiContext, type ApiServices, type Identity, type ReadContext, type WriteContext } from './context';
export { createChanges, transactOn, type Audit, type AuditNote, type Changes, type Transact } from './audit/audited-changes';
export { createVersionFeed, followVersions, type AccessSetFeed, type MappingFeed, type MappingListener, type RouteSetFeed, type VersionFeed, type VersionFeedOptions, type VersionListener } from './version-feed';
export { createCallerFactory, translateContextError, type FlotillaErrorData } from './trpc';
export { createTopic } from './services/topics/create-topic';
export { describeTopic } from './services/topics/read-topics';
export type { CreateTopicInput } from './services/topics/topic-inputs';
export { capacityClusters, usedBytesOut } from './capacity-clusters';
export { heartbeatInput, type HeartbeatInput } from './routers/clients.router';
export { publishRegistry } from './publish-registry';
export { ensureAccessSet } from './services/tenancy/publish-access-set';
export { addCluster } from './services/clusters/add-cluster';
export { describeCluster } from './services/clusters/describe-cluster';
export { ROUTE_INSTANCE_ACTIVE_MS, type RouteInstance, type RouteWindow } from './services/routes/route-instances';
export type { AddClusterInput } from './services/clusters/cluster-inputs';
export type { OperationSignal, OperationStatus, OperationsGateway } from './services/operations/operations-gateway';
export { startOperation, type OperationPlan, type OperationKind } from './services/operations/start-operation';
export { planTopicMove } from './services/operations/plan-topic-move';
export type { MoveTopicInput } from './services/operations/operation-inputs';
export { BrokerSync, type BrokerSyncOptions, type BrokerTenancyAdmin, type ClusterSyncReport, type SyncReport } from './services/tenancy/broker-sync';
export { composeBrokerState, diffBrokerState, kafkaPassword, type BrokerDiff, type DesiredBrokerState } from './services/tenancy/broker-state';
