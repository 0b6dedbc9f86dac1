// The operation repository's contract, run against every driver by repositories.int.test.ts.
import { ConflictError, NotFoundError, ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { createOperationRepository } from './operation-repository';
import type { NewOperation, OperationState } from './schema/operations';
import type { MakeTestDatabase } from './test-support/database-drivers';
import { useMigratedDatabase } from './test-support/migrated-database';

const moveOrders: NewOperation = {
  workflowId: 'topic-move/orders/1738326840000',
  kind: 'topic-move',
  subject: 'orders',
  input: { topic: 'orders', to: 'fronting-kafka-2', keyed: true },
  startedBy: 'ops-cli',
};

export function operationRepositorySuite(makeDb: MakeTestDatabase): void {
  const db = useMigratedDatabase(makeDb);
  const operations = () => createOperationRepository(db());

  describe('start and get', () => {
    it('records a started operation as running, its input round-tripping as JSON', async () => {
      const started = await operations().start(moveOrders);

      expect(started).toEqual({
        ...moveOrders,
        state: 'running',
        error: null,
        createdAt: expect.any(Date),
        updatedAt: expect.any(Date),
      });
      expect(await operations().get(moveOrders.workflowId)).toEqual(started);
    });

    it('rejects a workflow id already recorded, keeping the first', async () => {
      await operations().start(moveOrders);

      const again = operations().start({ ...moveOrders, subject: 'payments' });

      await expect(again).rejects.toBeInstanceOf(ConflictError);
      await expect(again).rejects.toThrow('operation "topic-move/orders/1738326840000" already exists');
      expect(await operations().get(moveOrders.workflowId)).toMatchObject({ subject: 'orders' });
    });

    it('rejects a malformed operation naming the field and the value, and reports an unknown one as not found', async () => {
      const badKind = operations().start({ ...moveOrders, kind: 'Topic Move' });
      const nobody = operations().start({ ...moveOrders, startedBy: '' });

      await expect(badKind).rejects.toBeInstanceOf(ValidationError);
      await expect(badKind).rejects.toThrow(
        'invalid operation "topic-move/orders/1738326840000": kind: expected a kind such as "topic-move": lower-case letters, digits and "-", got "Topic Move"',
      );
      await expect(nobody).rejects.toMatchObject({ field: 'startedBy' });
      await expect(operations().get('no-such-workflow')).rejects.toThrow('operation "no-such-workflow" not found');
      expect(await operations().list()).toEqual([]);
    });
  });

  describe('state', () => {
    it('records a failure with its error, and clears the error when the operation is resumed and completes', async () => {
      const started = await operations().start(moveOrders);

      const failed = await operations().setState(moveOrders.workflowId, 'failed', 'consumer group billing did not drain within 30 min');
      expect(failed).toMatchObject({ state: 'failed', error: 'consumer group billing did not drain within 30 min' });
      expect(failed.updatedAt.getTime()).toBeGreaterThanOrEqual(started.updatedAt.getTime());

      await operations().setState(moveOrders.workflowId, 'running');
      const completed = await operations().setState(moveOrders.workflowId, 'completed');
      expect(completed).toMatchObject({ state: 'completed', error: null, createdAt: started.createdAt });
      // A retried activity may report the same state again.
      expect(await operations().setState(moveOrders.workflowId, 'completed')).toMatchObject({ state: 'completed' });
    });

    it('rejects an unknown state, an error on a completed operation and an unknown workflow', async () => {
      await operations().start(moveOrders);

      const exploded = operations().setState(moveOrders.workflowId, 'exploded' as OperationState);
      const completedWithError = operations().setState(moveOrders.workflowId, 'completed', 'oops');
      const unknown = operations().setState('no-such-workflow', 'aborted');

      await expect(exploded).rejects.toThrow(
        'invalid operation "topic-move/orders/1738326840000": state: Invalid option: expected one of "running"|"completed"|"failed"|"aborted", got "exploded"',
      );
      await expect(completedWithError).rejects.toThrow('error: a completed operation has no error (only failed or aborted ones do), got "oops"');
      await expect(unknown).rejects.toBeInstanceOf(NotFoundError);
      expect(await operations().get(moveOrders.workflowId)).toMatchObject({ state: 'running', error: null });
    });
  });

  describe('list and running', () => {
    it('lists newest first, by state and by subject, and names the running operations on a subject', async () => {
      const moveOne = await operations().start(moveOrders);
      const drain = await operations().start({ ...moveOrders, workflowId: 'drain/fronting-kafka-1', kind: 'drain', subject: 'fronting-kafka-1' });
      const moveTwo = await operations().start({ ...moveOrders, workflowId: 'topic-move/orders/2' });
      await operations().setState(moveOne.workflowId, 'aborted', 'superseded');

      expect((await operations().list()).map((operation) => operation.workflowId)).toEqual([
        moveTwo.workflowId,
        drain.workflowId,
        moveOne.workflowId,
      ]);
      expect((await operations().list({ state: 'running', subject: 'orders' })).map((operation) => operation.workflowId)).toEqual([
        moveTwo.workflowId,
      ]);
      expect(await operations().list({ state: 'aborted' })).toEqual([expect.objectContaining({ workflowId: moveOne.workflowId, error: 'superseded' })]);
      expect((await operations().running('orders')).map((operation) => operation.workflowId)).toEqual([moveTwo.workflowId]);
      expect(await operations().running('payments')).toEqual([]);
    });
  });
}
