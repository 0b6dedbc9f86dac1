// The workflow input of one topic move, for every operation that moves topics (a move, a keyed
// expansion, a drain, a failback): where it goes, what the topic gets there, and its tail.
import { effectiveReplicas, roundPartitions } from '@flotilla/capacity';
import type { Cluster, Topic } from '@flotilla/db';
import type { TopicMoveInput } from '@flotilla/workflows';
import type { MoveOptions } from './operation-inputs';

/**
 * A topic's partitions on a cluster: a keyed topic keeps its count so every key keeps its
 * partition number; any other is a multiple of the broker count, so it spreads evenly.
 */
export function partitionsOn(topic: Pick<Topic, 'keyed' | 'partitions'>, brokerCount: number): number {
  return topic.keyed ? topic.partitions : roundPartitions(topic.partitions, brokerCount);
}

export interface TopicMoveSpecInput {
  readonly topic: Topic;
  readonly from: Cluster;
  readonly to: Cluster;
  /** The partitions the topic gets on the target (an expansion's new count); `partitionsOn` by default. */
  readonly partitions?: number;
  readonly options: MoveOptions;
  readonly deleteSource: boolean;
  /** The target holds an older copy nobody reads: the move deletes it and starts clean. */
  readonly replaceStaleTarget: boolean;
}

export function topicMoveSpec(input: TopicMoveSpecInput): TopicMoveInput {
  const { topic, from, to, options } = input;
  return {
    topic: topic.name,
    from: { name: from.name, bootstrap: from.bootstrap },
    to: { name: to.name, bootstrap: to.bootstrap },
    keyed: topic.keyed,
    // An expanding keyed topic changes partition numbers anyway (the handoff keeps the order).
    partitions: input.partitions === undefined ? partitionsOn(topic, to.brokerCount) : roundPartitions(input.partitions, to.brokerCount),
    replicationFactor: effectiveReplicas(topic.tier, to.brokerCount),
    configs: { 'retention.ms': String(topic.retentionMs) },
    producerSwitchTimeoutMs: options.producerSwitchTimeoutMs,
    retentionMs: topic.retentionMs,
    releaseWhenDrained: options.releaseWhenDrained,
    staleGroupMs: options.staleGroupMs,
    pollMs: options.pollMs,
    deleteSource: input.deleteSource,
    ...(input.replaceStaleTarget ? { replaceStaleTarget: true } : {}),
  };
}
