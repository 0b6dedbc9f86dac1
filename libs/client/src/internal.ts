// @flotilla/client/internal: parts of the smart client that other workspace projects build on
// (heartbeats for load generators, partitioning and counting for tests and tools). Not part of
// the published package (its package.json `exports` has only "."), so these may change freely.
export { murmur2, toPositive, partitionForKey } from './partitioning/murmur2';
export { StickyPartitioner } from './partitioning/sticky-partitioner';
export { WindowedCounts, type WindowCount } from './telemetry/windowed-counts';
export { startHeartbeats, windowKey, type HeartbeatReporter, type HeartbeatReporterOptions, type HeartbeatSnapshot, type RouteSnapshot, type RouteWindowCount } from './telemetry/heartbeat-reporter';
export type { MultiClusterProducerOptions } from './producer/multi-cluster-producer';
export type { MultiClusterConsumerOptions } from './consumer/multi-cluster-consumer';
// One SSE connection with node:http(s), for processes that follow other documents of management
// the way the mapping is followed (the router follows the route set).
export { openEventStream, type EventStream, type EventStreamHandlers, type EventStreamOptions } from './mapping-source/event-stream-request';
export type { SseEvent } from './mapping-source/sse-parser';
