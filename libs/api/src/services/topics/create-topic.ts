// Creates a topic: placed on the tier's fronting cluster with the most free capacity (or the one
// asked for), created on Kafka with the tier's replicas and retention, then registered and
// published. Idempotent: the same request again answers with the topic, a different one is a conflict.
import { planTopic } from '@flotilla/capacity';
import type { Registry, Topic } from '@flotilla/db';
import { ConflictError, NotFoundError } from '@flotilla/errors';
import { capacityClusters } from '../../capacity-clusters';
import { withCluster } from '../../connect-cluster';
import type { WriteContext } from '../../context';
import { publishRegistry } from '../../publish-registry';
import type { CreateTopicRequest } from './topic-inputs';

export async function createTopic({ services, registry, changes }: WriteContext, input: CreateTopicRequest) {
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
  const topic = await changes.run(async (tx, audit) => {
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
    await audit({ target: `topic/${input.name}`, details: { ...plan, retentionMs } });
    await publishRegistry(tx, changes.actor, `create topic ${input.name} on ${chosen.name}`);
    return added;
  });
  await services.mappingFeed.refresh();
  return { topic, placement: { producers: [chosen.name], consumers: [chosen.name] }, created: true };
}

/** A create of a topic that exists: the same request answers with it, a different one is a conflict. */
async function sameTopic(registry: Registry, existing: Topic, input: CreateTopicRequest) {
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
