// Cluster failover and failback (ARCHITECTURE.md §4): management decides what the workflows do
// (which topics, which standby for each, the partitions and retention they get there) and the
// workflows carry it out. Failover marks the cluster failed in the same transaction that records
// the operation, so no new topic is placed on it from then on.
import { bytesOut, effectiveReplicas, planTopic, roundPartitions } from '@flotilla/capacity';
import { createRegistry, inTransaction, type Cluster, type Registry } from '@flotilla/db';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '@flotilla/errors';
import { workflowIds, type ClusterFailbackInput, type ClusterFailoverInput, type FailoverTopic, type TopicMoveInput } from '@flotilla/workflows';
import { z } from 'zod';
import { withCluster } from '../connect-cluster';
import { actorOf, type ApiServices } from '../context';
import type { OperationsGateway } from '../operations-gateway';
import { publishRegistry } from '../publish-registry';
import { operatorProcedure, validated } from '../trpc';
import { capacityOf, usedBytesOut } from '../capacity-clusters';
import { nextAttempt } from '../next-attempt';
import { tailOptions } from '../tail-options';

const failoverInput = z.strictObject({
  cluster: z.string(),
  /** Once the cluster is back, producers that never took the switch are fenced there after this. */
  producerSwitchTimeoutMs: z.int().min(0).default(30_000),
  ...tailOptions,
  pollMs: z.int().min(100).default(1_000),
  maxPollMs: z.int().min(100).default(60_000),
  parallelism: z.int().min(1).max(64).default(16),
  /** Delete each topic on the returned cluster once released (it holds nothing readable then; failback creates it afresh). */
  deleteReleased: z.boolean().default(true),
  /** Fail over even when the standbys lack the capacity the topics are planned for. */
  force: z.boolean().default(false),
});
export type FailoverClusterInput = z.input<typeof failoverInput>;

const failbackInput = z.strictObject({
  cluster: z.string(),
  /** Topic moves at a time. */
  parallelism: z.int().min(1).max(32).default(4),
  producerSwitchTimeoutMs: z.int().min(0).default(30_000),
  ...tailOptions,
  pollMs: z.int().min(100).default(1_000),
});
export type FailbackClusterInput = z.input<typeof failbackInput>;

function gateway(services: ApiServices): OperationsGateway {
  if (!services.operations) {
    throw new UnavailableError('operations are not available: this management service runs without Temporal (set TEMPORAL_ADDRESS)', { retryable: false });
  }
  return services.operations;
}

/** Refuses while a failover or failback of the cluster runs (asking Temporal: a row says running until someone asks). */
async function refuseIfRunning(registry: Registry, operations: OperationsGateway, cluster: string, what: string): Promise<void> {
  const running = [];
  for (const operation of await registry.operations.running(cluster)) {
    const status = await operations.status(operation.workflowId);
    if (status.status === 'running') running.push(operation.workflowId);
    else await registry.operations.setState(operation.workflowId, status.status, status.error ?? null);
  }
  if (running.length > 0) throw new ConflictError('cluster', cluster, `cannot ${what}: it already has a running operation (${running.join(', ')})`);
}


export async function failoverCluster(services: ApiServices, actor: string, input: z.output<typeof failoverInput>) {
  const operations = gateway(services);
  const registry = createRegistry(services.db);
  const failed = await registry.clusters.get(input.cluster);
  if (failed.state === 'retired') throw new ValidationError(`cannot fail over cluster "${failed.name}": cluster: it is retired`, { field: 'cluster' });
  await refuseIfRunning(registry, operations, failed.name, 'fail it over');

  const [clusters, placements, used] = await Promise.all([registry.clusters.list(), registry.placements.list(), usedBytesOut(registry)]);
  const pool = clusters.filter((c) => c.name !== failed.name && c.role === failed.role && c.tier === failed.tier && c.state === 'active');
  const written = placements.filter((p) => p.side === 'producer' && p.cluster === failed.name).map((p) => p.topic);
  // Without a standby a failover would only mark the cluster failed and publish a mapping.
  if (pool.length === 0) {
    throw new ConflictError('cluster', failed.name, `cannot fail over: no other active ${failed.role} cluster${failed.tier ? ` of tier ${failed.tier}` : ''} to take its traffic`);
  }

  const topics: FailoverTopic[] = [];
  for (const name of [...new Set(written)].sort()) {
    const topic = await registry.topics.get(name);
    const standby = chooseStandby(services, failed, pool, used, topic);
    const needed = bytesOut({ bytesIn: topic.bytesInPerSec, consumers: topic.consumers, replicationFactor: effectiveReplicas(topic.tier, standby.brokerCount) });
    const free = capacityOf(services, standby) - (used.get(standby.name) ?? 0);
    if (needed > free && !input.force) {
      throw new ConflictError(
        'cluster',
        failed.name,
        `cannot fail over: topic "${name}" needs ${needed} bytes/s out and the roomiest standby, "${standby.name}", has ${Math.max(0, free)} left; add a cluster to the ${failed.tier ?? failed.role} pool, or fail over with --force to overload it`,
      );
    }
    used.set(standby.name, (used.get(standby.name) ?? 0) + needed);
    const consumers = placements.filter((p) => p.topic === name && p.side === 'consumer').map((p) => p.cluster);
    const during = [...new Set([...consumers, failed.name, standby.name])];
    topics.push({
      topic: name,
      standby: { name: standby.name, bootstrap: standby.bootstrap },
      // A keyed topic keeps its partition count so every key keeps its partition number.
      partitions: topic.keyed ? topic.partitions : roundPartitions(topic.partitions, standby.brokerCount),
      replicationFactor: effectiveReplicas(topic.tier, standby.brokerCount),
      configs: { 'retention.ms': String(topic.retentionMs) },
      consumersDuring: during,
      consumersAfter: during.filter((cluster) => cluster !== failed.name),
      retentionMs: topic.retentionMs,
      keyed: topic.keyed,
      homePartitions: topic.partitions,
      homeReplicationFactor: effectiveReplicas(topic.tier, failed.brokerCount),
    });
  }

  const spec: ClusterFailoverInput = {
    cluster: { name: failed.name, bootstrap: failed.bootstrap },
    brokerCount: failed.brokerCount,
    topics,
    producerSwitchTimeoutMs: input.producerSwitchTimeoutMs,
    pollMs: input.pollMs,
    maxPollMs: Math.max(input.pollMs, input.maxPollMs),
    parallelism: input.parallelism,
    deleteReleased: input.deleteReleased,
    releaseWhenDrained: input.releaseWhenDrained,
    staleGroupMs: input.staleGroupMs,
  };
  const workflowId = workflowIds.clusterFailover(failed.name, await nextAttempt(registry, failed.name, 'cluster-failover'));
  await inTransaction(services.db, async (tx) => {
    await tx.operations.start({ workflowId, kind: 'cluster-failover', subject: failed.name, input: { ...spec }, startedBy: actor });
    if (failed.state !== 'failed') {
      await tx.clusters.setState(failed.name, 'failed');
      await tx.audit.record({ actor, action: 'clusters.setState', target: `cluster/${failed.name}`, details: { from: failed.state, to: 'failed', workflowId } });
    }
    await tx.audit.record({
      actor,
      action: 'operations.clusterFailover',
      target: `cluster/${failed.name}`,
      details: { workflowId, standbys: Object.fromEntries(topics.map((t) => [t.topic, t.standby.name])) },
    });
    await publishRegistry(tx, actor, `cluster ${failed.name} failed: failover ${workflowId}`);
    // Inside the transaction: if Temporal refuses, the cluster is not left marked failed by an
    // operation that never ran.
    await operations.startClusterFailover(workflowId, spec);
  });
  await services.mappingFeed.refresh();
  return { workflowId, standbys: Object.fromEntries(topics.map((t) => [t.topic, t.standby.name])) };
}

/**
 * The standby for one topic: the planner's choice among active clusters of the failed one's
 * role and tier. When none has room by plan, the one with the most left still takes it — a
 * failover that refuses leaves producers on a dead cluster, which is worse than a full one.
 */
function chooseStandby(services: ApiServices, failed: Cluster, pool: readonly Cluster[], used: ReadonlyMap<string, number>, topic: { bytesInPerSec: number; consumers: number }): Cluster {
  const capacity = (c: Cluster): number => capacityOf(services, c);
  const free = (c: Cluster): number => capacity(c) - (used.get(c.name) ?? 0);
  if (failed.role === 'fronting' && failed.tier) {
    try {
      const plan = planTopic({
        tier: failed.tier,
        bytesInPerSec: topic.bytesInPerSec,
        consumers: topic.consumers,
        clusters: pool.map((c) => ({ name: c.name, role: c.role, tier: c.tier, state: c.state, brokerCount: c.brokerCount, capacityBytesPerSec: capacity(c), usedBytesPerSec: used.get(c.name) ?? 0 })),
      });
      const chosen = pool.find((c) => c.name === plan.cluster);
      if (chosen) return chosen;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  const [best] = [...pool].sort((a, b) => free(b) - free(a) || (a.name < b.name ? -1 : 1));
  if (!best) throw new ConflictError('cluster', failed.name, `cannot fail over: no active ${failed.role} cluster to take its traffic`);
  return best;
}

export async function failbackCluster(services: ApiServices, actor: string, input: z.output<typeof failbackInput>) {
  const operations = gateway(services);
  const registry = createRegistry(services.db);
  const cluster = await registry.clusters.get(input.cluster);
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

  // What the latest failover sent away and is still settled on its standby; a topic moved
  // elsewhere since (or deleted) stays where it is.
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
    moves.push({
      topic: name,
      from: { name: from.name, bootstrap: from.bootstrap },
      to: { name: cluster.name, bootstrap: cluster.bootstrap },
      keyed: topic.keyed,
      partitions: topic.keyed ? topic.partitions : roundPartitions(topic.partitions, cluster.brokerCount),
      replicationFactor: effectiveReplicas(topic.tier, cluster.brokerCount),
      configs: { 'retention.ms': String(topic.retentionMs) },
      producerSwitchTimeoutMs: input.producerSwitchTimeoutMs,
      retentionMs: topic.retentionMs,
      releaseWhenDrained: input.releaseWhenDrained,
      staleGroupMs: input.staleGroupMs,
      pollMs: input.pollMs,
      deleteSource: true,
      ...(stale === undefined ? {} : { replaceStaleTarget: true }),
    });
  }

  const spec: ClusterFailbackInput = { cluster: { name: cluster.name, bootstrap: cluster.bootstrap }, moves, parallelism: input.parallelism, previousState: 'failed' };
  const workflowId = workflowIds.clusterFailback(cluster.name, await nextAttempt(registry, cluster.name, 'cluster-failback'));
  await inTransaction(services.db, async (tx) => {
    await tx.operations.start({ workflowId, kind: 'cluster-failback', subject: cluster.name, input: { ...spec }, startedBy: actor });
    await tx.audit.record({ actor, action: 'operations.clusterFailback', target: `cluster/${cluster.name}`, details: { workflowId, topics: moves.map((m) => m.topic) } });
    await operations.startClusterFailback(workflowId, spec);
  });
  return { workflowId, topics: moves.map((m) => m.topic) };
}

/** The procedures, for the operations router: `...clusterOperationProcedures`. */
export const clusterOperationProcedures = {
  failoverCluster: operatorProcedure.input(validated(failoverInput, 'cluster failover')).mutation(({ ctx, input }) => failoverCluster(ctx.services, actorOf(ctx.identity), input)),
  failbackCluster: operatorProcedure.input(validated(failbackInput, 'cluster failback')).mutation(({ ctx, input }) => failbackCluster(ctx.services, actorOf(ctx.identity), input)),
};
