// Every change to the registry, written in the same transaction as the change itself, so the log
// and the state can never disagree.
import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    /** The application (and credential) that made the change, or `system`. */
    actor: text('actor').notNull(),
    /** `topics.create`, `mapping.publish`, `tokens.revoke`, ... */
    action: text('action').notNull(),
    target: text('target').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>().notNull().default({}),
  },
  (table) => [index('audit_log_at_idx').on(table.at), index('audit_log_target_idx').on(table.target)],
);

export type AuditEntry = typeof auditLog.$inferSelect;
