// @flotilla/capacity: capacity planning for the fronting pool (ARCHITECTURE.md §1). Tier
// defaults, partition rounding, bytes out, topic placement and the availability gain of many
// small clusters. Pure: no I/O.
export { effectiveReplicas, tierDefaults, type TierDefaults } from './tier-defaults';
export { roundPartitions } from './round-partitions';
export { bytesOut, type BytesOutInput } from './bytes-out';
export {
  planTopic,
  type CapacityCluster,
  type ClusterState,
  type PlanTopicInput,
  type TopicPlan,
} from './plan-topic';
export { availabilityGain } from './availability-gain';
export { formatRate } from './format-rate';
