// The operations gateway over Temporal: starts workflows on Flotilla's task queue, queries their
// progress and signals them. Temporal's own errors become ours here (a move already running is a
// conflict; Temporal unreachable is unavailable, see temporal-availability.ts).
import type { OperationSignal, OperationStatus, OperationsGateway } from '@flotilla/api';
import { ConflictError, UnavailableError } from '@flotilla/errors';
import {
  TASK_QUEUE,
  clusterWorkflowTypes,
  moveQueries,
  moveSignals,
  type ClusterFailbackInput,
  type ClusterFailoverInput,
  type ClusterOperationProgress,
  type ExpandProgress,
  type MoveProgress,
  type TopicExpandInput,
  type TopicMoveInput,
} from '@flotilla/workflows';
import { Client, Connection, WorkflowExecutionAlreadyStartedError, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { guardTemporalCalls } from './temporal-availability';

// Management answers people and scripts: a call to a Temporal that is down fails within seconds
// as 503 (retry a few times for a blip, then give up), and the channel reconnects within seconds
// once Temporal is back instead of gRPC's default backoff of up to two minutes.
const CALL_TIMEOUT_MS = 10_000;
const RETRY_ATTEMPTS = 4;
const MAX_RECONNECT_BACKOFF_MS = 2_000;

export interface TemporalOperations extends OperationsGateway {
  close(): Promise<void>;
}

export async function connectTemporalOperations(address: string, namespace: string, taskQueue: string = TASK_QUEUE): Promise<TemporalOperations> {
  // Lazy: management serves everything else while Temporal is down or still starting, and each
  // operations call says so (guardTemporalCalls) instead of management refusing to start.
  const connection = Connection.lazy({
    address,
    interceptors: [makeGrpcRetryInterceptor(defaultGrpcRetryOptions({ maxAttempts: RETRY_ATTEMPTS }))],
    channelArgs: { 'grpc.max_reconnect_backoff_ms': MAX_RECONNECT_BACKOFF_MS, 'grpc.initial_reconnect_backoff_ms': 500 },
  });
  const client = new Client({ connection, namespace });

  async function start(workflowType: string, what: string, workflowId: string, input: object): Promise<void> {
    try {
      await client.workflow.start(workflowType, { taskQueue, workflowId, args: [input] });
    } catch (error: unknown) {
      if (error instanceof WorkflowExecutionAlreadyStartedError) throw new ConflictError(what, workflowId, 'is already running', { cause: error });
      throw new UnavailableError(`Temporal refused to start ${workflowId}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  const gateway: TemporalOperations = {
    startTopicMove: (workflowId, input: TopicMoveInput) => start('topicMove', 'topic move', workflowId, input),
    startTopicExpand: (workflowId, input: TopicExpandInput) => start('topicExpand', 'topic expansion', workflowId, input),
    startClusterFailover: (workflowId, input: ClusterFailoverInput) => start(clusterWorkflowTypes.failover, 'cluster failover', workflowId, input),
    startClusterFailback: (workflowId, input: ClusterFailbackInput) => start(clusterWorkflowTypes.failback, 'cluster failback', workflowId, input),
    startClusterDrain: (workflowId, input: ClusterFailbackInput) => start(clusterWorkflowTypes.drain, 'cluster drain', workflowId, input),

    async status(workflowId): Promise<OperationStatus> {
      const handle = client.workflow.getHandle(workflowId);
      const description = await handle.describe();
      const progress = await handle.query<unknown>(moveQueries.progress).catch(() => undefined);
      const clusterTypes: readonly string[] = Object.values(clusterWorkflowTypes);
      const base =
        progress === undefined || progress === null
          ? {}
          : clusterTypes.includes(description.type)
            ? { clusterProgress: progress as ClusterOperationProgress }
            : description.type === 'topicExpand'
              ? { expandProgress: progress as ExpandProgress }
              : { progress: progress as MoveProgress };
      switch (description.status.name) {
        case 'RUNNING':
          return { status: 'running', ...base };
        case 'COMPLETED': {
          const result: unknown = await handle.result();
          const aborted = typeof result === 'object' && result !== null && (result as { aborted?: unknown }).aborted === true;
          return { status: aborted ? 'aborted' : 'completed', result, ...base };
        }
        default: {
          const error = await handle.result().then(() => undefined, (failure: unknown) => (failure instanceof Error ? (failure.cause instanceof Error ? failure.cause.message : failure.message) : String(failure)));
          return { status: 'failed', error: error ?? description.status.name, ...base };
        }
      }
    },

    async signal(workflowId, signal: OperationSignal) {
      await client.workflow.getHandle(workflowId).signal(moveSignals[signal]);
    },

    close: () => connection.close(),
  };
  return guardTemporalCalls(gateway, { address, callTimeoutMs: CALL_TIMEOUT_MS, withDeadline: (deadline, call) => connection.withDeadline(deadline, call) }, ['close']);
}
