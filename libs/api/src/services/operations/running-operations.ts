// The operations still running on a topic or cluster. A row says `running` until someone asks
// Temporal, so this asks: an operation that ended is settled in its row, one that runs is returned
// with its status (a move in its tail still runs).
import type { Operation, Registry } from '@flotilla/db';
import { ConflictError } from '@flotilla/errors';
import type { OperationStatus, OperationsGateway } from './operations-gateway';

export interface RunningOperation {
  readonly operation: Operation;
  readonly status: OperationStatus;
}

export async function runningOperations(registry: Registry, operations: OperationsGateway, subject: string): Promise<RunningOperation[]> {
  const running: RunningOperation[] = [];
  for (const operation of await registry.operations.running(subject)) {
    const status = await operations.status(operation.workflowId);
    if (status.status === 'running') running.push({ operation, status });
    else await registry.operations.setState(operation.workflowId, status.status, status.error ?? null);
  }
  return running;
}

/** Refuses while another operation on the cluster runs (a failover keeps running through its tail). */
export async function refuseIfRunning(registry: Registry, operations: OperationsGateway, cluster: string, what: string): Promise<void> {
  const running = await runningOperations(registry, operations, cluster);
  if (running.length > 0) throw new ConflictError('cluster', cluster, `cannot ${what}: it already has a running operation (${running.map((r) => r.operation.workflowId).join(', ')})`);
}
