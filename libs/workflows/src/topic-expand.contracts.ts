// topicExpand's wire format. Non-keyed topics gain partitions where they are (Kafka adds them in
// place; keys do not matter). Keyed topics move to a new placement with the new count through the
// keyed handoff, so every key keeps its order although its partition changes.
import type { ClusterRef } from './contracts';
import type { OperationPhase, TopicMoveInput } from './topic-move.contracts';

export type TopicExpandInput =
  | { readonly topic: string; readonly keyed: false; readonly fromPartitions: number; readonly partitions: number; readonly clusters: readonly ClusterRef[] }
  | { readonly topic: string; readonly keyed: true; readonly fromPartitions: number; readonly partitions: number; readonly move: TopicMoveInput };

export interface TopicExpandResult {
  readonly topic: string;
  readonly partitions: number;
  /** Where the topic lives afterwards (a keyed expansion moves it). */
  readonly clusters: readonly string[];
  readonly aborted: boolean;
}

export interface ExpandProgress {
  readonly kind: 'topic-expand';
  readonly phase: OperationPhase;
  readonly step: 'add-partitions' | 'move' | 'retain-source' | 'done';
  readonly state: 'running' | 'paused' | 'aborting' | 'aborted' | 'completed';
  /** The keyed expansion's move (a child workflow, addressable by this id). */
  readonly children: readonly string[];
}

export interface ExpandActivities {
  /** Records the new partition count in the registry (never lowers it). */
  setTopicPartitions(input: { readonly topic: string; readonly partitions: number }): Promise<void>;
}
