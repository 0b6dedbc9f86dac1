// How management starts and steers workflows, without libs/api knowing Temporal: the app injects
// an implementation over the Temporal client (apps/management/src/temporal-operations.ts).
import { UnavailableError } from '@flotilla/errors';
import type { ClusterFailbackInput, ClusterFailoverInput, ClusterOperationProgress, ExpandProgress, MoveProgress, OperationSignalName, TopicExpandInput, TopicMoveInput } from '@flotilla/workflows';

export type OperationSignal = OperationSignalName;

export interface OperationStatus {
  readonly status: 'running' | 'completed' | 'failed' | 'aborted';
  /** The workflow's result when it completed. */
  readonly result?: unknown;
  readonly error?: string;
  /** Live progress of a topic move, from the workflow's query, when it answers. */
  readonly progress?: MoveProgress;
  /** Live progress of a topic expansion (its query answers a different shape). */
  readonly expandProgress?: ExpandProgress;
  /** Live progress of a cluster failover or failback (their query answers a different shape). */
  readonly clusterProgress?: ClusterOperationProgress;
}

export interface OperationsGateway {
  /** Starts a topic move; a move already running for the topic is a ConflictError. */
  startTopicMove(workflowId: string, input: TopicMoveInput): Promise<void>;
  startTopicExpand(workflowId: string, input: TopicExpandInput): Promise<void>;
  startClusterFailover(workflowId: string, input: ClusterFailoverInput): Promise<void>;
  startClusterDrain(workflowId: string, input: ClusterFailbackInput): Promise<void>;
  startClusterFailback(workflowId: string, input: ClusterFailbackInput): Promise<void>;
  status(workflowId: string): Promise<OperationStatus>;
  signal(workflowId: string, signal: OperationSignal): Promise<void>;
}

/** The gateway, or why there is none: management runs without Temporal. */
export function requireOperations(services: { readonly operations?: OperationsGateway | undefined }): OperationsGateway {
  if (!services.operations) {
    throw new UnavailableError('operations are not available: this management service runs without Temporal (set TEMPORAL_ADDRESS)', { retryable: false });
  }
  return services.operations;
}
