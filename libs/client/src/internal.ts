// @flotilla/client/internal: parts of the smart client that other workspace projects build on
// (heartbeats for load generators, partitioning and counting for tests and tools). Not part of
// the published package (its package.json `exports` has only "."), so these may change freely.
export { murmur2, toPositive, partitionForKey } from './partitioning/murmur2';
export { StickyPartitioner } from './partitioning/sticky-partitioner';
export { WindowedCounts, type WindowCount } from './telemetry/windowed-counts';
export { startHeartbeats, windowKey, type HeartbeatReporter, type HeartbeatReporterOptions, type ApplicationWindowCount, type HeartbeatSnapshot, type RouteSnapshot, type RouteWindowCount } from './telemetry/heartbeat-reporter';
export type { MultiClusterProducerOptions } from './producer/multi-cluster-producer';
export type { MultiClusterConsumerOptions } from './consumer/multi-cluster-consumer';
// Management's other versioned documents, followed the way the mapping is (the router follows
// the route set, the HTTP proxy the access set).
export { DocumentFollower, type DocumentFollowerOptions } from './mapping-source/document-follower';
// One mapping stream per process, a MappingSource view of it per smart client (router, proxy).
export { MappingHub } from './mapping-source/mapping-hub';
// Smart clients that heartbeat to management from connect() to disconnect() (what `Flotilla`
// hands out with a token), for processes that build their clients themselves (the HTTP proxy).
export { HeartbeatingConsumer, HeartbeatingProducer, type HeartbeatSettings } from './front-door/heartbeating-clients';
// Partition counts of topics where the mapping writes them (the router's keyless routes, the proxy's requested partitions).
export { TopicPartitionCounts } from './producer/topic-partition-counts';
