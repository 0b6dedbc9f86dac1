// The management service as a library, for `npm start`, tests and benchmarks.
export { managementConfigSchema, type ManagementConfig } from './config';
export { createManagementServer, type ManagementServer, type ManagementServerOptions } from './create-server';
export { ADMIN_APPLICATION, ROUTER_APPLICATION, ensureAdminToken, ensureRouterToken, parseSeedClusters, registerSeedClusters } from './first-start';
export { startManagement, type RunningManagement } from './start-management';
