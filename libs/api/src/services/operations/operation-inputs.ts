// What an operator may ask of each operation, with its defaults: the procedures parse these, the
// plans read the parsed values.
import { z } from 'zod';
import { tailOptions } from './tail-options';

/** What every operation that moves producers takes: the switch, the tail, the poll interval. */
const moveOptions = {
  /** How long producers get to take the new version before the source is fenced (30 s). */
  producerSwitchTimeoutMs: z.int().min(0).default(30_000),
  ...tailOptions,
  pollMs: z.int().min(100).default(1_000),
};

export const moveInput = z.strictObject({
  topic: z.string(),
  to: z.string(),
  ...moveOptions,
  /** Delete the source topic once it left the consumer side (by then it holds nothing readable). */
  deleteSource: z.boolean().default(true),
  /** The target holds an older copy of the topic that nobody reads: delete it and start clean (otherwise refused). */
  replaceStaleTarget: z.boolean().default(false),
});
export type MoveTopicInput = z.input<typeof moveInput>;
export type MoveTopicRequest = z.output<typeof moveInput>;

export const expandInput = z.strictObject({
  topic: z.string(),
  partitions: z.int().min(1),
  /** Keyed topics only: the cluster that takes the expanded topic (default: the pool's best). */
  to: z.string().optional(),
  ...moveOptions,
  /** Keyed only: delete the old placement once it left the consumer side. */
  deleteSource: z.boolean().default(true),
});
export type ExpandTopicInput = z.input<typeof expandInput>;
export type ExpandTopicRequest = z.output<typeof expandInput>;

/** A drain or a failback: the moves of one cluster's topics, a few at a time. */
const clusterMovesInput = z.strictObject({
  cluster: z.string(),
  /** Topic moves at a time. */
  parallelism: z.int().min(1).max(32).default(4),
  ...moveOptions,
});

export const drainInput = clusterMovesInput;
export type DrainClusterInput = z.input<typeof drainInput>;
export type DrainClusterRequest = z.output<typeof drainInput>;

export const failoverInput = z.strictObject({
  cluster: z.string(),
  /** producerSwitchTimeoutMs: once the cluster is back, producers that never took the switch are fenced there after it. */
  ...moveOptions,
  maxPollMs: z.int().min(100).default(60_000),
  parallelism: z.int().min(1).max(64).default(16),
  /** Delete each topic on the returned cluster once released (it holds nothing readable then; failback creates it afresh). */
  deleteReleased: z.boolean().default(true),
  /** Fail over even when the standbys lack the capacity the topics are planned for. */
  force: z.boolean().default(false),
});
export type FailoverClusterInput = z.input<typeof failoverInput>;
export type FailoverClusterRequest = z.output<typeof failoverInput>;

export const failbackInput = clusterMovesInput;
export type FailbackClusterInput = z.input<typeof failbackInput>;
export type FailbackClusterRequest = z.output<typeof failbackInput>;

export const operationSignalInput = z.object({ workflowId: z.string(), signal: z.enum(['pause', 'resume', 'abort', 'release']) });
export type OperationSignalRequest = z.output<typeof operationSignalInput>;

/** What every move a drain, expand or failback plans carries over from the operator's request. */
export type MoveOptions = Pick<MoveTopicRequest, 'producerSwitchTimeoutMs' | 'releaseWhenDrained' | 'staleGroupMs' | 'pollMs'>;
