// Immutable, numbered documents (mapping versions, route sets): snapshots numbered without gaps,
// and a `<name>_head` row holding the current number. Publishing increments the head under its
// row lock, which serialises concurrent publishers so each gets the next number and none is lost.
// One factory, so every kind of versioned document has the same columns and the same repository
// (versioned-document-repository.ts).
import { sql } from 'drizzle-orm';
import { check, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export function versionedDocumentTables<Name extends string>(name: Name) {
  const versions = pgTable(
    `${name}_versions`,
    {
      version: integer('version').primaryKey(),
      document: jsonb('document').$type<Record<string, unknown>>().notNull(),
      author: text('author').notNull(),
      reason: text('reason').notNull(),
      createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    },
    (table) => [check(`${name}_versions_positive`, sql`${table.version} > 0`)],
  );
  const head = pgTable(
    `${name}_head`,
    {
      id: integer('id').primaryKey().default(1),
      version: integer('version').notNull(),
    },
    (table) => [check(`${name}_head_single_row`, sql`${table.id} = 1`)],
  );
  return { versions, head };
}

export type VersionedDocumentTables = ReturnType<typeof versionedDocumentTables<string>>;
