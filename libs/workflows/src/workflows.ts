// The workflow bundle's entry: every workflow the worker registers, and nothing else.
export { topicCreate } from './topic-create.workflow';
export { abortSignal, pauseSignal, progressQuery, resumeSignal, topicMove } from './topic-move.workflow';
export { topicExpand } from './topic-expand.workflow';
export { clusterDrain, clusterFailback, clusterFailover, failbackProgressQuery, failoverProgressQuery } from './cluster-failover.workflow';
