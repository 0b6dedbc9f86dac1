import { z } from 'zod';
import { logFormatVar, logLevelVar } from '@flotilla/config';

export const proxyConfigSchema = z.object({
  /** Management: the mapping and the access set (tokens, policies, quotas) are followed from it. */
  FLOTILLA_MANAGEMENT_URL: z.string().url().default('http://127.0.0.1:7480'),
  /** An operator (or admin) API token for the access set stream, or a file holding one. */
  FLOTILLA_PROXY_TOKEN: z.string().min(1).optional(),
  FLOTILLA_PROXY_TOKEN_FILE: z.string().min(1).default('.flotilla/admin-token'),
  PROXY_HOST: z.string().default('127.0.0.1'),
  PROXY_PORT: z.coerce.number().int().min(0).max(65_535).default(7500),
  /**
   * TLS (PEM files): given a certificate and key the proxy serves HTTPS, with HTTP/2 and HTTP/1.1
   * on one port (ALPN). Clients may identify by a certificate the CA signed (mTLS): the
   * certificate's subject CN is looked up among the applications' registered certificates. The CA
   * is management's own (`flotilla certs`), fetched at start, unless PROXY_TLS_CA names another.
   */
  PROXY_TLS_CERT: z.string().optional(),
  PROXY_TLS_KEY: z.string().optional(),
  PROXY_TLS_CA: z.string().optional(),
  /** Largest request body, in bytes; larger ones get 413. */
  PROXY_BODY_LIMIT: z.coerce.number().int().positive().default(1024 * 1024),
  /** The library under the proxy's producer. */
  PROXY_TRANSPORT: z.enum(['kafkajs', 'rdkafka']).default('rdkafka'),
  /**
   * How long the producer holds a request that fills no batch, for later records to join it. 1 ms,
   * not the smart producer's 5: every ack=sync caller waits out the linger in its answer, and under
   * load records batch anyway while earlier requests are in flight (the proxy bench, 32 connections
   * of 1-record requests: 5 ms gave p50 10 ms and about half the records/s of 1 ms).
   */
  PROXY_LINGER_MS: z.coerce.number().int().min(0).max(1_000).default(1),
  /** Where the last mapping is kept, so the proxy starts while management is down. */
  PROXY_MAPPING_CACHE: z.string().default('.flotilla/proxy-mapping.json'),
  /** An HTTP consumer instance neither fetched nor streamed from for this long ends, leaving its group. */
  PROXY_CONSUMER_IDLE_MS: z.coerce.number().int().min(100).default(30_000),
  /** HTTP consumer instances at once; a new one past this is a 503. */
  PROXY_CONSUMERS_MAX: z.coerce.number().int().positive().default(1_000),
  /** The Kafka group session timeout of HTTP consumer instances: how soon a killed proxy's members are replaced. */
  PROXY_CONSUMER_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(30_000),
  LOG_LEVEL: logLevelVar,
  LOG_FORMAT: logFormatVar,
});

export type ProxyConfig = z.infer<typeof proxyConfigSchema>;
