// Where a topic lives: which clusters producers write to and which clusters consumers read from.
// The mapping document is built from these rows; a topic move is a sequence of changes to them.
import { sql } from 'drizzle-orm';
import { check, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { oneOf } from './check-values';
import { clusters } from './clusters';
import { topics } from './topics';

export const placementSides = ['producer', 'consumer'] as const;
export type PlacementSide = (typeof placementSides)[number];

export const placements = pgTable(
  'placements',
  {
    topic: text('topic')
      .notNull()
      .references(() => topics.name, { onDelete: 'cascade' }),
    // A cluster holding placements cannot be deleted; it is retired after a drain instead.
    cluster: text('cluster')
      .notNull()
      .references(() => clusters.name, { onDelete: 'restrict' }),
    side: text('side', { enum: placementSides }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.topic, table.cluster, table.side] }),
    check('placements_side_check', sql`${table.side} in (${oneOf(placementSides)})`),
    index('placements_cluster_idx').on(table.cluster),
  ],
);

export type Placement = typeof placements.$inferSelect;
