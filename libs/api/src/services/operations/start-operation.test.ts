import { describe, expect, it } from 'vitest';
import { createChanges } from '../../audit/audited-changes';
import type { ApiServices, WriteContext } from '../../context';
import { fakeDatabase, type FakeDatabase } from '../../test-support/fake-registry';
import { clusterRow, topicRow } from '../../test-support/registry-rows';
import type { OperationsGateway } from './operations-gateway';
import { startOperation, type OperationPlan } from './start-operation';
import { topicMoveSpec } from './topic-move-spec';

const move = topicMoveSpec({
  topic: topicRow('orders'),
  from: clusterRow('f1'),
  to: clusterRow('f2'),
  options: { producerSwitchTimeoutMs: 30_000, releaseWhenDrained: false, staleGroupMs: 900_000, pollMs: 1_000 },
  deleteSource: true,
  replaceStaleTarget: false,
});

const movePlan: OperationPlan<'topic-move', { from: string; to: string }> = {
  kind: 'topic-move',
  subject: 'orders',
  input: move,
  audit: { action: 'operations.topicMove', target: 'topic/orders', details: { from: 'f1', to: 'f2' } },
  answer: { from: 'f1', to: 'f2' },
};

interface Started {
  readonly ctx: WriteContext;
  readonly db: FakeDatabase;
  readonly started: [string, unknown][];
  refreshes: number;
}

function setUp(options: { refuse?: Error; temporal?: boolean } = {}): Started {
  const db = fakeDatabase();
  const started: [string, unknown][] = [];
  const start = async (workflowId: string, input: unknown): Promise<void> => {
    db.steps.push(`workflow ${workflowId}`);
    if (options.refuse) throw options.refuse;
    started.push([workflowId, input]);
  };
  const gateway = { startTopicMove: start, startClusterDrain: start } as Partial<OperationsGateway> as OperationsGateway;
  const state: Started = { db, started, refreshes: 0, ctx: undefined as unknown as WriteContext };
  const services = {
    ...(options.temporal === false ? {} : { operations: gateway }),
    mappingFeed: { refresh: async () => void (state.refreshes += 1) },
  } as Partial<ApiServices> as ApiServices;
  return Object.assign(state, { ctx: { services, registry: db.registry, changes: createChanges((work) => db.transact(work), 'ops/cred-1', 'operations.moveTopic') } });
}

describe('startOperation', () => {
  it('records the row and the audit entry and starts the workflow last, in one transaction, and answers its id', async () => {
    const { ctx, db, started } = setUp();
    const answer = await startOperation(ctx, async () => movePlan, undefined);
    expect(answer).toEqual({ workflowId: 'topic-move:orders:1', from: 'f1', to: 'f2' });
    expect(db.steps).toEqual(['operation topic-move:orders:1', 'audit operations.topicMove', 'workflow topic-move:orders:1']);
    expect(db.operations).toMatchObject([{ workflowId: 'topic-move:orders:1', kind: 'topic-move', subject: 'orders', input: move, startedBy: 'ops/cred-1' }]);
    expect(db.audit).toEqual([{ actor: 'ops/cred-1', action: 'operations.topicMove', target: 'topic/orders', details: { from: 'f1', to: 'f2', workflowId: 'topic-move:orders:1' } }]);
    expect(started).toEqual([['topic-move:orders:1', move]]);
  });

  it('numbers operations per subject and kind: a second move of the topic gets a fresh id', async () => {
    const { ctx } = setUp();
    await startOperation(ctx, async () => movePlan, undefined);
    expect((await startOperation(ctx, async () => movePlan, undefined)).workflowId).toBe('topic-move:orders:2');
  });

  it('leaves no row and no audit entry when Temporal refuses the start, and says why', async () => {
    const { ctx, db } = setUp({ refuse: new Error('topic move "orders" is already running') });
    await expect(startOperation(ctx, async () => movePlan, undefined)).rejects.toThrow('is already running');
    expect(db.operations).toEqual([]);
    expect(db.audit).toEqual([]);
  });

  it('commits the plan’s own writes between the row and the start, and refreshes the mapping feed after them', async () => {
    const state = setUp();
    const drain: OperationPlan<'cluster-drain', { moves: string[] }> = {
      kind: 'cluster-drain',
      subject: 'f1',
      input: { cluster: { name: 'f1', bootstrap: ['f1:9092'] }, moves: [move], parallelism: 4, previousState: 'active' },
      commit: async ({ audit, actor, workflowId }) => {
        state.db.steps.push(`publish by ${actor} for ${workflowId}`);
        await audit({ action: 'clusters.setState', target: 'cluster/f1' });
      },
      audit: { action: 'operations.clusterDrain', target: 'cluster/f1', details: {} },
      answer: { moves: ['orders → f2'] },
    };
    await startOperation(state.ctx, async () => drain, undefined);
    expect(state.db.steps).toEqual([
      'operation cluster-drain:f1:1',
      'publish by ops/cred-1 for cluster-drain:f1:1',
      'audit clusters.setState',
      'audit operations.clusterDrain',
      'workflow cluster-drain:f1:1',
    ]);
    expect(state.refreshes).toBe(1);
  });

  it('does not refresh the mapping feed for a plan that publishes nothing', async () => {
    const state = setUp();
    await startOperation(state.ctx, async () => movePlan, undefined);
    expect(state.refreshes).toBe(0);
  });

  it('without Temporal refuses before writing anything, naming the setting that is missing', async () => {
    const { ctx, db } = setUp({ temporal: false });
    await expect(startOperation(ctx, async () => movePlan, undefined)).rejects.toThrow(/runs without Temporal \(set TEMPORAL_ADDRESS\)/);
    expect(db.steps).toEqual([]);
  });
});
