import { z } from 'zod';
import { logFormatVar, logLevelVar } from '@flotilla/config';

const transport = z.enum(['kafkajs', 'rdkafka']);

export const routerConfigSchema = z.object({
  /** Management: the mapping and the route set are followed from it. */
  FLOTILLA_MANAGEMENT_URL: z.string().url().default('http://127.0.0.1:7480'),
  /** Names this router's Kafka clients; routers sharing routes may share it. */
  ROUTER_CLIENT_ID: z.string().min(1).default('flotilla-router'),
  /** /metrics, /healthz and /readyz. */
  ROUTER_HOST: z.string().default('127.0.0.1'),
  ROUTER_PORT: z.coerce.number().int().min(0).max(65_535).default(7490),
  /**
   * The library under the router's consumers and under its producer. kafkajs consumes fastest in
   * Node; node-rdkafka produces fastest (see bench/RESULTS.md).
   */
  ROUTER_CONSUMER_TRANSPORT: transport.default('kafkajs'),
  ROUTER_PRODUCER_TRANSPORT: transport.default('rdkafka'),
  /** Source partitions each route handles at once. */
  ROUTER_CONCURRENCY: z.coerce.number().int().positive().default(8),
  /** Where the last mapping is kept, so the router starts while management is down. */
  ROUTER_MAPPING_CACHE: z.string().default('.flotilla/router-mapping.json'),
  /**
   * The API token the router heartbeats with (any application's; no management role needed), or a
   * file holding one. Without either the router routes but does not heartbeat, so
   * `flotilla routes describe` cannot list it and topic moves do not see it.
   */
  FLOTILLA_ROUTER_TOKEN: z.string().min(1).optional(),
  FLOTILLA_ROUTER_TOKEN_FILE: z.string().min(1).optional(),
  /** How often the router heartbeats; management drops an instance after three missed beats (15 s). */
  ROUTER_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(100).max(5_000).default(5_000),
  LOG_LEVEL: logLevelVar,
  LOG_FORMAT: logFormatVar,
});

export type RouterConfig = z.infer<typeof routerConfigSchema>;
