// A failback: the topics the cluster's latest failover sent away, and that are still settled on
// their standby, move back. A topic moved elsewhere since (or deleted) stays where it is. Refused
// while the failover still runs (it keeps the cluster readable through its tail) and while the
// cluster does not answer.
import { NotFoundError, UnavailableError, ValidationError } from '@flotilla/errors';
import type { ClusterFailbackInput, ClusterFailoverInput, TopicMoveInput } from '@flotilla/workflows';
import { withCluster } from '../../connect-cluster';
import type { ReadContext } from '../../context';
import type { FailbackClusterRequest } from './operation-inputs';
import { requireOperations } from './operations-gateway';
import { refuseIfRunning } from './running-operations';
import type { OperationPlan } from './start-operation';
import { topicMoveSpec } from './topic-move-spec';

export async function planClusterFailback(ctx: ReadContext, request: FailbackClusterRequest): Promise<OperationPlan<'cluster-failback', { topics: string[] }>> {
  const operations = requireOperations(ctx.services);
  const { registry, services } = ctx;
  const cluster = await registry.clusters.get(request.cluster);
  if (cluster.state !== 'failed') {
    throw new ValidationError(`cannot fail back cluster "${cluster.name}": cluster: it is ${cluster.state}, expected failed`, { field: 'cluster' });
  }
  await refuseIfRunning(
    registry,
    operations,
    cluster.name,
    'fail it back while its failover keeps it readable for its topics’ retention (abort the failover to move traffic back now: nothing is deleted)',
  );
  await withCluster(services, cluster.bootstrap, (admin) => admin.describeCluster()).catch((error: unknown) => {
    throw new UnavailableError(`cannot fail back cluster "${cluster.name}": it does not answer at ${cluster.bootstrap.join(',')}`, { cause: error });
  });

  const [failover] = (await registry.operations.list({ subject: cluster.name })).filter((operation) => operation.kind === 'cluster-failover');
  const failedOver = ((failover?.input as Partial<ClusterFailoverInput> | undefined)?.topics ?? []).map((t) => ({ topic: t.topic, standby: t.standby.name }));
  const moves: TopicMoveInput[] = [];
  for (const { topic: name, standby } of failedOver) {
    const topic = await registry.topics.get(name).catch((error: unknown) => {
      if (error instanceof NotFoundError) return undefined;
      throw error;
    });
    if (!topic) continue;
    const placement = await registry.placements.of(name);
    const settled = placement.producers.length === 1 && placement.producers[0] === standby && placement.consumers.length === 1 && placement.consumers[0] === standby;
    if (!settled) continue;
    if ((await registry.operations.running(name)).length > 0) continue;
    const from = await registry.clusters.get(standby);
    // Not on the consumer side, whatever copy the cluster still has is older than retention.
    const stale = await withCluster(services, cluster.bootstrap, (admin) => admin.partitionCount(name));
    moves.push(topicMoveSpec({ topic, from, to: cluster, options: request, deleteSource: true, replaceStaleTarget: stale !== undefined }));
  }

  const input: ClusterFailbackInput = { cluster: { name: cluster.name, bootstrap: cluster.bootstrap }, moves, parallelism: request.parallelism, previousState: 'failed' };
  const topics = moves.map((m) => m.topic);
  return {
    kind: 'cluster-failback',
    subject: cluster.name,
    input,
    audit: { action: 'operations.clusterFailback', target: `cluster/${cluster.name}`, details: { topics } },
    answer: { topics },
  };
}
