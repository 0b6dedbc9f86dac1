import { logFormatVar, logLevelVar, portVar } from '@flotilla/config';
import { z } from 'zod';

export const managementConfigSchema = z.object({
  MANAGEMENT_HOST: z.string().default('127.0.0.1'),
  MANAGEMENT_PORT: portVar(7480),
  /** PostgreSQL; when unset the embedded PGlite database in FLOTILLA_DB_DIR is used. */
  DATABASE_URL: z.string().url().optional(),
  FLOTILLA_DB_DIR: z.string().default('.flotilla/db'),
  /** Where the first start writes the admin API token (mode 0600). */
  FLOTILLA_ADMIN_TOKEN_FILE: z.string().default('.flotilla/admin-token'),
  /**
   * When set, where each start makes sure a data-plane token for routers (application
   * `flotilla-router`, no management role) is kept (mode 0600); routers heartbeat with it.
   */
  FLOTILLA_ROUTER_TOKEN_FILE: z.string().optional(),
  /**
   * Clusters to register on start when missing, as JSON: `[{"name","role","tier","bootstrap":[...]}]`.
   * `npm start` passes the local fleet here.
   */
  FLOTILLA_SEED_CLUSTERS: z.string().optional(),
  /** Bytes out per second per broker assumed for clusters registered without a capacity (50 MiB/s). */
  FLOTILLA_CAPACITY_PER_BROKER: z.coerce.number().int().min(1).default(50 * 1024 * 1024),
  /**
   * TLS for the API (PEM files). With a CA, clients may authenticate by certificate (mTLS): a
   * verified certificate's subject CN is looked up among the registered mTLS credentials.
   */
  MANAGEMENT_TLS_CERT: z.string().optional(),
  MANAGEMENT_TLS_KEY: z.string().optional(),
  MANAGEMENT_TLS_CA: z.string().optional(),
  /**
   * `on`: management keeps every active cluster's SCRAM users, ACLs and client quotas equal to the
   * registry (applications' Kafka credentials, policies, quotas): after each tenancy change and every
   * FLOTILLA_BROKER_SYNC_INTERVAL_MS. One management owns a cluster's application ACLs: it deletes
   * those of principals it does not know. `npm start` turns it on.
   */
  FLOTILLA_BROKER_SYNC: z.enum(['on', 'off']).default('off'),
  FLOTILLA_BROKER_SYNC_INTERVAL_MS: z.coerce.number().int().min(0).default(30_000),
  /** Where management keeps its secret key (made on first start, mode 0600): applications' Kafka passwords derive from it. */
  FLOTILLA_SECRET_KEY_FILE: z.string().default('.flotilla/secret-key'),
  /** Temporal frontend; without it management serves everything but multi-step operations. */
  TEMPORAL_ADDRESS: z.string().optional(),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  TEMPORAL_TASK_QUEUE: z.string().default('flotilla-operations'),
  LOG_LEVEL: logLevelVar,
  LOG_FORMAT: logFormatVar,
});

export type ManagementConfig = z.infer<typeof managementConfigSchema>;
