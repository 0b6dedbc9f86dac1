// Per-application rate limits, enforced by the proxy (429 + Retry-After) and pushed to brokers
// where they can enforce them. No row means no limit.
import { sql } from 'drizzle-orm';
import { bigint, check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { applicationIdSchema, applications } from './applications';

export const quotas = pgTable(
  'quotas',
  {
    application: text('application')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    bytesPerSecond: bigint('bytes_per_second', { mode: 'number' }),
    requestsPerSecond: bigint('requests_per_second', { mode: 'number' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('quotas_bytes_positive', sql`${table.bytesPerSecond} is null or ${table.bytesPerSecond} > 0`),
    check('quotas_requests_positive', sql`${table.requestsPerSecond} is null or ${table.requestsPerSecond} > 0`),
  ],
);

export type Quota = typeof quotas.$inferSelect;

const limit = (unit: string) =>
  z
    .int({ error: `expected a whole number of ${unit} per second` })
    .min(1, { error: `expected at least 1 ${unit.replace(/s$/, '')} per second, or null for no limit` })
    .nullish();

/** An application's whole quota: a limit left out or null is no limit on that axis. */
export const quotaSchema = z.strictObject({
  application: applicationIdSchema,
  bytesPerSecond: limit('bytes'),
  requestsPerSecond: limit('requests'),
});

export type QuotaInput = z.input<typeof quotaSchema>;
