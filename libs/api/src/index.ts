// @flotilla/api: the management API (tRPC). Servers mount `appRouter` with a context built from
// `authenticate` and injected services; clients import `AppRouter` as a type.
export { appRouter, type AppRouter } from './router';
export { authenticate, type Authentication, type Credentials } from './authenticate';
export { actorOf, type ApiContext, type ApiServices, type Identity } from './context';
export { createMappingFeed, followMapping, type MappingFeed, type MappingFeedOptions, type MappingListener } from './mapping-feed';
export { createCallerFactory, translateContextError, type FlotillaErrorData } from './trpc';
export { createTopic, describeTopic, type CreateTopicInput } from './routers/topics.router';
export { capacityClusters, usedBytesOut } from './capacity-clusters';
export { heartbeatInput, type HeartbeatInput } from './routers/clients.router';
export { publishRegistry } from './publish-registry';
export { addCluster, describeCluster, type AddClusterInput } from './routers/clusters.router';
export type { OperationSignal, OperationStatus, OperationsGateway } from './operations-gateway';
export { moveTopic, type MoveTopicInput } from './routers/operations.router';
