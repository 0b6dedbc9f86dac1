// How an operation is doing, from its workflow (the truth about progress), with its children
// (the moves of an expand, failback, drain or aborted failover), each addressable by its id. An
// operation that ended is settled in its row on the way.
import type { ReadContext } from '../../context';
import { findOperation } from './find-operation';
import { requireOperations } from './operations-gateway';

export async function operationStatus({ services, registry }: ReadContext, workflowId: string) {
  const operation = await findOperation(registry, workflowId);
  const operations = requireOperations(services);
  const status = await operations.status(workflowId);
  if (operation.parentId === null && status.status !== 'running' && operation.state === 'running') {
    await registry.operations.setState(workflowId, status.status, status.error ?? null);
  }
  const progressed = status.expandProgress ?? status.clusterProgress;
  const childIds: readonly string[] = progressed && 'children' in progressed ? progressed.children : [];
  const children = await Promise.all(
    childIds.map(async (childId) => {
      const child = await operations.status(childId);
      return { workflowId: childId, status: child.status, ...(child.error ? { error: child.error } : {}), ...(child.progress ? { progress: child.progress } : {}) };
    }),
  );
  return { operation: { ...operation, state: status.status === 'running' ? operation.state : status.status }, ...status, children };
}
