import type { Cluster, Placement, Registry, Topic } from '@flotilla/db';
import { NotFoundError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import type { AuditNote } from '../../audit/audited-changes';
import type { ApiServices, ReadContext } from '../../context';
import { clusterRow, topicRow } from '../../test-support/registry-rows';
import { failoverInput } from './operation-inputs';
import type { OperationsGateway } from './operations-gateway';
import { planClusterFailover } from './plan-cluster-failover';

const MB = 1_000_000;
const placed = (topic: string, cluster: string, side: 'producer' | 'consumer'): Placement => ({ topic, cluster, side, createdAt: new Date(0) });

function contextOf(clusters: Cluster[], topics: Topic[], placements: Placement[]): ReadContext {
  const find = <T extends { name: string }>(rows: T[], kind: string) => async (name: string) => {
    const found = rows.find((row) => row.name === name);
    if (!found) throw new NotFoundError(kind, name);
    return found;
  };
  const registry = {
    clusters: { get: find(clusters, 'cluster'), list: async () => clusters },
    topics: { get: find(topics, 'topic'), list: async () => topics },
    placements: { list: async () => placements },
    operations: { running: async () => [] },
  } as unknown as Registry;
  const services = { operations: {} as OperationsGateway, defaultCapacityPerBrokerBytesPerSec: 10 * MB } as Partial<ApiServices> as ApiServices;
  return { registry, services };
}

const orders = topicRow('orders', { bytesInPerSec: MB });
const ordersOnF1 = [placed('orders', 'f1', 'producer'), placed('orders', 'f1', 'consumer')];
const request = (fields: Record<string, unknown> = {}) => failoverInput.parse({ cluster: 'f1', ...fields });

describe('planClusterFailover', () => {
  it('refuses without another active cluster of the role and tier to take the traffic', async () => {
    const ctx = contextOf([clusterRow('f1'), clusterRow('f2', { state: 'draining' }), clusterRow('h1', { tier: 'high' })], [orders], ordersOnF1);
    await expect(planClusterFailover(ctx, request())).rejects.toThrow('cluster "f1" cannot fail over: no other active fronting cluster of tier medium to take its traffic');
  });

  it('refuses when the standbys lack the room the topics are planned for, unless forced', async () => {
    const ctx = contextOf([clusterRow('f1'), clusterRow('f2', { capacityBytesPerSec: MB })], [orders], ordersOnF1);
    await expect(planClusterFailover(ctx, request())).rejects.toThrow('cannot fail over: topic "orders" needs 2000000 bytes/s out and the roomiest standby, "f2", has 1000000 left');
    expect((await planClusterFailover(ctx, request({ force: true }))).answer).toEqual({ standbys: { orders: 'f2' } });
  });

  it('refuses a retired cluster, naming the field', async () => {
    const ctx = contextOf([clusterRow('f1', { state: 'retired' }), clusterRow('f2')], [], []);
    await expect(planClusterFailover(ctx, request())).rejects.toMatchObject({ field: 'cluster', message: 'cannot fail over cluster "f1": cluster: it is retired' });
  });

  it('marks the cluster failed with its own audit entry and publishes, in the start’s transaction; a cluster already failed is only published', async () => {
    for (const [state, expected] of [
      ['active', ['setState f1 failed', 'audit clusters.setState cluster/f1 {"from":"active","to":"failed","workflowId":"cluster-failover:f1:1"}', 'publish by ops/1: cluster f1 failed: failover cluster-failover:f1:1']],
      ['failed', ['publish by ops/1: cluster f1 failed: failover cluster-failover:f1:1']],
    ] as const) {
      const ctx = contextOf([clusterRow('f1', { state }), clusterRow('f2')], [orders], ordersOnF1);
      const planned = await planClusterFailover(ctx, request());
      const steps: string[] = [];
      const tx = {
        clusters: { setState: async (name: string, to: string) => void steps.push(`setState ${name} ${to}`), list: async () => [] },
        placements: { list: async () => [] },
        handoffs: { list: async () => [] },
        mapping: { publish: async ({ author, reason }: { author: string; reason: string }) => void steps.push(`publish by ${author}: ${reason}`) },
      } as unknown as Registry;
      const audit = async (note: AuditNote) => void steps.push(`audit ${note.action} ${note.target} ${JSON.stringify(note.details)}`);
      await planned.commit?.({ tx, audit, actor: 'ops/1', workflowId: 'cluster-failover:f1:1' });
      expect(steps).toEqual(expected);
      expect(planned.audit).toEqual({ action: 'operations.clusterFailover', target: 'cluster/f1', details: { standbys: { orders: 'f2' } } });
    }
  });
});
