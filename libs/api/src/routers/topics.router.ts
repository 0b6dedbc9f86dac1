// topics: create (placed on the tier's fronting cluster with the most free capacity, created on
// Kafka with the tier's replicas and retention, idempotent), list, describe (placements, live
// state on each cluster, producers and consumers seen in heartbeats), place, delete.
import { planTopic } from '@flotilla/capacity';
import { createRegistry, inTransaction, topicNameSchema, type Registry, type Topic } from '@flotilla/db';
import { ConflictError, NotFoundError } from '@flotilla/errors';
import { z } from 'zod';
import { actorOf, type ApiServices } from '../context';
import { capacityClusters } from '../capacity-clusters';
import { withCluster } from '../connect-cluster';
import { publishRegistry } from '../publish-registry';
import { operatorProcedure, router, validated, viewerProcedure } from '../trpc';

const tier = z.enum(['low', 'medium', 'high']);

const createTopicInput = z.strictObject({
  name: topicNameSchema,
  tier: tier.default('medium'),
  /** Rounded up to a multiple of the chosen cluster's broker count; one per broker when absent. */
  partitions: z.int().min(1).optional(),
  keyed: z.boolean().default(false),
  bytesInPerSec: z.int().min(0).default(0),
  consumers: z.int().min(0).default(1),
  retentionMs: z.int().min(1).optional(),
  owner: z.string().optional(),
  /** Place on this cluster instead of choosing by capacity. */
  cluster: z.string().optional(),
});
export type CreateTopicInput = z.input<typeof createTopicInput>;

const handoffChange = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('start'), from: z.string(), to: z.string(), keyed: z.boolean() }),
  z.strictObject({ action: z.literal('seal'), sealed: z.record(z.string(), z.int().min(0)) }),
  z.strictObject({ action: z.literal('end') }),
]);

const placeInput = z.strictObject({
  name: z.string(),
  producers: z.array(z.string()).optional(),
  consumers: z.array(z.string()).optional(),
  /** A keyed handoff change published in the same version (topic moves). */
  handoff: handoffChange.optional(),
  reason: z.string().optional(),
});

const HEARTBEAT_ACTIVE_MS = 60_000;

export async function createTopic(services: ApiServices, actor: string, input: z.output<typeof createTopicInput>) {
  const registry = createRegistry(services.db);
  const existing = await registry.topics.find(input.name);
  if (existing) return { ...(await sameTopic(registry, existing, input)), created: false };

  const clusters = await registry.clusters.list();
  const candidates = (await capacityClusters(services, registry)).filter((cluster) => input.cluster === undefined || cluster.name === input.cluster);
  if (input.cluster !== undefined && candidates.length === 0) throw new NotFoundError('cluster', input.cluster);
  const plan = planTopic({
    tier: input.tier,
    bytesInPerSec: input.bytesInPerSec,
    consumers: input.consumers,
    ...(input.partitions === undefined ? {} : { partitions: input.partitions }),
    clusters: candidates,
  });
  const chosen = clusters.find((cluster) => cluster.name === plan.cluster);
  if (!chosen) throw new NotFoundError('cluster', plan.cluster);
  const retentionMs = input.retentionMs ?? plan.retentionMs;

  await withCluster(services, chosen.bootstrap, (admin) =>
    admin.ensureTopic({
      topic: input.name,
      partitions: plan.partitions,
      replicationFactor: plan.replicationFactor,
      configs: { 'retention.ms': String(retentionMs) },
    }),
  );
  const topic = await inTransaction(services.db, async (tx) => {
    const added = await tx.topics.add({
      name: input.name,
      tier: input.tier,
      partitions: plan.partitions,
      replicas: plan.replicationFactor,
      retentionMs,
      keyed: input.keyed,
      bytesInPerSec: input.bytesInPerSec,
      consumers: input.consumers,
      owner: input.owner ?? null,
    });
    await tx.placements.set(input.name, 'producer', [chosen.name]);
    await tx.placements.set(input.name, 'consumer', [chosen.name]);
    await tx.audit.record({ actor, action: 'topics.create', target: `topic/${input.name}`, details: { ...plan, retentionMs } });
    await publishRegistry(tx, actor, `create topic ${input.name} on ${chosen.name}`);
    return added;
  });
  await services.mappingFeed.refresh();
  return { topic, placement: { producers: [chosen.name], consumers: [chosen.name] }, created: true };
}

/** A create of a topic that exists: the same request answers with it, a different one is a conflict. */
async function sameTopic(registry: Registry, existing: Topic, input: z.output<typeof createTopicInput>) {
  const differences: string[] = [];
  if (existing.tier !== input.tier) differences.push(`tier ${existing.tier} (asked ${input.tier})`);
  if (existing.keyed !== input.keyed) differences.push(`keyed ${existing.keyed} (asked ${input.keyed})`);
  if (input.partitions !== undefined && input.partitions > existing.partitions) {
    differences.push(`${existing.partitions} partitions (asked ${input.partitions}; use expand)`);
  }
  if (input.retentionMs !== undefined && input.retentionMs !== existing.retentionMs) {
    differences.push(`retention ${existing.retentionMs} ms (asked ${input.retentionMs})`);
  }
  if (differences.length > 0) throw new ConflictError('topic', existing.name, `already exists with ${differences.join(', ')}`);
  const placement = await registry.placements.of(existing.name);
  return { topic: existing, placement: { producers: placement.producers, consumers: placement.consumers } };
}

export async function describeTopic(services: ApiServices, name: string) {
  const registry = createRegistry(services.db);
  const topic = await registry.topics.get(name);
  const [placement, handoff, seen] = await Promise.all([
    registry.placements.of(name),
    registry.handoffs.find(name),
    registry.clients.forTopic(name, HEARTBEAT_ACTIVE_MS),
  ]);
  const clusterNames = [...new Set([...placement.producers, ...placement.consumers])];
  const live = [];
  for (const clusterName of clusterNames) {
    const cluster = await registry.clusters.get(clusterName);
    const state = await withCluster(services, cluster.bootstrap, async (admin) => {
      const described = await admin.describeTopic(name);
      return described ? { ...described, records: described.records.toString() } : { missing: true as const };
    }).catch((error: unknown) => ({ unreachable: error instanceof Error ? error.message : String(error) }));
    live.push({ cluster: clusterName, ...state });
  }
  const session = (s: (typeof seen.producers)[number]) => ({
    clientId: s.clientId,
    application: s.application,
    mappingVersion: s.mappingVersion,
    groupId: s.groupId,
    lastHeartbeatAt: s.lastHeartbeatAt,
  });
  return {
    topic,
    placement: { producers: placement.producers, consumers: placement.consumers },
    handoff: handoff ?? null,
    live,
    producers: seen.producers.map(session),
    consumers: seen.consumers.map(session),
  };
}

export const topicsRouter = router({
  create: operatorProcedure
    .input(validated(createTopicInput, 'topic'))
    .mutation(({ ctx, input }) => createTopic(ctx.services, actorOf(ctx.identity), input)),

  list: viewerProcedure.query(async ({ ctx }) => {
    const registry = createRegistry(ctx.services.db);
    const [topics, placements] = await Promise.all([registry.topics.list(), registry.placements.list()]);
    return topics.map((topic) => ({
      ...topic,
      producers: placements.filter((p) => p.topic === topic.name && p.side === 'producer').map((p) => p.cluster),
      consumers: placements.filter((p) => p.topic === topic.name && p.side === 'consumer').map((p) => p.cluster),
    }));
  }),

  describe: viewerProcedure
    .input(validated(z.object({ name: z.string() }), 'topic'))
    .query(({ ctx, input }) => describeTopic(ctx.services, input.name)),

  /** Sets where producers write and consumers read, and publishes it: the building block of moves. */
  place: operatorProcedure.input(validated(placeInput, 'placement')).mutation(async ({ ctx, input }) => {
    const actor = actorOf(ctx.identity);
    const version = await inTransaction(ctx.services.db, async (tx) => {
      await tx.topics.get(input.name);
      if (input.producers) await tx.placements.set(input.name, 'producer', input.producers);
      if (input.consumers) await tx.placements.set(input.name, 'consumer', input.consumers);
      if (input.handoff?.action === 'start') {
        await tx.handoffs.start({ topic: input.name, fromCluster: input.handoff.from, toCluster: input.handoff.to, keyed: input.handoff.keyed });
      } else if (input.handoff?.action === 'seal') {
        await tx.handoffs.seal(input.name, input.handoff.sealed);
      } else if (input.handoff?.action === 'end') {
        await tx.handoffs.end(input.name);
      }
      const placement = await tx.placements.of(input.name);
      await tx.audit.record({ actor, action: 'topics.place', target: `topic/${input.name}`, details: { ...placement, handoff: input.handoff ?? null, reason: input.reason ?? null } });
      return publishRegistry(tx, actor, input.reason ?? `place topic ${input.name}`);
    });
    await ctx.services.mappingFeed.refresh();
    return { version: version.version };
  }),

  /** Records a raised partition count (the expand workflow calls it once Kafka has them); never lowers it. */
  setPartitions: operatorProcedure
    .input(validated(z.object({ name: z.string(), partitions: z.int().min(1) }), 'partition change'))
    .mutation(({ ctx, input }) =>
      inTransaction(ctx.services.db, async (tx) => {
        const current = await tx.topics.get(input.name);
        if (current.partitions === input.partitions) return current;
        const topic = await tx.topics.setPartitions(input.name, input.partitions);
        await tx.audit.record({ actor: actorOf(ctx.identity), action: 'topics.setPartitions', target: `topic/${input.name}`, details: { from: current.partitions, to: input.partitions } });
        return topic;
      }),
    ),

  delete: operatorProcedure.input(validated(z.object({ name: z.string() }), 'topic')).mutation(async ({ ctx, input }) => {
    const actor = actorOf(ctx.identity);
    const { placement, clusters } = await inTransaction(ctx.services.db, async (tx) => {
      const placed = await tx.placements.of(input.name);
      const names = [...new Set([...placed.producers, ...placed.consumers])];
      const rows = await Promise.all(names.map((name) => tx.clusters.get(name)));
      await tx.topics.remove(input.name);
      await tx.audit.record({ actor, action: 'topics.delete', target: `topic/${input.name}`, details: { clusters: names } });
      await publishRegistry(tx, actor, `delete topic ${input.name}`);
      return { placement: placed, clusters: rows };
    });
    await ctx.services.mappingFeed.refresh();
    // The mapping no longer routes to the topic; only then is its data removed from Kafka.
    const results = await Promise.all(
      clusters.map((cluster) =>
        withCluster(ctx.services, cluster.bootstrap, (admin) => admin.deleteTopic(input.name)).then(
          () => ({ cluster: cluster.name, deleted: true as const }),
          (error: unknown) => ({ cluster: cluster.name, deleted: false as const, error: error instanceof Error ? error.message : String(error) }),
        ),
      ),
    );
    return { placement: { producers: placement.producers, consumers: placement.consumers }, kafka: results };
  }),
});
