// Published mapping versions: immutable snapshots, numbered without gaps. `mapping_head` is one row
// holding the current number; publishing increments it under its row lock, which serialises
// concurrent publishers so each gets the next number and none is lost.
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const mappingVersions = pgTable(
  'mapping_versions',
  {
    version: integer('version').primaryKey(),
    document: jsonb('document').$type<Record<string, unknown>>().notNull(),
    author: text('author').notNull(),
    reason: text('reason').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('mapping_versions_positive', sql`${table.version} > 0`)],
);

export const mappingHead = pgTable(
  'mapping_head',
  {
    id: integer('id').primaryKey().default(1),
    version: integer('version').notNull(),
  },
  (table) => [check('mapping_head_single_row', sql`${table.id} = 1`)],
);

export type MappingVersionRow = typeof mappingVersions.$inferSelect;
