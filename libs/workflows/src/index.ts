import { fileURLToPath } from 'node:url';

export * from './contracts';
export * from './topic-move.contracts';
export * from './topic-expand.contracts';
export * from './cluster-failover.contracts';
export { clusterDrain, clusterFailback, clusterFailover, topicCreate, topicExpand, topicMove } from './workflows';

/** Entry file for the worker's workflow bundle (Temporal bundles it with webpack). */
export const workflowsPath = fileURLToPath(new URL('./workflows.ts', import.meta.url));
