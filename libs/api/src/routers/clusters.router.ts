// clusters: register (after checking the cluster answers and counting its brokers), list,
// describe with live broker and topic figures, and state changes.
import { clusterStateSchema, inTransaction, newClusterSchema, createRegistry } from '@flotilla/db';
import { ValidationError, parseInput } from '@flotilla/errors';
import { z } from 'zod';
import { actorOf, type ApiServices } from '../context';
import { withCluster } from '../connect-cluster';
import { publishRegistry } from '../publish-registry';
import { adminProcedure, operatorProcedure, router, validated, viewerProcedure } from '../trpc';

const addClusterInput = z.object({
  name: z.string(),
  role: z.enum(['fronting', 'consumer']),
  tier: z.enum(['low', 'medium', 'high']).nullish(),
  bootstrap: z.array(z.string()),
  zone: z.string().nullish(),
  capacityBytesPerSec: z.int().nullish(),
  /** When given, must match what the cluster reports. */
  brokerCount: z.int().optional(),
});
export type AddClusterInput = z.output<typeof addClusterInput>;

/** Registers a cluster after dialing it: the broker count is what the cluster reports. */
export async function addCluster(services: ApiServices, actor: string, input: AddClusterInput) {
  const { brokerCount: expected, ...rest } = input;
  // The shape is checked before anything is dialed.
  parseInput(newClusterSchema, { ...rest, brokerCount: expected ?? 1 }, `cluster "${input.name}"`);
  const described = await withCluster(services, input.bootstrap, (admin) => admin.describeCluster());
  const brokerCount = described.brokers.length;
  if (expected !== undefined && expected !== brokerCount) {
    throw new ValidationError(
      `invalid cluster "${input.name}": brokerCount: the cluster at ${input.bootstrap.join(',')} reports ${brokerCount} broker(s), got ${expected}`,
      { field: 'brokerCount' },
    );
  }
  const added = await inTransaction(services.db, async (registry) => {
    const cluster = await registry.clusters.add({ ...rest, brokerCount });
    await registry.audit.record({ actor, action: 'clusters.add', target: `cluster/${cluster.name}`, details: { ...rest, brokerCount } });
    await publishRegistry(registry, actor, `add cluster ${cluster.name}`);
    return cluster;
  });
  await services.mappingFeed.refresh();
  return added;
}

export async function describeCluster(services: ApiServices, name: string) {
  const cluster = await createRegistry(services.db).clusters.get(name);
  const placed = await createRegistry(services.db).placements.topicsOn(name);
  const live = await withCluster(services, cluster.bootstrap, async (admin) => {
    const description = await admin.describeCluster();
    const names = (await admin.listTopics()).filter((topic) => !topic.startsWith('__')).sort();
    const topics = [];
    for (const topic of names) {
      const described = await admin.describeTopic(topic);
      if (described) topics.push({ ...described, records: described.records.toString(), placed: placed.includes(topic) });
    }
    return { clusterId: description.clusterId, controller: description.controller, brokers: description.brokers, topics };
  }).catch((error: unknown) => ({ unreachable: error instanceof Error ? error.message : String(error) }));
  return { ...cluster, live };
}

export const clustersRouter = router({
  add: adminProcedure
    .input(validated(addClusterInput, 'cluster'))
    .mutation(({ ctx, input }) => addCluster(ctx.services, actorOf(ctx.identity), input)),

  list: viewerProcedure.query(({ ctx }) => createRegistry(ctx.services.db).clusters.list()),

  describe: viewerProcedure
    .input(validated(z.object({ name: z.string() }), 'cluster'))
    .query(({ ctx, input }) => describeCluster(ctx.services, input.name)),

  setState: operatorProcedure
    .input(validated(z.object({ name: z.string(), state: clusterStateSchema }), 'cluster state'))
    .mutation(async ({ ctx, input }) => {
      const updated = await inTransaction(ctx.services.db, async (registry) => {
        const before = await registry.clusters.get(input.name);
        const cluster = await registry.clusters.setState(input.name, input.state);
        if (input.state === 'retired') {
          const topics = await registry.placements.topicsOn(input.name);
          if (topics.length > 0) {
            throw new ValidationError(
              `cannot retire cluster "${input.name}": state: topics still placed there (${topics.slice(0, 5).join(', ')}${topics.length > 5 ? ', ...' : ''}); drain it first`,
              { field: 'state' },
            );
          }
        }
        await registry.audit.record({ actor: actorOf(ctx.identity), action: 'clusters.setState', target: `cluster/${input.name}`, details: { from: before.state, to: input.state } });
        await publishRegistry(registry, actorOf(ctx.identity), `cluster ${input.name} ${before.state} → ${input.state}`);
        return cluster;
      });
      await ctx.services.mappingFeed.refresh();
      return updated;
    }),
});
