// Keyed handoffs in progress (ARCHITECTURE.md §4). A handoff starts unsealed (consumers hold the
// target), is sealed with the source's end offsets once producers switched, and is removed when
// consumers have drained the source.
import { NotFoundError, ValidationError } from '@flotilla/errors';
import { asc, eq } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { handoffs } from './schema/handoffs';
import { topics } from './schema/topics';
import type { Handoff } from './schema/handoffs';

export interface NewHandoff {
  readonly topic: string;
  readonly fromCluster: string;
  readonly toCluster: string;
  readonly keyed: boolean;
}

export interface HandoffRepository {
  /** Starts (or restarts, unsealed) the handoff of a topic. */
  start(handoff: NewHandoff): Promise<Handoff>;
  /** Records the source's end offsets; partitions are decimal strings, offsets whole numbers. */
  seal(topic: string, sealed: Readonly<Record<string, number>>): Promise<Handoff>;
  /** Ends the handoff; ending one that does not exist is harmless (activities retry). */
  end(topic: string): Promise<void>;
  find(topic: string): Promise<Handoff | undefined>;
  list(): Promise<Handoff[]>;
}

export function createHandoffRepository(db: Database): HandoffRepository {
  return {
    start: (handoff) =>
      guard(async () => {
        if (handoff.fromCluster === handoff.toCluster) {
          throw new ValidationError(
            `invalid handoff of topic "${handoff.topic}": toCluster: expected a cluster other than the source "${handoff.fromCluster}"`,
            { field: 'toCluster' },
          );
        }
        const [topic] = await db.select({ name: topics.name }).from(topics).where(eq(topics.name, handoff.topic));
        if (!topic) throw new NotFoundError('topic', handoff.topic);
        const values = { ...handoff, sealed: {} };
        const [row] = await db
          .insert(handoffs)
          .values(values)
          .onConflictDoUpdate({ target: handoffs.topic, set: { fromCluster: handoff.fromCluster, toCluster: handoff.toCluster, keyed: handoff.keyed, sealed: {} } })
          .returning();
        if (!row) throw new NotFoundError('topic', handoff.topic);
        return row;
      }),

    seal: (topic, sealed) =>
      guard(async () => {
        for (const [partition, offset] of Object.entries(sealed)) {
          if (!/^(0|[1-9][0-9]*)$/.test(partition) || !Number.isSafeInteger(offset) || offset < 0) {
            throw new ValidationError(
              `invalid seal of topic "${topic}": sealed.${partition}: expected a partition number mapped to an offset ≥ 0, got ${JSON.stringify(offset)}`,
              { field: `sealed.${partition}` },
            );
          }
        }
        const [row] = await db.update(handoffs).set({ sealed: { ...sealed } }).where(eq(handoffs.topic, topic)).returning();
        if (!row) throw new NotFoundError('handoff', topic);
        return row;
      }),

    end: (topic) =>
      guard(async () => {
        await db.delete(handoffs).where(eq(handoffs.topic, topic));
      }),

    find: (topic) =>
      guard(async () => {
        const [row] = await db.select().from(handoffs).where(eq(handoffs.topic, topic));
        return row;
      }),

    list: () => guard(() => db.select().from(handoffs).orderBy(asc(handoffs.topic))),
  };
}
