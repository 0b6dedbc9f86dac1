// Sets where a topic's producers write and consumers read, with any keyed handoff change, and
// publishes it in the same transaction: the building block of moves. A cluster the placement adds
// gets the topic first (with its registered partitions and retention), so no client is sent to a
// cluster that lacks it: the way an operator splits a routed topic between a fronting cluster and
// the consumer clusters the router writes. Clusters already in the placement are not touched (a
// failed-over cluster may not answer).
import { withCluster } from '../../connect-cluster';
import type { WriteContext } from '../../context';
import { publishRegistry } from '../../publish-registry';
import type { PlaceTopicRequest } from './topic-inputs';

export async function placeTopic({ services, registry, changes }: WriteContext, input: PlaceTopicRequest) {
  await createOnAddedClusters({ services, registry, changes }, input);
  const version = await changes.run(async (tx, audit) => {
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
    await audit({ target: `topic/${input.name}`, details: { ...placement, handoff: input.handoff ?? null, reason: input.reason ?? null } });
    return publishRegistry(tx, changes.actor, input.reason ?? `place topic ${input.name}`);
  });
  await services.mappingFeed.refresh();
  return { version: version.version };
}

async function createOnAddedClusters({ services, registry }: WriteContext, input: PlaceTopicRequest): Promise<void> {
  const topic = await registry.topics.get(input.name);
  const placed = await registry.placements.of(input.name);
  const before = new Set([...placed.producers, ...placed.consumers]);
  const added = [...new Set([...(input.producers ?? []), ...(input.consumers ?? [])])].filter((name) => !before.has(name));
  for (const name of added) {
    const cluster = await registry.clusters.get(name);
    await withCluster(services, cluster.bootstrap, (admin) =>
      admin.ensureTopic({
        topic: topic.name,
        partitions: topic.partitions,
        replicationFactor: Math.min(topic.replicas, cluster.brokerCount),
        configs: { 'retention.ms': String(topic.retentionMs) },
      }),
    );
  }
}
