// Multi-step operations (topic move, failover, expand, drain) started through management and run
// by Temporal. The workflow is the truth about progress; this row lets the API list operations
// and find the workflow without asking Temporal for everything.
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { oneOf } from './check-values';

export const operationStates = ['running', 'completed', 'failed', 'aborted'] as const;
export type OperationState = (typeof operationStates)[number];

export const operations = pgTable(
  'operations',
  {
    workflowId: text('workflow_id').primaryKey(),
    kind: text('kind').notNull(),
    /** The topic or cluster operated on, for "is something already running on X?". */
    subject: text('subject').notNull(),
    input: jsonb('input').$type<Record<string, unknown>>().notNull().default({}),
    state: text('state', { enum: operationStates }).notNull().default('running'),
    startedBy: text('started_by').notNull(),
    error: text('error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('operations_state_check', sql`${table.state} in (${oneOf(operationStates)})`),
    index('operations_subject_idx').on(table.subject),
  ],
);

export type Operation = typeof operations.$inferSelect;
