// The registry's clusters. Every write is validated here, whatever the caller (tRPC handler,
// workflow activity, CLI seed), because the database is the truth the mapping is built from.
import { ConflictError, NotFoundError } from '@flotilla/errors';
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { parseInput } from './parse-input';
import { clusterStateSchema, clusters, newClusterSchema } from './schema/clusters';
import type { Cluster, ClusterState, NewCluster } from './schema/clusters';

export interface ClusterRepository {
  /** Registers a cluster as `active`; a taken name is a ConflictError naming it. */
  add(cluster: NewCluster): Promise<Cluster>;
  /** The named cluster, or a NotFoundError. */
  get(name: string): Promise<Cluster>;
  /** All clusters, by name. */
  list(): Promise<Cluster[]>;
  /** Moves a cluster to `state` and returns it as stored. */
  setState(name: string, state: ClusterState): Promise<Cluster>;
}

export function createClusterRepository(db: Database): ClusterRepository {
  return {
    add: (input) =>
      guard(async () => {
        const cluster = parseInput(newClusterSchema, input, describeNewCluster(input));
        // A conflict is an answer, not an exception, so a duplicate never depends on parsing
        // driver-specific unique-violation errors.
        const [added] = await db
          .insert(clusters)
          .values({
            name: cluster.name,
            role: cluster.role,
            tier: cluster.tier ?? null,
            bootstrap: cluster.bootstrap,
            saslBootstrap: cluster.saslBootstrap ?? null,
            brokerCount: cluster.brokerCount,
            zone: cluster.zone ?? null,
            capacityBytesPerSec: cluster.capacityBytesPerSec ?? null,
          })
          .onConflictDoNothing({ target: clusters.name })
          .returning();
        if (!added) throw new ConflictError('cluster', cluster.name);
        return added;
      }),

    get: (name) =>
      guard(async () => {
        const [cluster] = await db.select().from(clusters).where(eq(clusters.name, name));
        if (!cluster) throw new NotFoundError('cluster', name);
        return cluster;
      }),

    list: () => guard(() => db.select().from(clusters).orderBy(asc(clusters.name))),

    setState: (name, state) =>
      guard(async () => {
        const next = parseInput(clusterStateSchema, state, `cluster "${name}"`, 'state');
        const [updated] = await db
          .update(clusters)
          .set({ state: next, updatedAt: sql`now()` })
          .where(eq(clusters.name, name))
          .returning();
        if (!updated) throw new NotFoundError('cluster', name);
        return updated;
      }),
  };
}

function describeNewCluster(input: unknown): string {
  const name: unknown = typeof input === 'object' && input !== null ? Reflect.get(input, 'name') : undefined;
  return typeof name === 'string' && name !== '' ? `cluster "${name}"` : 'cluster';
}
