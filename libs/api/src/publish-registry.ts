// Publishes the registry's current placements as the next mapping version. Always called inside
// the transaction of the change that caused it, so a change and its version commit together.
import type { MappingVersion, Registry } from '@flotilla/db';
import { composeMapping } from '@flotilla/mapping';

export async function publishRegistry(registry: Registry, author: string, reason: string): Promise<MappingVersion> {
  const [clusters, placements, handoffs] = await Promise.all([registry.clusters.list(), registry.placements.list(), registry.handoffs.list()]);
  return registry.mapping.publish({
    author,
    reason,
    compose: (version) =>
      composeMapping({
        version,
        // Retired clusters leave the document: nothing may route to them any more.
        clusters: clusters.filter((cluster) => cluster.state !== 'retired'),
        placements,
        handoffs: handoffs.map((handoff) => ({
          topic: handoff.topic,
          from: handoff.fromCluster,
          to: handoff.toCluster,
          keyed: handoff.keyed,
          sealed: handoff.sealed,
        })),
      }),
  });
}
