// The topic move's wire format: its input, progress, signals, query and the activities it calls.
// Shared by management (starts, signals, queries) and the worker (runs). ARCHITECTURE.md §4.
import type { ClusterRef } from './contracts';

export interface TopicMoveInput {
  readonly topic: string;
  readonly from: ClusterRef;
  readonly to: ClusterRef;
  /** Keyed topics move through the handoff so per-key order holds across the move. */
  readonly keyed: boolean;
  /** Partitions, replicas and configs for the topic on the target (same partitions if keyed). */
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
  /** How long producers get to report the new version before the source is fenced. */
  readonly producerSwitchTimeoutMs: number;
  /**
   * The topic's retention. The source stays on the consumer side this long after producers left
   * it: by then Kafka has aged out every record it held, so no consumer, even a group created
   * later, can miss one when it goes.
   */
  readonly retentionMs: number;
  /**
   * The operator's explicit early release: the source leaves the consumer side as soon as at
   * least one live consumer group exists and every live group has read it to the end.
   */
  readonly releaseWhenDrained: boolean;
  /** A group with no members and no commit for this long no longer holds an early release (it is reported). */
  readonly staleGroupMs: number;
  /** Poll interval of the switch and drain checks. */
  readonly pollMs: number;
  /** Delete the (by then empty) topic on the source once consumers have left it. */
  readonly deleteSource: boolean;
  /**
   * The target may hold an older copy of the topic that no consumer reads (a cluster that came
   * back after its failover gave it up): it is deleted and created afresh, so old records never
   * reappear. Management sets this only where that is so; otherwise it refuses such a move.
   */
  readonly replaceStaleTarget?: boolean;
}

export const moveSteps = [
  'create-target',
  'consumers-read-both',
  'producers-to-target',
  'wait-producers',
  'retain-source',
  'consumers-target-only',
  'done',
] as const;
export type MoveStep = (typeof moveSteps)[number];

/**
 * `active` until producers write to the target (what an operator waits for); `tail` while the
 * source stays readable (retention, or an early release); `done` at the end.
 */
export type OperationPhase = 'active' | 'tail' | 'done';

/** One consumer group reading the source, as the tail sees it. */
export interface GroupDrain {
  readonly group: string;
  /** Records on the source the group has not committed. */
  readonly lag: number;
  readonly members: number;
  /** When the workflow last saw the group's committed offsets move (or first saw the group). */
  readonly lastCommitSeenAt: number;
  /** No members and no commit for `staleGroupMs`: reported, but it does not hold an early release. */
  readonly stale: boolean;
}

export interface SourceTail {
  /** Producers left the source at this time (epoch ms). */
  readonly producersLeftAt: number;
  /** The source leaves the consumer side at this time at the latest (producers left + retention). */
  readonly readableUntil: number;
  readonly releaseWhenDrained: boolean;
  /** Live and stale groups seen on the source (polled only once an early release is asked for). */
  readonly groups: readonly GroupDrain[];
  /** Why an early release is not possible yet, when one is asked for. */
  readonly blockedBy: string | null;
}

export interface MoveProgress {
  readonly kind: 'topic-move';
  readonly phase: OperationPhase;
  readonly step: MoveStep;
  readonly state: 'running' | 'paused' | 'aborting' | 'aborted' | 'completed';
  /** Mapping version of the last publish this move made. */
  readonly mappingVersion: number | null;
  readonly producers: { readonly switched: number; readonly total: number; readonly fenced: boolean };
  /** Records left to read on the source, per consumer group (when the tail polls). */
  readonly lag: Readonly<Record<string, number>>;
  readonly sealed: Readonly<Record<string, number>> | null;
  /** While the source stays readable after producers left it; null before. */
  readonly tail: SourceTail | null;
  /** An abort that waits for a condition (a keyed move's groups to read the source to its seal). */
  readonly abortPending: string | null;
}

export interface TopicMoveResult {
  readonly topic: string;
  readonly from: string;
  readonly to: string;
  readonly aborted: boolean;
  readonly mappingVersion: number;
  readonly fencedStragglers: boolean;
  /** The source left the consumer side before its retention ended (an explicit early release). */
  readonly releasedEarly: boolean;
}

/** How one publish changes a topic's keyed handoff, in the same version as its placement. */
export type HandoffChange =
  | { readonly action: 'start'; readonly from: string; readonly to: string; readonly keyed: boolean }
  | { readonly action: 'seal'; readonly sealed: Readonly<Record<string, number>> }
  | { readonly action: 'end' };

export interface PlacementChange {
  readonly topic: string;
  readonly producers?: readonly string[];
  readonly consumers?: readonly string[];
  readonly handoff?: HandoffChange;
  readonly reason: string;
}

export interface ProducerStatus {
  /** Producers of the topic seen in recent heartbeats. */
  readonly total: number;
  /** Of those, the ones that run `version` or newer. */
  readonly switched: number;
  readonly stragglers: readonly string[];
}

export interface DrainStatus {
  /** Per consumer group: records on the source not yet committed. */
  readonly lag: Readonly<Record<string, number>>;
  /**
   * Per group (from heartbeats and from Kafka's committed offsets): members now and the sum of its
   * committed offsets, so a caller polling it sees whether the group still commits.
   */
  readonly groups: Readonly<Record<string, { readonly members: number; readonly committed: number }>>;
}

/** Activities of multi-step operations. Idempotent: Temporal retries them. */
export interface OperationActivities {
  /** Publishes a placement (and handoff) change as one mapping version; returns its number. */
  publishPlacement(change: PlacementChange): Promise<number>;
  producerStatus(input: { readonly topic: string; readonly version: number }): Promise<ProducerStatus>;
  drainStatus(input: { readonly cluster: ClusterRef; readonly topic: string }): Promise<DrainStatus>;
  /** Partition → end offset. */
  endOffsets(input: { readonly cluster: ClusterRef; readonly topic: string }): Promise<Record<string, number>>;
  fenceWrites(input: { readonly cluster: ClusterRef; readonly topic: string }): Promise<void>;
  unfenceWrites(input: { readonly cluster: ClusterRef; readonly topic: string }): Promise<void>;
  deleteTopic(input: { readonly cluster: ClusterRef; readonly topic: string }): Promise<void>;
  /** Deletes the topic if it exists and waits until the cluster no longer lists it. */
  deleteTopicAndWait(input: { readonly cluster: ClusterRef; readonly topic: string }): Promise<void>;
}

/** Every operation answers these signals; a parent forwards them to its children. */
export const moveSignals = { pause: 'pause', resume: 'resume', abort: 'abort', release: 'release' } as const;
export type OperationSignalName = keyof typeof moveSignals;
export const moveQueries = { progress: 'progress' } as const;
/** A child move tells its parent (expand, failback, drain) that its active part is done. */
export const childActiveDoneSignalName = 'child-active-done';
