import type { Cluster, Operation, Registry, Topic } from '@flotilla/db';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '@flotilla/errors';
import type { KafkaAdmin } from '@flotilla/kafka';
import type { MoveProgress } from '@flotilla/workflows';
import { describe, expect, it } from 'vitest';
import type { ApiServices, ReadContext } from '../../context';
import { clusterRow, topicRow } from '../../test-support/registry-rows';
import { moveInput, type MoveTopicInput } from './operation-inputs';
import type { OperationStatus, OperationsGateway } from './operations-gateway';
import { planTopicMove } from './plan-topic-move';

interface World {
  topic?: Topic;
  producers?: string[];
  consumers?: string[];
  clusters?: Cluster[];
  /** Running operation rows on the topic, with what Temporal answers for each. */
  running?: Record<string, OperationStatus>;
  /** What the target holds of the topic already (records), or that it does not answer. */
  onTarget?: { records: bigint } | 'unreachable';
}

function contextOf(world: World): ReadContext {
  const topic = world.topic ?? topicRow('orders');
  const clusters = world.clusters ?? [clusterRow('f1'), clusterRow('f2')];
  const running = world.running ?? {};
  const row = (workflowId: string): Operation => ({ workflowId, kind: 'topic-move', subject: topic.name, input: {}, state: 'running', startedBy: 'ops/1', error: null, createdAt: new Date(0), updatedAt: new Date(0) });
  const registry = {
    topics: { get: async () => topic },
    placements: { of: async () => ({ producers: world.producers ?? ['f1'], consumers: world.consumers ?? ['f1'] }) },
    clusters: {
      get: async (name: string) => {
        const found = clusters.find((cluster) => cluster.name === name);
        if (!found) throw new NotFoundError('cluster', name);
        return found;
      },
    },
    operations: { running: async () => Object.keys(running).map(row), list: async () => [], setState: async () => undefined },
  } as unknown as Registry;
  const operations = { status: async (workflowId: string) => running[workflowId] } as unknown as OperationsGateway;
  const connectKafka = async (): Promise<KafkaAdmin> => {
    if (world.onTarget === 'unreachable') throw new Error('connect ECONNREFUSED');
    const held = world.onTarget;
    return { describeTopic: async () => held, close: async () => undefined } as unknown as KafkaAdmin;
  };
  return { registry, services: { operations, connectKafka } as Partial<ApiServices> as ApiServices };
}

const plan = (world: World, request: Partial<MoveTopicInput> = {}) => planTopicMove(contextOf(world), moveInput.parse({ topic: 'orders', to: 'f2', ...request }));

describe('planTopicMove', () => {
  it('plans a move of the topic from where it lives to the target, with the operator’s options', async () => {
    const planned = await plan({}, { releaseWhenDrained: true, deleteSource: false });
    expect(planned).toMatchObject({
      kind: 'topic-move',
      subject: 'orders',
      input: { topic: 'orders', from: { name: 'f1' }, to: { name: 'f2' }, releaseWhenDrained: true, deleteSource: false },
      audit: { action: 'operations.topicMove', target: 'topic/orders', details: { from: 'f1', to: 'f2' } },
      answer: { from: 'f1', to: 'f2' },
    });
    expect(planned.input.replaceStaleTarget).toBeUndefined();
  });

  it('refuses a topic produced on more than one cluster, and a move to where it already is, naming the field', async () => {
    await expect(plan({ producers: ['f1', 'f2'] })).rejects.toThrow(ValidationError);
    await expect(plan({ producers: ['f1', 'f2'] })).rejects.toMatchObject({ field: 'producers', message: 'cannot move topic "orders": producers: expected exactly one cluster, got [f1, f2]' });
    await expect(plan({}, { to: 'f1' })).rejects.toMatchObject({ field: 'to', message: 'cannot move topic "orders": to: it already lives on "f1"' });
  });

  it('refuses while another operation runs on the topic; one in its tail says until when and how to end it early', async () => {
    const tail = { phase: 'tail', tail: { producersLeftAt: 0, readableUntil: Date.UTC(2026, 0, 1), releaseWhenDrained: false, groups: [], blockedBy: null } } as unknown as MoveProgress;
    const refusal = plan({ running: { 'topic-move:orders:1': { status: 'running', progress: tail }, 'topic-move:orders:2': { status: 'completed' } } });
    await expect(refusal).rejects.toThrow(ConflictError);
    await expect(refusal).rejects.toThrow(
      'topic "orders" already has a running operation (topic-move:orders:1, keeping its source readable until 2026-01-01T00:00:00.000Z; `flotilla operations release topic-move:orders:1` ends that early once every live group read it)',
    );
  });

  it('refuses a topic in the middle of a change, and a target that is not active or of another role', async () => {
    await expect(plan({ consumers: ['f1', 'f2'] })).rejects.toThrow('topic "orders" is in the middle of a change (consumers read [f1, f2])');
    await expect(plan({ clusters: [clusterRow('f1'), clusterRow('f2', { state: 'draining' })] })).rejects.toThrow('cannot move topic "orders" to "f2": to: the cluster is draining');
    await expect(plan({ clusters: [clusterRow('f1'), clusterRow('f2', { role: 'consumer', tier: null })] })).rejects.toThrow('to: a consumer cluster cannot take a topic from a fronting cluster');
  });

  it('refuses a target holding an older copy unless told to replace it, and says so when the target does not answer', async () => {
    await expect(plan({ onTarget: { records: 42n } })).rejects.toThrow('cannot move to "f2": it still holds an older copy of the topic (42 records) that no consumer reads; delete it there first, or move with --replace-stale-target to start from a clean topic');
    expect((await plan({ onTarget: { records: 42n } }, { replaceStaleTarget: true })).input.replaceStaleTarget).toBe(true);
    await expect(plan({ onTarget: 'unreachable' })).rejects.toThrow(UnavailableError);
  });

  it('refuses without Temporal before it checks anything else, naming the setting', async () => {
    const ctx = contextOf({ producers: ['f1', 'f2'] });
    await expect(planTopicMove({ ...ctx, services: { ...ctx.services, operations: undefined } }, moveInput.parse({ topic: 'orders', to: 'f2' }))).rejects.toThrow(/set TEMPORAL_ADDRESS/);
  });
});
