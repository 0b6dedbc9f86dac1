// The registry's Kafka clusters: where they are, what they are for, and whether traffic may use
// them. Names are the identity clients see in the mapping, so the name is the primary key.
import { sql } from 'drizzle-orm';
import { bigint, check, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { z } from 'zod';
import { oneOf } from './check-values';

export const clusterRoles = ['fronting', 'consumer'] as const;
export const clusterTiers = ['low', 'medium', 'high'] as const;
export const clusterStates = ['active', 'draining', 'failed', 'retired'] as const;

export type ClusterRole = (typeof clusterRoles)[number];
export type ClusterTier = (typeof clusterTiers)[number];
export type ClusterState = (typeof clusterStates)[number];


export const clusters = pgTable(
  'clusters',
  {
    name: text('name').primaryKey(),
    role: text('role', { enum: clusterRoles }).notNull(),
    // Priority tiers apply to fronting clusters only; consumer clusters serve whatever is routed.
    tier: text('tier', { enum: clusterTiers }),
    bootstrap: text('bootstrap').array().notNull(),
    /** The authenticated listener (SASL/SCRAM-SHA-512) applications with a Kafka credential use; null when it has none. */
    saslBootstrap: text('sasl_bootstrap').array(),
    brokerCount: integer('broker_count').notNull(),
    zone: text('zone'),
    state: text('state', { enum: clusterStates }).notNull().default('active'),
    /**
     * Bytes out per second the cluster is planned to serve (its NICs and disks, minus headroom);
     * topic placement chooses by what is left of it. Null means the platform default per broker.
     */
    capacityBytesPerSec: bigint('capacity_bytes_per_sec', { mode: 'number' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // The same rules as the zod schema, so a row written without the repository cannot break them.
  (table) => [
    check('clusters_role_check', sql`${table.role} in (${oneOf(clusterRoles)})`),
    check('clusters_tier_check', sql`${table.tier} in (${oneOf(clusterTiers)})`),
    check('clusters_state_check', sql`${table.state} in (${oneOf(clusterStates)})`),
    check('clusters_tier_matches_role', sql`(${table.role} = 'fronting') = (${table.tier} is not null)`),
    check('clusters_bootstrap_not_empty', sql`cardinality(${table.bootstrap}) > 0`),
    check('clusters_broker_count_positive', sql`${table.brokerCount} > 0`),
  ],
);

export type Cluster = typeof clusters.$inferSelect;

const clusterName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
    error: 'expected 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
  });

// host:port, where host may be a bracketed IPv6 address.
const bootstrapAddress = z
  .string()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):([1-9][0-9]{0,4})$/, { error: 'expected host:port' })
  .refine((address) => Number(address.slice(address.lastIndexOf(':') + 1)) <= 65_535, {
    error: 'expected a port from 1 to 65535',
  });

/**
 * What a caller supplies to register a cluster. State and timestamps are not accepted: a new
 * cluster is always `active`, and later states are reached through `setState`.
 */
export const newClusterSchema = z
  .strictObject({
    name: clusterName,
    role: z.enum(clusterRoles),
    tier: z.enum(clusterTiers).nullish(),
    bootstrap: z.array(bootstrapAddress).min(1, { error: 'expected at least one host:port' }),
    saslBootstrap: z.array(bootstrapAddress).min(1, { error: 'expected at least one host:port' }).nullish(),
    brokerCount: z.int().min(1, { error: 'expected at least 1 broker' }),
    zone: z.string().min(1).nullish(),
    capacityBytesPerSec: z.int().min(1, { error: 'expected at least 1 byte per second' }).nullish(),
  })
  .superRefine((cluster, ctx) => {
    if (cluster.role === 'fronting' && cluster.tier == null) {
      ctx.addIssue({
        code: 'custom',
        path: ['tier'],
        input: cluster.tier,
        message: `a fronting cluster needs a tier: one of ${clusterTiers.join(', ')}`,
      });
    }
    if (cluster.role === 'consumer' && cluster.tier != null) {
      ctx.addIssue({
        code: 'custom',
        path: ['tier'],
        input: cluster.tier,
        message: 'a consumer cluster has no tier (tiers are for fronting clusters)',
      });
    }
  });

export type NewCluster = z.input<typeof newClusterSchema>;

export const clusterStateSchema = z.enum(clusterStates);
