// Every change to the registry, written in the same transaction as the change itself, so the log
// and the state can never disagree.
import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { z } from 'zod';

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

/** One change as the audit log records it. */
export const newAuditEntrySchema = z.strictObject({
  actor: z.string().min(1, { error: 'expected who made the change' }).max(255),
  action: z
    .string()
    .regex(/^[a-z][A-Za-z0-9-]*(\.[a-z][A-Za-z0-9-]*)+$/, { error: 'expected a dotted action such as "topics.create"' }),
  target: z.string().min(1, { error: 'expected what was changed, such as "topic/orders"' }).max(1024),
  /** Stored as JSON: a Date in it comes back as its ISO string. */
  details: z.record(z.string(), z.unknown()).default({}),
});

export type NewAuditEntry = z.input<typeof newAuditEntrySchema>;

/** Which entries to read: newest first, `limit` of them, older than entry `before` when given. */
export const auditQuerySchema = z.strictObject({
  target: z.string().min(1).optional(),
  limit: z.int().min(1, { error: 'expected a limit of 1 to 1000' }).max(1000, { error: 'expected a limit of 1 to 1000' }).default(100),
  before: z.int().min(1, { error: 'expected the id of an audit entry' }).optional(),
});

export type AuditQuery = z.input<typeof auditQuerySchema>;
