// The workflow bundle's entry: every workflow the worker registers, and nothing else.
export { topicCreate } from './topic-create.workflow';
export { topicMove } from './topic-move.workflow';
export { topicExpand } from './topic-expand.workflow';
export { clusterDrain, clusterFailback, clusterFailover } from './cluster-failover.workflow';
