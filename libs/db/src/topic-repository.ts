// The registry's topics. Which cluster a topic lives on is not here but in placements; this is
// what the topic is: tier, partitions, replicas, retention, keyed, owner.
import { ConflictError, NotFoundError, ValidationError } from '@flotilla/errors';
import { asc, eq, sql } from 'drizzle-orm';
import type { Database } from './create-db';
import { guard } from './database-error';
import { parseInput } from './parse-input';
import { applications } from './schema/applications';
import { newTopicSchema, topics } from './schema/topics';
import type { NewTopic, Topic } from './schema/topics';

export interface TopicRepository {
  /** Registers a topic; a taken name is a ConflictError, an unknown owner a NotFoundError. */
  add(topic: NewTopic): Promise<Topic>;
  /** The named topic, or a NotFoundError. */
  get(name: string): Promise<Topic>;
  /** The named topic, or undefined. */
  find(name: string): Promise<Topic | undefined>;
  /** All topics, by name. */
  list(): Promise<Topic[]>;
  /** Raises the partition count; fewer than today is a ValidationError (Kafka cannot shrink a topic). */
  setPartitions(name: string, partitions: number): Promise<Topic>;
  /** Removes the topic and, by cascade, its placements and handoff. */
  remove(name: string): Promise<Topic>;
}

export function createTopicRepository(db: Database): TopicRepository {
  const find = async (name: string): Promise<Topic | undefined> => {
    const [topic] = await db.select().from(topics).where(eq(topics.name, name));
    return topic;
  };
  const get = async (name: string): Promise<Topic> => {
    const topic = await find(name);
    if (!topic) throw new NotFoundError('topic', name);
    return topic;
  };

  return {
    add: (input) =>
      guard(async () => {
        const topic = parseInput(newTopicSchema, input, describeTopic(input));
        if (topic.owner != null) {
          const [owner] = await db.select({ id: applications.id }).from(applications).where(eq(applications.id, topic.owner));
          if (!owner) throw new NotFoundError('application', topic.owner);
        }
        const [added] = await db
          .insert(topics)
          .values({ ...topic, owner: topic.owner ?? null })
          .onConflictDoNothing({ target: topics.name })
          .returning();
        if (!added) throw new ConflictError('topic', topic.name);
        return added;
      }),

    get: (name) => guard(() => get(name)),
    find: (name) => guard(() => find(name)),
    list: () => guard(() => db.select().from(topics).orderBy(asc(topics.name))),

    setPartitions: (name, partitions) =>
      guard(async () => {
        const current = await get(name);
        if (!Number.isInteger(partitions) || partitions < current.partitions) {
          throw new ValidationError(
            `invalid partitions for topic "${name}": expected a whole number of at least ${current.partitions} (its current count; Kafka cannot remove partitions), got ${partitions}`,
            { field: 'partitions' },
          );
        }
        const [updated] = await db
          .update(topics)
          .set({ partitions, updatedAt: sql`now()` })
          .where(eq(topics.name, name))
          .returning();
        if (!updated) throw new NotFoundError('topic', name);
        return updated;
      }),

    remove: (name) =>
      guard(async () => {
        const [removed] = await db.delete(topics).where(eq(topics.name, name)).returning();
        if (!removed) throw new NotFoundError('topic', name);
        return removed;
      }),
  };
}

function describeTopic(input: unknown): string {
  const name: unknown = typeof input === 'object' && input !== null ? Reflect.get(input, 'name') : undefined;
  return typeof name === 'string' && name !== '' ? `topic "${name}"` : 'topic';
}
