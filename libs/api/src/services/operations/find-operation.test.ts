import type { Operation, Registry } from '@flotilla/db';
import { NotFoundError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { findOperation } from './find-operation';

const drain: Operation = { workflowId: 'cluster-drain:f1:1', kind: 'cluster-drain', subject: 'f1', input: {}, state: 'running', startedBy: 'ops/1', error: null, createdAt: new Date(0), updatedAt: new Date(0) };
const registry = {
  operations: {
    get: async (workflowId: string) => {
      if (workflowId === drain.workflowId) return drain;
      throw new NotFoundError('operation', workflowId);
    },
  },
} as unknown as Registry;

describe('findOperation', () => {
  it('answers an operation started through management from its row', async () => {
    expect(await findOperation(registry, 'cluster-drain:f1:1')).toEqual({ ...drain, parentId: null });
  });

  it('answers a child move from its parent’s row, as a move of its topic', async () => {
    expect(await findOperation(registry, 'cluster-drain:f1:1/topic-move:orders')).toEqual({
      ...drain,
      workflowId: 'cluster-drain:f1:1/topic-move:orders',
      kind: 'topic-move',
      subject: 'orders',
      parentId: 'cluster-drain:f1:1',
    });
  });

  it('does not find an id that is neither an operation nor a child of one', async () => {
    await expect(findOperation(registry, 'topic-move:orders:9')).rejects.toThrow(NotFoundError);
    await expect(findOperation(registry, 'cluster-drain:f9:1/topic-move:orders')).rejects.toThrow(NotFoundError);
  });
});
