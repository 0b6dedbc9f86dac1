// A cluster failover (ARCHITECTURE.md §4): management decides which standby takes each topic and
// what it gets there, and marks the cluster failed in the transaction that records the operation,
// so no new topic is placed on it from then on. Refused without a standby, or without the room
// the topics are planned for unless forced.
import { ConflictError, ValidationError } from '@flotilla/errors';
import type { ClusterFailoverInput } from '@flotilla/workflows';
import { capacityOf, usedBytesOut } from '../../capacity-clusters';
import type { ReadContext } from '../../context';
import { publishRegistry } from '../../publish-registry';
import { failoverTopics } from './failover-topics';
import type { FailoverClusterRequest } from './operation-inputs';
import { requireOperations } from './operations-gateway';
import { refuseIfRunning } from './running-operations';
import type { OperationPlan } from './start-operation';

export async function planClusterFailover(ctx: ReadContext, request: FailoverClusterRequest): Promise<OperationPlan<'cluster-failover', { standbys: Record<string, string> }>> {
  const operations = requireOperations(ctx.services);
  const { registry, services } = ctx;
  const failed = await registry.clusters.get(request.cluster);
  if (failed.state === 'retired') throw new ValidationError(`cannot fail over cluster "${failed.name}": cluster: it is retired`, { field: 'cluster' });
  await refuseIfRunning(registry, operations, failed.name, 'fail it over');

  const [clusters, placements, used] = await Promise.all([registry.clusters.list(), registry.placements.list(), usedBytesOut(registry)]);
  const pool = clusters.filter((c) => c.name !== failed.name && c.role === failed.role && c.tier === failed.tier && c.state === 'active');
  // Without a standby a failover would only mark the cluster failed and publish a mapping.
  if (pool.length === 0) {
    throw new ConflictError('cluster', failed.name, `cannot fail over: no other active ${failed.role} cluster${failed.tier ? ` of tier ${failed.tier}` : ''} to take its traffic`);
  }
  const written = [...new Set(placements.filter((p) => p.side === 'producer' && p.cluster === failed.name).map((p) => p.topic))].sort();
  const topics = [];
  for (const name of written) topics.push(await registry.topics.get(name));
  const planned = failoverTopics({ failed, pool, topics, placements, used, capacity: (cluster) => capacityOf(services, cluster), force: request.force });

  const input: ClusterFailoverInput = {
    cluster: { name: failed.name, bootstrap: failed.bootstrap },
    brokerCount: failed.brokerCount,
    topics: planned,
    producerSwitchTimeoutMs: request.producerSwitchTimeoutMs,
    pollMs: request.pollMs,
    maxPollMs: Math.max(request.pollMs, request.maxPollMs),
    parallelism: request.parallelism,
    deleteReleased: request.deleteReleased,
    releaseWhenDrained: request.releaseWhenDrained,
    staleGroupMs: request.staleGroupMs,
  };
  const standbys = Object.fromEntries(planned.map((t) => [t.topic, t.standby.name]));
  return {
    kind: 'cluster-failover',
    subject: failed.name,
    input,
    // If Temporal refuses the start, the cluster is not left marked failed by an operation that never ran.
    commit: async ({ tx, audit, actor, workflowId }) => {
      if (failed.state !== 'failed') {
        await tx.clusters.setState(failed.name, 'failed');
        await audit({ action: 'clusters.setState', target: `cluster/${failed.name}`, details: { from: failed.state, to: 'failed', workflowId } });
      }
      await publishRegistry(tx, actor, `cluster ${failed.name} failed: failover ${workflowId}`);
    },
    audit: { action: 'operations.clusterFailover', target: `cluster/${failed.name}`, details: { standbys } },
    answer: { standbys },
  };
}
