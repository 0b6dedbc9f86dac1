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
  /** The source's retention: after it, nothing unread can be left there, drained or not. */
  readonly drainTimeoutMs: number;
  /** Poll interval of the switch and drain checks. */
  readonly pollMs: number;
  /** Delete the topic on the source once consumers have left it. */
  readonly deleteSource: boolean;
}

export const moveSteps = [
  'create-target',
  'consumers-read-both',
  'producers-to-target',
  'wait-producers',
  'wait-drain',
  'consumers-target-only',
  'done',
] as const;
export type MoveStep = (typeof moveSteps)[number];

export interface MoveProgress {
  readonly step: MoveStep;
  readonly state: 'running' | 'paused' | 'aborting' | 'aborted' | 'completed';
  /** Mapping version of the last publish this move made. */
  readonly mappingVersion: number | null;
  readonly producers: { readonly switched: number; readonly total: number; readonly fenced: boolean };
  /** Records left to read on the source, per consumer group. */
  readonly lag: Readonly<Record<string, number>>;
  readonly sealed: Readonly<Record<string, number>> | null;
}

export interface TopicMoveResult {
  readonly topic: string;
  readonly from: string;
  readonly to: string;
  readonly aborted: boolean;
  readonly mappingVersion: number;
  readonly fencedStragglers: boolean;
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
}

export const moveSignals = { pause: 'pause', resume: 'resume', abort: 'abort' } as const;
export const moveQueries = { progress: 'progress' } as const;
