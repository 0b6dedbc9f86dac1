// Topics the platform manages. Tier decides the pool of fronting clusters a topic may live on and
// its replicas and retention; `keyed` decides whether moves and expansions need the keyed handoff.
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { topicNameProblem } from '@flotilla/mapping';
import { z } from 'zod';
import { applications } from './applications';
import { oneOf } from './check-values';
import { clusterTiers } from './clusters';

export const topics = pgTable(
  'topics',
  {
    name: text('name').primaryKey(),
    tier: text('tier', { enum: clusterTiers }).notNull(),
    partitions: integer('partitions').notNull(),
    replicas: integer('replicas').notNull(),
    retentionMs: bigint('retention_ms', { mode: 'number' }).notNull(),
    keyed: boolean('keyed').notNull().default(false),
    /** Planned bytes in per second and consumer groups: what the topic costs its cluster in bytes out. */
    bytesInPerSec: bigint('bytes_in_per_sec', { mode: 'number' }).notNull().default(0),
    consumers: integer('consumers').notNull().default(1),
    owner: text('owner').references(() => applications.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('topics_tier_check', sql`${table.tier} in (${oneOf(clusterTiers)})`),
    check('topics_partitions_positive', sql`${table.partitions} > 0`),
    check('topics_replicas_positive', sql`${table.replicas} > 0`),
    check('topics_retention_positive', sql`${table.retentionMs} > 0`),
  ],
);

export type Topic = typeof topics.$inferSelect;

/** A Kafka topic name by Kafka's own rules, with the reason when it is not one. */
export const topicNameSchema = z.string().superRefine((name, ctx) => {
  const problem = topicNameProblem(name);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

const positiveInt = (what: string) => z.int({ error: `expected a whole number of ${what}` }).min(1, { error: `expected at least 1 ${what.replace(/s$/, '')}` });

/** What the registry stores for a new topic; the API layer decides partitions, replicas and retention. */
export const newTopicSchema = z.strictObject({
  name: topicNameSchema,
  tier: z.enum(clusterTiers),
  partitions: positiveInt('partitions'),
  replicas: positiveInt('replicas'),
  retentionMs: positiveInt('milliseconds'),
  keyed: z.boolean().default(false),
  bytesInPerSec: z.int().min(0, { error: 'expected 0 or more bytes per second' }).default(0),
  consumers: z.int().min(0, { error: 'expected 0 or more consumer groups' }).default(1),
  owner: z.string().min(1).nullish(),
});

export type NewTopic = z.input<typeof newTopicSchema>;
