// The operation row of a workflow id. A child move (`<parent>/topic-move:<topic>`) is answered from
// its parent's row, since only operations started through management have rows.
import type { Operation, Registry } from '@flotilla/db';
import { NotFoundError } from '@flotilla/errors';

const CHILD_MOVE = '/topic-move:';

export async function findOperation(registry: Registry, workflowId: string): Promise<Operation & { parentId: string | null }> {
  try {
    return { ...(await registry.operations.get(workflowId)), parentId: null };
  } catch (error) {
    const separator = workflowId.lastIndexOf(CHILD_MOVE);
    if (!(error instanceof NotFoundError) || separator < 0) throw error;
    const parentId = workflowId.slice(0, separator);
    const parent = await registry.operations.get(parentId);
    return { ...parent, workflowId, kind: 'topic-move', subject: workflowId.slice(separator + CHILD_MOVE.length), parentId };
  }
}
