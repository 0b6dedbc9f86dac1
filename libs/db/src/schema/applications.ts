// Applications: the tenants. Every smart client, proxy caller and API user acts as one; policies,
// quotas and credentials hang off it. The id is what logs, ACLs and heartbeats name.
import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const applications = pgTable(
  'applications',
  {
    id: text('id').primaryKey(),
    owner: text('owner').notNull(),
    contact: text('contact'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('applications_id_format', sql`${table.id} ~ '^[a-z0-9][a-z0-9._-]{0,62}$'`)],
);

export type Application = typeof applications.$inferSelect;
