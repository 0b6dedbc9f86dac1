// Multi-step operations (topic move, failover, expand, drain) run by Temporal. The workflow is
// the truth about progress; these rows let the API list operations and refuse a second one on
// the same subject without asking Temporal.
import { ConflictError, NotFoundError } from '@flotilla/errors';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { parseInput } from './parse-input';
import { newOperationSchema, operationFilterSchema, operationStateChangeSchema, operations } from './schema/operations';
import type { NewOperation, Operation, OperationFilter, OperationState } from './schema/operations';

export interface OperationRepository {
  /** Records a started workflow as `running`; a workflow id already recorded is a ConflictError. */
  start(operation: NewOperation): Promise<Operation>;
  /**
   * Moves the operation to `state`, keeping `error` for a failed or aborted one (any earlier
   * error is cleared otherwise). Setting the state it already has is harmless, so a retried
   * activity may call it again. An unknown workflow id is a NotFoundError.
   */
  setState(workflowId: string, state: OperationState, error?: string | null): Promise<Operation>;
  /** The operation of this workflow, or a NotFoundError. */
  get(workflowId: string): Promise<Operation>;
  /** Operations, newest first, optionally only in one state or on one subject. */
  list(filter?: OperationFilter): Promise<Operation[]>;
  /** The running operations on a topic or cluster, oldest first. */
  running(subject: string): Promise<Operation[]>;
}

export function createOperationRepository(db: Database): OperationRepository {
  return {
    start: (input) =>
      guard(async () => {
        const operation = parseInput(newOperationSchema, input, describeOperation(input));
        const [started] = await db
          .insert(operations)
          .values({ ...operation, state: 'running' })
          .onConflictDoNothing({ target: operations.workflowId })
          .returning();
        if (!started) throw new ConflictError('operation', operation.workflowId);
        return started;
      }),

    setState: (workflowId, state, error) =>
      guard(async () => {
        const change = parseInput(operationStateChangeSchema, { state, error }, `operation "${workflowId}"`);
        const [updated] = await db
          .update(operations)
          .set({ state: change.state, error: change.error ?? null, updatedAt: sql`now()` })
          .where(eq(operations.workflowId, workflowId))
          .returning();
        if (!updated) throw new NotFoundError('operation', workflowId);
        return updated;
      }),

    get: (workflowId) =>
      guard(async () => {
        const [operation] = await db.select().from(operations).where(eq(operations.workflowId, workflowId));
        if (!operation) throw new NotFoundError('operation', workflowId);
        return operation;
      }),

    list: (input = {}) =>
      guard(() => {
        const filter = parseInput(operationFilterSchema, input, 'operation filter');
        return db
          .select()
          .from(operations)
          .where(
            and(
              filter.state === undefined ? undefined : eq(operations.state, filter.state),
              filter.subject === undefined ? undefined : eq(operations.subject, filter.subject),
            ),
          )
          .orderBy(desc(operations.createdAt), desc(operations.workflowId));
      }),

    running: (subject) =>
      guard(() =>
        db
          .select()
          .from(operations)
          .where(and(eq(operations.subject, subject), eq(operations.state, 'running')))
          .orderBy(asc(operations.createdAt), asc(operations.workflowId)),
      ),
  };
}

function describeOperation(input: unknown): string {
  const workflowId: unknown = typeof input === 'object' && input !== null ? Reflect.get(input, 'workflowId') : undefined;
  return typeof workflowId === 'string' && workflowId !== '' ? `operation "${workflowId}"` : 'operation';
}
