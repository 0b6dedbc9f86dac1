// The wire format of cluster failover and failback (ARCHITECTURE.md §4, "Failover"): inputs
// management computes when it starts them, their progress query and the activities they add.
// Shared by management (starts, queries) and the worker (runs).
import type { ClusterRef } from './contracts';
import type { TopicMoveInput } from './topic-move.contracts';

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
  /** Consumers read these once every group drained the failed cluster (it left out). */
  readonly consumersAfter: readonly string[];
  /** The topic's retention: after it, nothing unread can be left on the failed cluster. */
  readonly drainTimeoutMs: number;
}

export interface ClusterFailoverInput {
  /** The failed cluster; management marked it `failed` when it started the workflow. */
  readonly cluster: ClusterRef;
  /** Brokers the cluster must report before it counts as back. */
  readonly brokerCount: number;
  readonly topics: readonly FailoverTopic[];
  /**
   * How long to wait for the cluster to answer again. Past the longest retention of its topics,
   * whatever it held has expired even if it comes back, so waiting longer saves nothing.
   */
  readonly returnTimeoutMs: number;
  /** Once the cluster is back, producers still on an older version than the switch are fenced there. */
  readonly producerSwitchTimeoutMs: number;
  /** First poll interval of the return check (doubling up to maxPollMs) and of the drain check. */
  readonly pollMs: number;
  readonly maxPollMs: number;
  /** Topics switched or drained at a time: a cluster holds hundreds of topics. */
  readonly parallelism: number;
  /** Delete each topic on the failed cluster once its consumers drained it (failback recreates it). */
  readonly deleteDrained: boolean;
}

export const failoverSteps = ['switch-traffic', 'wait-return', 'drain', 'done'] as const;
export type FailoverStep = (typeof failoverSteps)[number];

export interface FailoverProgress {
  readonly kind: 'cluster-failover';
  readonly step: FailoverStep;
  readonly cluster: string;
  readonly topics: { readonly total: number; readonly switched: number; readonly drained: number };
  /** Whether the cluster answered again; null while the workflow still waits for it. */
  readonly returned: boolean | null;
  /** Records left to read on the failed cluster, per topic (summed over its consumer groups). */
  readonly lag: Readonly<Record<string, number>>;
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
  /** False when the cluster did not answer within returnTimeoutMs: its records were given up. */
  readonly returned: boolean;
  readonly failed: Readonly<Record<string, string>>;
  readonly mappingVersion: number | null;
}

export interface ClusterFailbackInput {
  /** The cluster that came back; set `active` once every topic moved back. */
  readonly cluster: ClusterRef;
  /** One topic move per topic that failed over from it: standby → cluster. */
  readonly moves: readonly TopicMoveInput[];
  /** Topic moves running at a time. */
  readonly parallelism: number;
}

export const failbackSteps = ['move-back', 'activate', 'done'] as const;
export type FailbackStep = (typeof failbackSteps)[number];

export interface FailbackProgress {
  readonly kind: 'cluster-failback' | 'cluster-drain';
  readonly step: FailbackStep;
  readonly cluster: string;
  readonly topics: { readonly total: number; readonly moved: number };
  /** Topic moves running now (each is a child workflow `workflowIds.childTopicMove(failbackId, topic)`). */
  readonly running: readonly string[];
  /** topic → why its move did not complete (aborted or failed). */
  readonly failed: Readonly<Record<string, string>>;
}

export interface ClusterFailbackResult {
  readonly cluster: string;
  readonly moved: readonly string[];
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
