// A drain: every topic produced on a cluster moves to the best other cluster of its pool, then
// the cluster retires. Every move is planned (and checked) before anything changes, so a topic
// without room elsewhere refuses the drain instead of leaving it half-started.
import { ValidationError } from '@flotilla/errors';
import type { ClusterFailbackInput, TopicMoveInput } from '@flotilla/workflows';
import type { ReadContext } from '../../context';
import { publishRegistry } from '../../publish-registry';
import { chooseOtherCluster } from './choose-other-cluster';
import type { DrainClusterRequest } from './operation-inputs';
import { requireOperations } from './operations-gateway';
import { checkTopicMove } from './plan-topic-move';
import type { OperationPlan } from './start-operation';

export async function planClusterDrain(ctx: ReadContext, request: DrainClusterRequest): Promise<OperationPlan<'cluster-drain', { moves: { topic: string; to: string }[] }>> {
  requireOperations(ctx.services);
  const { registry } = ctx;
  const cluster = await registry.clusters.get(request.cluster);
  if (cluster.state !== 'active' && cluster.state !== 'draining') {
    throw new ValidationError(`cannot drain cluster "${cluster.name}": cluster: it is ${cluster.state}`, { field: 'cluster' });
  }
  const topics = [...new Set((await registry.placements.list()).filter((p) => p.cluster === cluster.name && p.side === 'producer').map((p) => p.topic))];
  const moves: TopicMoveInput[] = [];
  for (const topic of topics) {
    const to = await chooseOtherCluster(ctx, topic);
    const { spec } = await checkTopicMove(ctx, { ...request, topic, to, deleteSource: true, replaceStaleTarget: false });
    moves.push(spec);
  }
  // Aborted, the drain gives the cluster back to its pools.
  const input: ClusterFailbackInput = { cluster: { name: cluster.name, bootstrap: cluster.bootstrap }, moves, parallelism: request.parallelism, previousState: 'active' };
  return {
    kind: 'cluster-drain',
    subject: cluster.name,
    input,
    // Draining takes the cluster out of every pool: no new topic is placed on it meanwhile.
    commit: async ({ tx, actor }) => {
      if (cluster.state === 'draining') return;
      await tx.clusters.setState(cluster.name, 'draining');
      await publishRegistry(tx, actor, `drain cluster ${cluster.name}`);
    },
    audit: { action: 'operations.clusterDrain', target: `cluster/${cluster.name}`, details: { moves: moves.map((m) => `${m.topic} → ${m.to.name}`) } },
    answer: { moves: moves.map((m) => ({ topic: m.topic, to: m.to.name })) },
  };
}
