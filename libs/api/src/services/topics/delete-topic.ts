// Deletes a topic: first from the registry and the mapping, so nothing routes to it, and only then
// its data on every cluster it was placed on (each cluster's answer is reported, not thrown).
import { withCluster } from '../../connect-cluster';
import type { WriteContext } from '../../context';
import { publishRegistry } from '../../publish-registry';

export async function deleteTopic({ services, changes }: WriteContext, name: string) {
  const { placement, clusters } = await changes.run(async (tx, audit) => {
    const placed = await tx.placements.of(name);
    const names = [...new Set([...placed.producers, ...placed.consumers])];
    const rows = await Promise.all(names.map((cluster) => tx.clusters.get(cluster)));
    await tx.topics.remove(name);
    await audit({ target: `topic/${name}`, details: { clusters: names } });
    await publishRegistry(tx, changes.actor, `delete topic ${name}`);
    return { placement: placed, clusters: rows };
  });
  await services.mappingFeed.refresh();
  const results = await Promise.all(
    clusters.map((cluster) =>
      withCluster(services, cluster.bootstrap, (admin) => admin.deleteTopic(name)).then(
        () => ({ cluster: cluster.name, deleted: true as const }),
        (error: unknown) => ({ cluster: cluster.name, deleted: false as const, error: error instanceof Error ? error.message : String(error) }),
      ),
    ),
  );
  return { placement: { producers: placement.producers, consumers: placement.consumers }, kafka: results };
}
