// What smart clients (and later routers and proxies) report in heartbeats: who they are, which
// mapping version they run, what they produce and consume, and per-topic counts per window. A
// topic move reads it to know every producer has switched; the auditor reads the counts.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/** Per topic: window start (ISO minute) → records. */
export type WindowCounts = Record<string, Record<string, number>>;

export const clientSessions = pgTable(
  'client_sessions',
  {
    clientId: text('client_id').primaryKey(),
    application: text('application').notNull(),
    kind: text('kind').notNull(),
    host: text('host'),
    mappingVersion: integer('mapping_version'),
    produces: text('produces').array().notNull().default(sql`'{}'::text[]`),
    consumes: text('consumes').array().notNull().default(sql`'{}'::text[]`),
    /** Consumer group, for consumers: a topic move waits for each group to drain the source. */
    groupId: text('group_id'),
    produced: jsonb('produced').$type<WindowCounts>().notNull().default({}),
    consumed: jsonb('consumed').$type<WindowCounts>().notNull().default({}),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    lastHeartbeatAt: timestamp('last_heartbeat_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('client_sessions_application_idx').on(table.application),
    index('client_sessions_heartbeat_idx').on(table.lastHeartbeatAt),
  ],
);

export type ClientSession = typeof clientSessions.$inferSelect;
