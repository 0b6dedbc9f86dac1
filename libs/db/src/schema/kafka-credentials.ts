// An application's Kafka identity (SASL/SCRAM-SHA-512, user = the application id). Nothing secret
// is stored: the password is derived from management's secret key and the generation, so the same
// credential can be installed on clusters registered later; rotating bumps the generation.
import { sql } from 'drizzle-orm';
import { check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { applications } from './applications';

export const kafkaCredentials = pgTable(
  'kafka_credentials',
  {
    application: text('application')
      .primaryKey()
      .references(() => applications.id, { onDelete: 'cascade' }),
    generation: integer('generation').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    rotatedAt: timestamp('rotated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [check('kafka_credentials_generation_positive', sql`${table.generation} > 0`)],
);

export type KafkaCredential = typeof kafkaCredentials.$inferSelect;
