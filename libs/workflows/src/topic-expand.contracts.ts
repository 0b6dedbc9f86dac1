// topicExpand's wire format. Non-keyed topics gain partitions where they are (Kafka adds them in
// place; keys do not matter). Keyed topics move to a new placement with the new count through the
// keyed handoff, so every key keeps its order although its partition changes.
import type { ClusterRef } from './contracts';
import type { TopicMoveInput } from './topic-move.contracts';

export type TopicExpandInput =
  | { readonly topic: string; readonly keyed: false; readonly fromPartitions: number; readonly partitions: number; readonly clusters: readonly ClusterRef[] }
  | { readonly topic: string; readonly keyed: true; readonly fromPartitions: number; readonly partitions: number; readonly move: TopicMoveInput };

export interface TopicExpandResult {
  readonly topic: string;
  readonly partitions: number;
  /** Where the topic lives afterwards (a keyed expansion moves it). */
  readonly clusters: readonly string[];
}

export interface ExpandActivities {
  /** Records the new partition count in the registry (never lowers it). */
  setTopicPartitions(input: { readonly topic: string; readonly partitions: number }): Promise<void>;
}
