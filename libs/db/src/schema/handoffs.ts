// Keyed handoffs in progress (ARCHITECTURE.md §4): while a keyed topic moves, consumers start a
// target partition only once the group has read the source partition up to its sealed offset.
import { boolean, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { clusters } from './clusters';
import { topics } from './topics';

export const handoffs = pgTable('handoffs', {
  topic: text('topic')
    .primaryKey()
    .references(() => topics.name, { onDelete: 'cascade' }),
  fromCluster: text('from_cluster')
    .notNull()
    .references(() => clusters.name, { onDelete: 'restrict' }),
  toCluster: text('to_cluster')
    .notNull()
    .references(() => clusters.name, { onDelete: 'restrict' }),
  keyed: boolean('keyed').notNull(),
  /** Partition → source end offset; empty until producers have switched (then consumers hold the target). */
  sealed: jsonb('sealed').$type<Record<string, number>>().notNull().default({}),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type Handoff = typeof handoffs.$inferSelect;
