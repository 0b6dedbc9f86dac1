// Topics the platform manages. Tier decides the pool of fronting clusters a topic may live on and
// its replicas and retention; `keyed` decides whether moves and expansions need the keyed handoff.
import { sql } from 'drizzle-orm';
import { bigint, boolean, check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
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
