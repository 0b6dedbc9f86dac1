// Authorization policies, one row per rule: application × verb × resource pattern → allow | deny.
// The decision itself is made by the pure engine in @flotilla/auth; this is only where rules live.
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { applicationIdSchema, applications } from './applications';
import { oneOf } from './check-values';

export const policyVerbs = ['GET', 'PUT', 'POST', 'DELETE', '*'] as const;
export const policyEffects = ['allow', 'deny'] as const;

export type PolicyVerb = (typeof policyVerbs)[number];
export type PolicyEffect = (typeof policyEffects)[number];

export const policies = pgTable(
  'policies',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    application: text('application')
      .notNull()
      .references(() => applications.id, { onDelete: 'cascade' }),
    verb: text('verb', { enum: policyVerbs }).notNull(),
    resource: text('resource').notNull(),
    effect: text('effect', { enum: policyEffects }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check('policies_verb_check', sql`${table.verb} in (${oneOf(policyVerbs)})`),
    check('policies_effect_check', sql`${table.effect} in (${oneOf(policyEffects)})`),
    // One rule per (app, verb, resource): a second one with another effect would be ambiguous.
    uniqueIndex('policies_rule_idx').on(table.application, table.verb, table.resource),
  ],
);

export type Policy = typeof policies.$inferSelect;

/**
 * One rule. The resource pattern's finer grammar (`*`, `**`) belongs to the policy engine in
 * @flotilla/auth; the registry insists only on what every pattern shares.
 */
export const newPolicySchema = z.strictObject({
  application: applicationIdSchema,
  verb: z.enum(policyVerbs),
  resource: z
    .string()
    .max(1024)
    .regex(/^\/\S*$/, { error: 'expected a resource pattern starting with "/" and without spaces' }),
  effect: z.enum(policyEffects),
});

export type NewPolicy = z.input<typeof newPolicySchema>;
