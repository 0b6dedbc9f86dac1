// Where topics live, per side. Writes replace a topic's whole list for one side, because that is
// how moves are expressed ("consumers read [a, b]"), and a replace is one statement pair that a
// caller's transaction makes atomic.
import { NotFoundError, ValidationError } from '@flotilla/errors';
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { clusters } from './schema/clusters';
import { placements } from './schema/placements';
import type { Placement, PlacementSide } from './schema/placements';
import { topics } from './schema/topics';

export interface TopicPlacement {
  readonly topic: string;
  readonly producers: string[];
  readonly consumers: string[];
}

export interface PlacementRepository {
  /**
   * Sets the clusters of one side of a topic. Every cluster must be registered and not retired,
   * the list non-empty and without repeats; otherwise a ValidationError / NotFoundError naming it.
   */
  set(topic: string, side: PlacementSide, clusterNames: readonly string[]): Promise<void>;
  /** Producer and consumer clusters of a topic (empty lists for an unplaced topic). */
  of(topic: string): Promise<TopicPlacement>;
  /** Every placement row, ordered by topic, side, cluster: what the mapping is built from. */
  list(): Promise<Placement[]>;
  /** Topics with any placement on the cluster. */
  topicsOn(cluster: string): Promise<string[]>;
}

export function createPlacementRepository(db: Database): PlacementRepository {
  return {
    set: (topic, side, clusterNames) =>
      guard(async () => {
        const field = `${side}s`;
        if (clusterNames.length === 0) {
          throw new ValidationError(`invalid placement of topic "${topic}": ${field}: expected at least one cluster, got []`, { field });
        }
        const repeated = clusterNames.find((name, index) => clusterNames.indexOf(name) !== index);
        if (repeated !== undefined) {
          throw new ValidationError(`invalid placement of topic "${topic}": ${field}: cluster "${repeated}" is listed twice`, { field });
        }
        const [known] = await db.select({ name: topics.name }).from(topics).where(eq(topics.name, topic));
        if (!known) throw new NotFoundError('topic', topic);
        const found = await db
          .select({ name: clusters.name, state: clusters.state })
          .from(clusters)
          .where(inArray(clusters.name, [...clusterNames]));
        for (const name of clusterNames) {
          const cluster = found.find((row) => row.name === name);
          if (!cluster) throw new NotFoundError('cluster', name);
          if (cluster.state === 'retired') {
            throw new ValidationError(`invalid placement of topic "${topic}": ${field}: cluster "${name}" is retired`, { field });
          }
        }
        await db.delete(placements).where(and(eq(placements.topic, topic), eq(placements.side, side)));
        await db.insert(placements).values(clusterNames.map((cluster) => ({ topic, cluster, side })));
      }),

    of: (topic) =>
      guard(async () => {
        const rows = await db.select().from(placements).where(eq(placements.topic, topic)).orderBy(asc(placements.createdAt), asc(placements.cluster));
        return {
          topic,
          producers: rows.filter((row) => row.side === 'producer').map((row) => row.cluster),
          consumers: rows.filter((row) => row.side === 'consumer').map((row) => row.cluster),
        };
      }),

    list: () =>
      guard(() => db.select().from(placements).orderBy(asc(placements.topic), asc(placements.side), asc(placements.cluster))),

    topicsOn: (cluster) =>
      guard(async () => {
        const rows = await db
          .selectDistinct({ topic: placements.topic })
          .from(placements)
          .where(eq(placements.cluster, cluster))
          .orderBy(asc(placements.topic));
        return rows.map((row) => row.topic);
      }),
  };
}
