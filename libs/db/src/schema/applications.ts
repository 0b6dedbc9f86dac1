// Applications: the tenants. Every smart client, proxy caller and API user acts as one; policies,
// quotas and credentials hang off it. The id is what logs, ACLs and heartbeats name.
import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { z } from 'zod';

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

/** An application id, by the same rule as the table's check constraint. */
export const applicationIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,62}$/, {
  error: 'expected 1-63 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit',
});

/** What a caller supplies to register an application; the creation time is the database's. */
export const newApplicationSchema = z.strictObject({
  id: applicationIdSchema,
  owner: z.string().trim().min(1, { error: 'expected the owning team or person' }).max(200),
  contact: z.string().trim().min(1, { error: 'expected a contact (mail address, chat channel) or nothing' }).max(200).nullish(),
});

export type NewApplication = z.input<typeof newApplicationSchema>;
