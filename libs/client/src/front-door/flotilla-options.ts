// The options of the front door (`new Flotilla`, `producer()`, `consumer()`), as zod schemas:
// the one place that says what an application may set, with defaults. An option that is not
// listed is refused with the list of those that are, never ignored: a KafkaJS option Flotilla
// does not implement (`createPartitioner`, `retry`) must not look as if it took effect,
// so those are refused by name with the reason (REFUSED_PRODUCER_OPTIONS).
import { z } from 'zod';
import { strictObject } from '@flotilla/errors';
import type { Registry } from '@flotilla/observability';
import type { BufferFullPolicy } from '../producer/producer-types';
import type { WarningSink } from '../mapping-source';

const positiveMs = z.int().positive();
const callback = <Fn>() => z.custom<Fn>((value) => typeof value === 'function', { message: 'expected a function' });

// prom-client's Registry, recognised by shape: the application's copy of prom-client may not be
// the one this package resolves, so `instanceof` would refuse a good registry.
const registry = z.custom<Registry>(
  (value) => typeof value === 'object' && value !== null && typeof Reflect.get(value, 'registerMetric') === 'function',
  { message: 'expected a prom-client Registry' },
);

export const TRANSPORTS = ['kafkajs', 'rdkafka'] as const;

export const flotillaOptionsSchema = strictObject({
  /** Names this application's clients to Kafka and, with `token`, to management. */
  clientId: z.string().min(1).max(150),
  /** Management's base URL; the mapping is followed from `<mappingUrl>/v1/mapping/stream`. */
  mappingUrl: z.url({ protocol: /^https?$/ }),
  /** The Kafka client library under the smart client. */
  transport: z.enum(TRANSPORTS).default('kafkajs'),
  /** The application identity the clients run as (reported in heartbeats). */
  application: z.string().min(1).optional(),
  /**
   * The application's Kafka credential (`flotilla credentials rotate <application>`): given, the
   * clients connect to each cluster's authenticated listener as the application, where the brokers
   * enforce its policies and quotas. Without it they use the platform's plaintext listener.
   */
  sasl: strictObject({
    mechanism: z.literal('scram-sha-512').default('scram-sha-512'),
    username: z.string().min(1),
    password: z.string().min(1),
  }).optional(),
  /** The application's API token: given, every producer and consumer sends heartbeats to management. */
  token: z.string().min(1).optional(),
  /** Where the last good mapping is kept, so clients start while management is down; `false`: nowhere. */
  mappingCacheFile: z.union([z.string().min(1), z.literal(false)]).optional(),
  /** How long `connect()` waits for a first mapping, from management or the cache. */
  mappingTimeoutMs: positiveMs.default(10_000),
  /** prom-client registry for the producer's metrics. */
  metrics: registry.optional(),
  /** Lost mapping connections and failed cache writes; process warnings by default. */
  onWarning: callback<WarningSink>().optional(),
});

const bufferSchema = strictObject({
  /** Bytes of keys, values and headers waiting for acknowledgement. */
  maxBytes: z.int().positive().optional(),
  maxRecords: z.int().positive().optional(),
  onFull: z.enum(['error', 'drop-oldest'] satisfies BufferFullPolicy[]).optional(),
});

/**
 * KafkaJS producer options Flotilla does not implement, and why: `producer()` refuses each by
 * name with its reason rather than as an unknown key.
 */
export const REFUSED_PRODUCER_OPTIONS: Readonly<Record<string, string>> = {
  createPartitioner:
    'Flotilla chooses partitions itself, as KafkaJS\' DefaultPartitioner does (murmur2 of the key, as the Java client), and keyless records stick to a partition per request; give messages a partition to choose one',
  retry:
    'the Flotilla producer keeps every record until a cluster acknowledges it and sends it again after an outage or timeout (also on another cluster after a mapping change), with no retry count; a send fails only for records a cluster rejects, or when the buffer is full',
  metadataMaxAge: 'each cluster\'s Kafka library keeps its own metadata; the mapping says where each topic goes',
};

export const producerOptionsSchema = strictObject({
  /** -1 (acks=all, with idempotence) or 1, the explicit latency mode. */
  acks: z.union([z.literal(-1), z.literal(1)]).default(-1),
  /**
   * KafkaJS' idempotent: the producer is idempotent exactly when acks is -1, so true with acks 1
   * and false with acks -1 are refused (producer() says which to give).
   */
  idempotent: z.boolean().optional(),
  /** KafkaJS' maxInFlightRequests: produce requests in flight per connection (at most 5 when idempotent). */
  maxInFlightRequests: z.int().positive().optional(),
  /** KafkaJS' transactionalId: enables transaction(), on the one cluster a transaction's topics are on. */
  transactionalId: z.string().min(1).optional(),
  /** KafkaJS' transactionTimeout: how long the broker lets a transaction stay open (60 s by default). */
  transactionTimeout: positiveMs.optional(),
  allowAutoTopicCreation: z
    .boolean()
    .refine((value) => !value, {
      message: 'Flotilla never creates topics on send: the registry places every topic, so create it through management and give allowAutoTopicCreation: false or leave it out',
    })
    .optional(),
  /** How long a send waits for more records before its request goes out. */
  lingerMs: z.int().min(0).max(60_000).optional(),
  /** The bounded buffer of "fail but never block". */
  buffer: bufferSchema.optional(),
  /** A mapping version the client refused (the previous one stays in force). */
  onMappingRejected: callback<(error: Error) => void>().optional(),
});

const consumerRetrySchema = strictObject({
  retries: z.int().min(0).optional(),
  initialRetryTime: positiveMs.optional(),
  maxRetryTime: positiveMs.optional(),
  restartOnFailure: callback<(error: Error) => Promise<boolean>>().optional(),
});

/** KafkaJS options that are `run()`'s, not the consumer's: refused with where they go. */
export const RUN_OPTIONS = ['partitionsConsumedConcurrently', 'eachBatchAutoResolve', 'autoCommit'] as const;

// KafkaJS' consumer options with its names and meaning, each applied on every cluster the
// consumer reads. Two are accepted only with the value Flotilla implements, with the reason.
export const consumerOptionsSchema = strictObject({
  groupId: z.string().min(1).max(255),
  /** The group's session timeout on every cluster (KafkaJS' `sessionTimeout`). */
  sessionTimeout: positiveMs.optional(),
  /** The same, under the name earlier Flotilla versions used. */
  sessionTimeoutMs: positiveMs.optional(),
  rebalanceTimeout: positiveMs.optional(),
  heartbeatInterval: positiveMs.optional(),
  maxBytesPerPartition: z.int().positive().optional(),
  minBytes: z.int().positive().optional(),
  maxBytes: z.int().positive().optional(),
  maxWaitTimeInMs: z.int().min(0).optional(),
  /** How a failing eachMessage/eachBatch is retried before `consumer.crash`. */
  retry: consumerRetrySchema.optional(),
  allowAutoTopicCreation: z
    .boolean()
    .refine((value) => !value, {
      message: 'Flotilla never creates topics on subscribe: the registry places every topic, so create it through management and give allowAutoTopicCreation: false or leave it out',
    })
    .optional(),
  readUncommitted: z
    .boolean()
    .refine((value) => !value, { message: 'Flotilla consumers read committed records only (isolation read_committed on every transport)' })
    .optional(),
});

export type ParsedFlotillaOptions = z.output<typeof flotillaOptionsSchema>;

// The same options as plain interfaces: what the published `.d.ts` shows an application, without
// zod's types. `Same` below fails to compile when a schema and its interface drift apart.

/** `new Flotilla(options)`; defaults in libs/client/README.md. */
export interface FlotillaOptions {
  clientId: string;
  mappingUrl: string;
  transport?: (typeof TRANSPORTS)[number] | undefined;
  application?: string | undefined;
  token?: string | undefined;
  /** The application's Kafka credential (SASL/SCRAM-SHA-512): connect to each cluster's authenticated listener as the application. */
  sasl?: { mechanism?: 'scram-sha-512' | undefined; username: string; password: string } | undefined;
  mappingCacheFile?: string | false | undefined;
  mappingTimeoutMs?: number | undefined;
  metrics?: Registry | undefined;
  onWarning?: WarningSink | undefined;
}

/** `flotilla.producer(options)`. */
export interface FlotillaProducerOptions {
  acks?: -1 | 1 | undefined;
  /** True only with acks -1, false only with acks 1: the producer is idempotent exactly when acks is -1. */
  idempotent?: boolean | undefined;
  maxInFlightRequests?: number | undefined;
  /** Enables transaction(); a transaction's topics must be on one cluster. */
  transactionalId?: string | undefined;
  transactionTimeout?: number | undefined;
  /** Only false: Flotilla never creates topics on send. */
  allowAutoTopicCreation?: boolean | undefined;
  lingerMs?: number | undefined;
  buffer?: { maxBytes?: number | undefined; maxRecords?: number | undefined; onFull?: BufferFullPolicy | undefined } | undefined;
  onMappingRejected?: ((error: Error) => void) | undefined;
}

/** `flotilla.consumer(options)`: KafkaJS' ConsumerConfig, less what Flotilla refuses. */
export interface FlotillaConsumerOptions {
  groupId: string;
  sessionTimeout?: number | undefined;
  sessionTimeoutMs?: number | undefined;
  rebalanceTimeout?: number | undefined;
  heartbeatInterval?: number | undefined;
  maxBytesPerPartition?: number | undefined;
  minBytes?: number | undefined;
  maxBytes?: number | undefined;
  maxWaitTimeInMs?: number | undefined;
  retry?:
    | {
        retries?: number | undefined;
        initialRetryTime?: number | undefined;
        maxRetryTime?: number | undefined;
        restartOnFailure?: ((error: Error) => Promise<boolean>) | undefined;
      }
    | undefined;
  /** Only false: Flotilla never creates topics on subscribe. */
  allowAutoTopicCreation?: boolean | undefined;
  /** Only false: Flotilla reads committed records only. */
  readUncommitted?: boolean | undefined;
}

type Mutual<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The same keys, each assignable both ways (an extra optional key would pass the second test alone). */
type Same<A, B> = Mutual<keyof A, keyof B> extends true ? Mutual<A, B> : false;
export type OptionsMatchSchemas = [
  Same<z.input<typeof flotillaOptionsSchema>, FlotillaOptions>,
  Same<z.input<typeof producerOptionsSchema>, FlotillaProducerOptions>,
  Same<z.input<typeof consumerOptionsSchema>, FlotillaConsumerOptions>,
] extends [true, true, true]
  ? true
  : never;
const optionsMatchSchemas: OptionsMatchSchemas = true;
void optionsMatchSchemas;
