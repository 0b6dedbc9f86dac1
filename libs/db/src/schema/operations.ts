// Multi-step operations (topic move, failover, expand, drain) started through management and run
// by Temporal. The workflow is the truth about progress; this row lets the API list operations
// and find the workflow without asking Temporal for everything.
import { sql } from 'drizzle-orm';
import { check, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { z } from 'zod';
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

export const operationStateSchema = z.enum(operationStates);

/** An operation as its starter records it, right after starting the workflow. */
export const newOperationSchema = z.strictObject({
  workflowId: z.string().min(1, { error: 'expected a workflow id' }).max(255),
  kind: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'expected a kind such as "topic-move": lower-case letters, digits and "-"' }),
  subject: z.string().min(1, { error: 'expected the topic or cluster operated on' }).max(255),
  /** Stored as JSON: what JSON cannot hold (a Date) comes back as JSON would give it. */
  input: z.record(z.string(), z.unknown()).default({}),
  startedBy: z.string().min(1, { error: 'expected who started it' }).max(255),
});

export type NewOperation = z.input<typeof newOperationSchema>;

/** Which operations to list. */
export const operationFilterSchema = z.strictObject({
  state: operationStateSchema.optional(),
  subject: z.string().min(1, { error: 'expected a topic or cluster name' }).optional(),
});

export type OperationFilter = z.input<typeof operationFilterSchema>;

/** A state change, with the error that ended it for a failed or aborted operation. */
export const operationStateChangeSchema = z
  .strictObject({
    state: operationStateSchema,
    error: z.string().min(1, { error: 'expected what went wrong, or nothing' }).max(10_000).nullish(),
  })
  .superRefine((change, ctx) => {
    if (change.error != null && (change.state === 'running' || change.state === 'completed')) {
      ctx.addIssue({
        code: 'custom',
        path: ['error'],
        input: change.error,
        message: `a ${change.state} operation has no error (only failed or aborted ones do)`,
      });
    }
  });
