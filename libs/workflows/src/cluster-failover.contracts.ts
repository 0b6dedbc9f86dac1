// The wire format of cluster failover and failback (ARCHITECTURE.md §4, "Failover"): inputs
// management computes when it starts them, their progress query and the activities they add.
// Shared by management (starts, queries) and the worker (runs).
import type { ClusterRef } from './contracts';
import type { GroupDrain, OperationPhase, TopicMoveInput } from './topic-move.contracts';

/** One topic whose producers wrote to the failed cluster, and where its traffic goes instead. */
export interface FailoverTopic {
  readonly topic: string;
  /** Same role and tier as the failed cluster, active, with the most free capacity (management chose). */
  readonly standby: ClusterRef;
  /** Partitions, replicas and configs for the topic on the standby (same partitions if keyed). */
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly configs: Readonly<Record<string, string>>;
  /** Consumers read these while the failed cluster may hold unread records: it and the standby. */
  readonly consumersDuring: readonly string[];
  /** Consumers read these once the failed cluster is released (it left out). */
  readonly consumersAfter: readonly string[];
  /**
   * The topic's retention: the failed cluster stays on the consumer side this long after
   * producers left it, so every record it acknowledged before failing can still be read.
   */
  readonly retentionMs: number;
  /** Keyed topics move back through the handoff when a failover is aborted. */
  readonly keyed: boolean;
  /** Partitions and replicas the topic has on the failed cluster, for a move back there. */
  readonly homePartitions: number;
  readonly homeReplicationFactor: number;
}

export interface ClusterFailoverInput {
  /** The failed cluster; management marked it `failed` when it started the workflow. */
  readonly cluster: ClusterRef;
  /** Brokers the cluster must report before it counts as back. */
  readonly brokerCount: number;
  readonly topics: readonly FailoverTopic[];
  /** Once the cluster is back, producers still on an older version than the switch are fenced there. */
  readonly producerSwitchTimeoutMs: number;
  /** First poll interval of the return check (doubling up to maxPollMs) and of the drain check. */
  readonly pollMs: number;
  readonly maxPollMs: number;
  /** Topics switched or released at a time: a cluster holds hundreds of topics. */
  readonly parallelism: number;
  /** Delete each topic on the returned cluster once released (by then it holds nothing readable). */
  readonly deleteReleased: boolean;
  /** The operator's explicit early release, as a topic move's: only once returned and read to the end by live groups. */
  readonly releaseWhenDrained: boolean;
  readonly staleGroupMs: number;
}

export const failoverSteps = ['switch-traffic', 'retain-failed', 'move-back', 'done'] as const;
export type FailoverStep = (typeof failoverSteps)[number];

export interface FailoverProgress {
  readonly kind: 'cluster-failover';
  /** `active` until producers are on standbys; `tail` while the failed cluster stays readable. */
  readonly phase: OperationPhase;
  readonly state: 'running' | 'paused' | 'aborting' | 'aborted' | 'completed';
  readonly step: FailoverStep;
  readonly cluster: string;
  readonly topics: { readonly total: number; readonly switched: number; readonly released: number };
  /** Whether the cluster answered again; null before the first probe. */
  readonly returned: boolean | null;
  /** topic → when the failed cluster leaves its consumer side at the latest (epoch ms). */
  readonly readableUntil: Readonly<Record<string, number>>;
  /** Records left to read on the failed cluster, per topic (summed over live groups; when an early release polls). */
  readonly lag: Readonly<Record<string, number>>;
  /** Groups seen on the failed cluster per topic, and why an early release waits (when one is asked for). */
  readonly groups: Readonly<Record<string, readonly GroupDrain[]>>;
  readonly blockedBy: Readonly<Record<string, string>>;
  /** Child moves of an abort (standby → the cluster), addressable by these ids. */
  readonly children: readonly string[];
  readonly abortPending: string | null;
  /** Topics whose writes were fenced on the returned cluster because a producer never switched. */
  readonly fenced: readonly string[];
  /** topic → why it could not be failed over (deleted meanwhile, refused by management); skipped. */
  readonly failed: Readonly<Record<string, string>>;
  /** Mapping version of the last publish this failover made. */
  readonly mappingVersion: number | null;
}

export interface ClusterFailoverResult {
  readonly cluster: string;
  /** topic → standby it now lives on. */
  readonly standbys: Readonly<Record<string, string>>;
  /** False when the cluster never answered within its topics' retention (its records expired meanwhile). */
  readonly returned: boolean;
  /** Aborted: traffic went back to the cluster once it answered (topic moves from the standbys). */
  readonly aborted: boolean;
  readonly failed: Readonly<Record<string, string>>;
  readonly mappingVersion: number | null;
}

export interface ClusterFailbackInput {
  /** The cluster that came back; set `active` once every topic moved back. */
  readonly cluster: ClusterRef;
  /** One topic move per topic that failed over from it: standby → cluster. */
  readonly moves: readonly TopicMoveInput[];
  /** Topic moves in their active part at a time. */
  readonly parallelism: number;
  /** The cluster's state before the operation, restored when it is aborted. */
  readonly previousState: 'active' | 'failed' | 'draining';
}

export const failbackSteps = ['move', 'set-state', 'retain-sources', 'done'] as const;
export type FailbackStep = (typeof failbackSteps)[number];

export interface FailbackProgress {
  readonly kind: 'cluster-failback' | 'cluster-drain';
  /** `active` until every topic's producers switched; `tail` while the moves keep their sources readable. */
  readonly phase: OperationPhase;
  readonly state: 'running' | 'paused' | 'aborting' | 'aborted' | 'completed';
  readonly step: FailbackStep;
  readonly cluster: string;
  /** moved: producers switched; completed: the move ended, its source released. */
  readonly topics: { readonly total: number; readonly moved: number; readonly completed: number };
  /** Topic moves in their active part now. */
  readonly running: readonly string[];
  /** Every child move started: workflow ids `workflowIds.childTopicMove(parentId, topic)`. */
  readonly children: readonly string[];
  /** topic → why its move did not complete (aborted or failed). */
  readonly failed: Readonly<Record<string, string>>;
}

export interface ClusterFailbackResult {
  readonly cluster: string;
  readonly moved: readonly string[];
  readonly aborted: boolean;
}

export type ClusterOperationProgress = FailoverProgress | FailbackProgress;

/** Activities of cluster operations. Idempotent: Temporal retries them. */
export interface ClusterActivities {
  /** True when the cluster answers a metadata request with at least `brokerCount` brokers; never throws for a dead one. */
  clusterAnswers(input: { readonly cluster: ClusterRef; readonly brokerCount: number }): Promise<boolean>;
  /** Sets the cluster's registry state (publishing a mapping version) unless it already has it. */
  setClusterState(input: { readonly cluster: string; readonly state: 'active' | 'failed' | 'draining' | 'retired' }): Promise<void>;
}

/** Both workflows answer the same query name as the topic move, so one status call serves all. */
export const clusterQueries = { progress: 'progress' } as const;
export const clusterWorkflowTypes = { failover: 'clusterFailover', failback: 'clusterFailback', drain: 'clusterDrain' } as const;
