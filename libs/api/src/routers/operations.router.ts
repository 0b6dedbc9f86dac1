// operations: start a topic move (more kinds follow the same shape), watch its progress, pause,
// resume or abort it, list what ran. The workflow is the truth about progress; the operations
// table lets management list operations and refuse a second one on the same topic.
import { effectiveReplicas, planTopic, roundPartitions } from '@flotilla/capacity';
import { createRegistry, inTransaction, type Operation, type Registry } from '@flotilla/db';
import { ConflictError, NotFoundError, UnavailableError, ValidationError } from '@flotilla/errors';
import { workflowIds, type ClusterFailbackInput, type TopicExpandInput, type TopicMoveInput } from '@flotilla/workflows';
import { z } from 'zod';
import { actorOf, type ApiServices } from '../context';
import type { OperationsGateway } from '../operations-gateway';
import { publishRegistry } from '../publish-registry';
import { operatorProcedure, router, validated, viewerProcedure } from '../trpc';
import { clusterOperationProcedures } from './cluster-operations';
import { capacityClusters } from '../capacity-clusters';
import { nextAttempt } from '../next-attempt';
import { withCluster } from '../connect-cluster';
import { tailOptions } from '../tail-options';

const moveInput = z.strictObject({
  topic: z.string(),
  to: z.string(),
  /** How long producers get to take the new version before the source is fenced (30 s). */
  producerSwitchTimeoutMs: z.int().min(0).default(30_000),
  ...tailOptions,
  pollMs: z.int().min(100).default(1_000),
  /** Delete the source topic once it left the consumer side (by then it holds nothing readable). */
  deleteSource: z.boolean().default(true),
  /** The target holds an older copy of the topic that nobody reads: delete it and start clean (otherwise refused). */
  replaceStaleTarget: z.boolean().default(false),
});
export type MoveTopicInput = z.input<typeof moveInput>;

function gateway(services: ApiServices): OperationsGateway {
  if (!services.operations) {
    throw new UnavailableError('operations are not available: this management service runs without Temporal (set TEMPORAL_ADDRESS)', { retryable: false });
  }
  return services.operations;
}

/** Checks a move of `input.topic` to `input.to` and builds the workflow's input. */
async function planMove(services: ApiServices, input: z.output<typeof moveInput>, partitions?: number) {
  const operations = gateway(services);
  const registry = createRegistry(services.db);
  const topic = await registry.topics.get(input.topic);
  const placement = await registry.placements.of(topic.name);
  const [fromName] = placement.producers;
  if (fromName === undefined || placement.producers.length !== 1) {
    throw new ValidationError(`cannot move topic "${topic.name}": producers: expected exactly one cluster, got [${placement.producers.join(', ')}]`, { field: 'producers' });
  }
  if (fromName === input.to) throw new ValidationError(`cannot move topic "${topic.name}": to: it already lives on "${input.to}"`, { field: 'to' });
  // A row still says running until someone asks; ask Temporal before refusing. A move in its
  // tail still runs: the operator learns until when, and how to end it early.
  const running: string[] = [];
  for (const operation of await registry.operations.running(topic.name)) {
    const status = await operations.status(operation.workflowId);
    const tail = status.progress?.phase === 'tail' && status.progress.tail ? `, keeping ${status.progress.tail.readableUntil > 0 ? `its source readable until ${new Date(status.progress.tail.readableUntil).toISOString()}` : 'its source readable'}; \`flotilla operations release ${operation.workflowId}\` ends that early once every live group read it` : '';
    if (status.status === 'running') running.push(`${operation.workflowId}${tail}`);
    else await registry.operations.setState(operation.workflowId, status.status, status.error ?? null);
  }
  if (running.length > 0) throw new ConflictError('topic', topic.name, `already has a running operation (${running.join('; ')})`);
  if (placement.consumers.length !== 1 || placement.consumers[0] !== fromName) {
    throw new ConflictError('topic', topic.name, `is in the middle of a change (consumers read [${placement.consumers.join(', ')}])`);
  }
  const [from, to] = await Promise.all([registry.clusters.get(fromName), registry.clusters.get(input.to)]);
  if (to.state !== 'active') throw new ValidationError(`cannot move topic "${topic.name}" to "${to.name}": to: the cluster is ${to.state}`, { field: 'to' });
  if (to.role !== from.role) {
    throw new ValidationError(`cannot move topic "${topic.name}" to "${to.name}": to: a ${to.role} cluster cannot take a topic from a ${from.role} cluster`, { field: 'to' });
  }
  // An older copy on the target (kept by --keep-source, or a cluster that came back after its
  // failover gave it up) would put old records back in front of consumers.
  const stale = await withCluster(services, to.bootstrap, (admin) => admin.describeTopic(topic.name)).catch((error: unknown) => {
    throw new UnavailableError(`cannot move topic "${topic.name}" to "${to.name}": the cluster does not answer at ${to.bootstrap.join(',')}`, { cause: error });
  });
  if (stale && !input.replaceStaleTarget) {
    throw new ConflictError(
      'topic',
      topic.name,
      `cannot move to "${to.name}": it still holds an older copy of the topic (${stale.records} records) that no consumer reads; delete it there first, or move with --replace-stale-target to start from a clean topic`,
    );
  }

  const workflowId = workflowIds.topicMove(topic.name, await nextAttempt(registry, topic.name, 'topic-move'));
  const moveSpec: TopicMoveInput = {
    topic: topic.name,
    from: { name: from.name, bootstrap: from.bootstrap },
    to: { name: to.name, bootstrap: to.bootstrap },
    keyed: topic.keyed,
    // A keyed topic keeps its partition count so every key keeps its partition number, unless
    // it is expanding (then the handoff keeps order while keys change partitions).
    partitions: roundPartitions(partitions ?? topic.partitions, topic.keyed && partitions === undefined ? 1 : to.brokerCount),
    replicationFactor: effectiveReplicas(topic.tier, to.brokerCount),
    configs: { 'retention.ms': String(topic.retentionMs) },
    producerSwitchTimeoutMs: input.producerSwitchTimeoutMs,
    retentionMs: topic.retentionMs,
    releaseWhenDrained: input.releaseWhenDrained,
    staleGroupMs: input.staleGroupMs,
    pollMs: input.pollMs,
    deleteSource: input.deleteSource,
    ...(stale ? { replaceStaleTarget: true } : {}),
  };
  return { topic, from, to, workflowId, moveSpec };
}

export async function moveTopic(services: ApiServices, actor: string, input: z.output<typeof moveInput>) {
  const { topic, from, to, workflowId, moveSpec } = await planMove(services, input);
  const operations = gateway(services);
  await inTransaction(services.db, async (tx) => {
    await tx.operations.start({ workflowId, kind: 'topic-move', subject: topic.name, input: { ...moveSpec }, startedBy: actor });
    await tx.audit.record({ actor, action: 'operations.topicMove', target: `topic/${topic.name}`, details: { from: from.name, to: to.name, workflowId } });
    // Inside the transaction: if Temporal refuses, no operation row claims a move that never ran.
    await operations.startTopicMove(workflowId, moveSpec);
  });
  return { workflowId, from: from.name, to: to.name };
}

const expandInput = z.strictObject({
  topic: z.string(),
  partitions: z.int().min(1),
  /** Keyed topics only: the cluster that takes the expanded topic (default: the pool's best). */
  to: z.string().optional(),
  producerSwitchTimeoutMs: z.int().min(0).default(30_000),
  ...tailOptions,
  pollMs: z.int().min(100).default(1_000),
  /** Keyed only: delete the old placement once it left the consumer side. */
  deleteSource: z.boolean().default(true),
});
export type ExpandTopicInput = z.input<typeof expandInput>;

export async function expandTopic(services: ApiServices, actor: string, input: z.output<typeof expandInput>) {
  const operations = gateway(services);
  const registry = createRegistry(services.db);
  const topic = await registry.topics.get(input.topic);
  if (input.partitions <= topic.partitions) {
    throw new ValidationError(`cannot expand topic "${topic.name}": partitions: expected more than its current ${topic.partitions}, got ${input.partitions}`, { field: 'partitions' });
  }
  const workflowId = workflowIds.topicExpand(topic.name, await nextAttempt(registry, topic.name, 'topic-expand'));
  let spec: TopicExpandInput;
  if (!topic.keyed) {
    const placement = await registry.placements.of(topic.name);
    const names = [...new Set([...placement.producers, ...placement.consumers])];
    const clusters = await Promise.all(names.map((name) => registry.clusters.get(name)));
    // A multiple of every cluster's broker count, so partitions stay spread evenly everywhere.
    const partitions = clusters.reduce((count, cluster) => roundPartitions(count, cluster.brokerCount), input.partitions);
    spec = { topic: topic.name, keyed: false, fromPartitions: topic.partitions, partitions, clusters: clusters.map((c) => ({ name: c.name, bootstrap: c.bootstrap })) };
  } else {
    const to = input.to ?? (await chooseOtherCluster(services, topic.name));
    const { moveSpec } = await planMove(
      services,
      {
        topic: topic.name,
        to,
        producerSwitchTimeoutMs: input.producerSwitchTimeoutMs,
        releaseWhenDrained: input.releaseWhenDrained,
        staleGroupMs: input.staleGroupMs,
        pollMs: input.pollMs,
        deleteSource: input.deleteSource,
        replaceStaleTarget: false,
      },
      input.partitions,
    );
    spec = { topic: topic.name, keyed: true, fromPartitions: topic.partitions, partitions: moveSpec.partitions, move: moveSpec };
  }
  await inTransaction(services.db, async (tx) => {
    await tx.operations.start({ workflowId, kind: 'topic-expand', subject: topic.name, input: { ...spec }, startedBy: actor });
    await tx.audit.record({ actor, action: 'operations.topicExpand', target: `topic/${topic.name}`, details: { from: topic.partitions, to: spec.partitions, workflowId } });
    await operations.startTopicExpand(workflowId, spec);
  });
  return { workflowId, partitions: spec.partitions, keyed: topic.keyed };
}

/** The active cluster of the topic's tier pool, other than where it is, with the most room. */
async function chooseOtherCluster(services: ApiServices, topicName: string): Promise<string> {
  const registry = createRegistry(services.db);
  const topic = await registry.topics.get(topicName);
  const placement = await registry.placements.of(topicName);
  const plan = planTopic({
    tier: topic.tier,
    bytesInPerSec: topic.bytesInPerSec,
    consumers: topic.consumers,
    clusters: await capacityClusters(services, registry, placement.producers),
  });
  return plan.cluster;
}

const drainInput = z.strictObject({
  cluster: z.string(),
  /** Topic moves at a time. */
  parallelism: z.int().min(1).max(32).default(4),
  producerSwitchTimeoutMs: z.int().min(0).default(30_000),
  ...tailOptions,
  pollMs: z.int().min(100).default(1_000),
});
export type DrainClusterInput = z.input<typeof drainInput>;

/** Moves every topic produced on a cluster to the best other cluster of its pool, then retires it. */
export async function drainCluster(services: ApiServices, actor: string, input: z.output<typeof drainInput>) {
  const operations = gateway(services);
  const registry = createRegistry(services.db);
  const cluster = await registry.clusters.get(input.cluster);
  if (cluster.state !== 'active' && cluster.state !== 'draining') {
    throw new ValidationError(`cannot drain cluster "${cluster.name}": cluster: it is ${cluster.state}`, { field: 'cluster' });
  }
  const topics = [...new Set((await registry.placements.list()).filter((p) => p.cluster === cluster.name && p.side === 'producer').map((p) => p.topic))];
  // Every move is planned (and checked) before anything changes, so a topic without room elsewhere
  // refuses the drain instead of leaving it half-started.
  const moves: TopicMoveInput[] = [];
  for (const topic of topics) {
    const to = await chooseOtherCluster(services, topic);
    const { moveSpec } = await planMove(services, {
      topic,
      to,
      producerSwitchTimeoutMs: input.producerSwitchTimeoutMs,
      releaseWhenDrained: input.releaseWhenDrained,
      staleGroupMs: input.staleGroupMs,
      pollMs: input.pollMs,
      deleteSource: true,
      replaceStaleTarget: false,
    });
    moves.push(moveSpec);
  }
  // Aborted, the drain gives the cluster back to its pools.
  const spec: ClusterFailbackInput = { cluster: { name: cluster.name, bootstrap: cluster.bootstrap }, moves, parallelism: input.parallelism, previousState: 'active' };
  const workflowId = workflowIds.clusterDrain(cluster.name, await nextAttempt(registry, cluster.name, 'cluster-drain'));
  await inTransaction(services.db, async (tx) => {
    // Draining takes the cluster out of every pool: no new topic is placed on it meanwhile.
    if (cluster.state !== 'draining') {
      await tx.clusters.setState(cluster.name, 'draining');
      await publishRegistry(tx, actor, `drain cluster ${cluster.name}`);
    }
    await tx.operations.start({ workflowId, kind: 'cluster-drain', subject: cluster.name, input: { ...spec }, startedBy: actor });
    await tx.audit.record({ actor, action: 'operations.clusterDrain', target: `cluster/${cluster.name}`, details: { workflowId, moves: moves.map((m) => `${m.topic} → ${m.to.name}`) } });
    await operations.startClusterDrain(workflowId, spec);
  });
  await services.mappingFeed.refresh();
  return { workflowId, moves: moves.map((m) => ({ topic: m.topic, to: m.to.name })) };
}

/**
 * The operation row of a workflow id; a child move (`<parent>/topic-move:<topic>`) is answered
 * from its parent's row, since only operations started through management have rows.
 */
async function findOperation(registry: Registry, workflowId: string): Promise<Operation & { parentId: string | null }> {
  try {
    return { ...(await registry.operations.get(workflowId)), parentId: null };
  } catch (error) {
    const separator = workflowId.lastIndexOf('/topic-move:');
    if (!(error instanceof NotFoundError) || separator < 0) throw error;
    const parentId = workflowId.slice(0, separator);
    const parent = await registry.operations.get(parentId);
    return { ...parent, workflowId, kind: 'topic-move', subject: workflowId.slice(separator + '/topic-move:'.length), parentId };
  }
}

export const operationsRouter = router({
  drainCluster: operatorProcedure.input(validated(drainInput, 'cluster drain')).mutation(({ ctx, input }) => drainCluster(ctx.services, actorOf(ctx.identity), input)),
  ...clusterOperationProcedures,

  expandTopic: operatorProcedure.input(validated(expandInput, 'topic expansion')).mutation(({ ctx, input }) => expandTopic(ctx.services, actorOf(ctx.identity), input)),

  moveTopic: operatorProcedure.input(validated(moveInput, 'topic move')).mutation(({ ctx, input }) => moveTopic(ctx.services, actorOf(ctx.identity), input)),

  status: viewerProcedure.input(validated(z.object({ workflowId: z.string() }), 'operation')).query(async ({ ctx, input }) => {
    const registry = createRegistry(ctx.services.db);
    const operation = await findOperation(registry, input.workflowId);
    const operations = gateway(ctx.services);
    const status = await operations.status(input.workflowId);
    if (operation.parentId === null && status.status !== 'running' && operation.state === 'running') {
      await registry.operations.setState(input.workflowId, status.status, status.error ?? null);
    }
    // Children (the moves of an expand, failback, drain or aborted failover), each addressable by its id.
    const progressed = status.expandProgress ?? status.clusterProgress;
    const childIds: readonly string[] = progressed && 'children' in progressed ? progressed.children : [];
    const children = await Promise.all(
      childIds.map(async (workflowId) => {
        const child = await operations.status(workflowId);
        return { workflowId, status: child.status, ...(child.error ? { error: child.error } : {}), ...(child.progress ? { progress: child.progress } : {}) };
      }),
    );
    return { operation: { ...operation, state: status.status === 'running' ? operation.state : status.status }, ...status, children };
  }),

  signal: operatorProcedure
    .input(validated(z.object({ workflowId: z.string(), signal: z.enum(['pause', 'resume', 'abort', 'release']) }), 'signal'))
    .mutation(async ({ ctx, input }) => {
      const registry = createRegistry(ctx.services.db);
      await findOperation(registry, input.workflowId);
      const operations = gateway(ctx.services);
      const status = await operations.status(input.workflowId);
      if (status.status !== 'running') {
        throw new ConflictError('operation', input.workflowId, `has already ${status.status === 'failed' ? 'failed' : `ended (${status.status})`}: there is nothing to ${input.signal}`);
      }
      await operations.signal(input.workflowId, input.signal);
      await registry.audit.record({ actor: actorOf(ctx.identity), action: `operations.${input.signal}`, target: `operation/${input.workflowId}` });
      return { workflowId: input.workflowId, signal: input.signal };
    }),

  list: viewerProcedure
    .input(validated(z.object({ subject: z.string().optional() }).default({}), 'operation filter'))
    .query(({ ctx, input }) => createRegistry(ctx.services.db).operations.list(input.subject === undefined ? {} : { subject: input.subject })),
});
