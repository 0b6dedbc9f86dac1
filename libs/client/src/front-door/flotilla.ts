// The front door: `new Flotilla({ clientId, mappingUrl })` then `producer()`, `consumer()` and
// `admin()`, as `new Kafka({ ... })` gives them in KafkaJS. It is the one place that turns an
// application's options into the parts the smart client is made of: the transport picked by
// name, a live mapping source per client (a source is started once) with its disk cache, and,
// given a token, heartbeats to management that start on connect and stop on disconnect.
import { createHash } from 'node:crypto';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ValidationError, parseInput } from '@flotilla/errors';
import { transportFor } from '@flotilla/kafka';
import { liveMappingSource, type MappingSource } from '../mapping-source';
import type { MultiClusterConsumer } from '../consumer/multi-cluster-consumer';
import type { MultiClusterProducer } from '../producer/multi-cluster-producer';
import { FlotillaAdmin } from './flotilla-admin';
import { HeartbeatingConsumer, HeartbeatingProducer, type HeartbeatSettings } from './heartbeating-clients';
import {
  REFUSED_PRODUCER_OPTIONS,
  RUN_OPTIONS,
  consumerOptionsSchema,
  flotillaOptionsSchema,
  producerOptionsSchema,
  type FlotillaConsumerOptions,
  type FlotillaOptions,
  type FlotillaProducerOptions,
  type ParsedFlotillaOptions,
} from './flotilla-options';

export class Flotilla {
  readonly #options: ParsedFlotillaOptions;
  /** Numbers this instance's clients, so each heartbeats under an id of its own. */
  #clients = 0;

  constructor(options: FlotillaOptions) {
    // The option a KafkaJS application brings first: say what takes its place.
    if (typeof options === 'object' && options !== null && 'brokers' in options) {
      throw new ValidationError('invalid Flotilla options: "brokers" is not an option: give mappingUrl, management\'s URL; the mapping says which clusters each topic uses', { field: 'brokers' });
    }
    this.#options = parseInput(flotillaOptionsSchema, options, 'Flotilla options');
  }

  producer(options: FlotillaProducerOptions = {}): MultiClusterProducer {
    for (const [name, why] of Object.entries(REFUSED_PRODUCER_OPTIONS)) {
      if (typeof options === 'object' && options !== null && name in options) {
        throw new ValidationError(`invalid producer options: "${name}" is not supported: ${why}`, { field: name });
      }
    }
    const parsed = parseInput(producerOptionsSchema, options, 'producer options');
    if (parsed.idempotent !== undefined && parsed.idempotent !== (parsed.acks === -1)) {
      throw new ValidationError(
        `invalid producer options: idempotent ${String(parsed.idempotent)} with acks ${parsed.acks}: the Flotilla producer is idempotent exactly when acks is -1 (the default), so give ${parsed.idempotent ? 'acks: -1' : 'acks: 1'} or leave idempotent out`,
        { field: 'idempotent' },
      );
    }
    if (parsed.acks === -1 && parsed.maxInFlightRequests !== undefined && parsed.maxInFlightRequests > 5) {
      throw new ValidationError(
        `invalid producer options: maxInFlightRequests ${parsed.maxInFlightRequests} with acks -1: an idempotent producer keeps at most 5 requests in flight per connection (the broker tracks five batches per producer and partition); give 1 to 5, or acks: 1`,
        { field: 'maxInFlightRequests' },
      );
    }
    const { clientId, application, metrics } = this.#options;
    const buffer = parsed.buffer && withoutUndefined(parsed.buffer);
    return new HeartbeatingProducer(this.#heartbeats('producer'), {
      clientId,
      mapping: this.#mappingSource(),
      transport: transportFor(this.#options.transport),
      sasl: this.#options.sasl,
      acks: parsed.acks,
      ...(parsed.maxInFlightRequests === undefined ? {} : { maxInFlightRequests: parsed.maxInFlightRequests }),
      ...(parsed.transactionalId === undefined ? {} : { transactionalId: parsed.transactionalId }),
      ...(parsed.transactionTimeout === undefined ? {} : { transactionTimeoutMs: parsed.transactionTimeout }),
      ...(application === undefined ? {} : { application }),
      ...(parsed.lingerMs === undefined ? {} : { lingerMs: parsed.lingerMs }),
      ...(buffer === undefined ? {} : { buffer }),
      ...(metrics === undefined ? {} : { metrics }),
      ...(parsed.onMappingRejected === undefined ? {} : { onMappingRejected: parsed.onMappingRejected }),
    });
  }

  consumer(options: FlotillaConsumerOptions): MultiClusterConsumer {
    // run()'s options given to the consumer: say where they go rather than "unknown key".
    for (const name of RUN_OPTIONS) {
      if (typeof options === 'object' && options !== null && name in options) {
        throw new ValidationError(`invalid consumer options: "${name}" is an option of consumer.run(), as in KafkaJS`, { field: name });
      }
    }
    const parsed = parseInput(consumerOptionsSchema, options, 'consumer options');
    const sessionTimeoutMs = parsed.sessionTimeout ?? parsed.sessionTimeoutMs;
    const retry = parsed.retry && withoutUndefined(parsed.retry);
    return new HeartbeatingConsumer(this.#heartbeats('consumer'), {
      groupId: parsed.groupId,
      clientId: this.#options.clientId,
      mapping: this.#mappingSource(),
      transport: transportFor(this.#options.transport),
      sasl: this.#options.sasl,
      tuning: withoutUndefined({
        sessionTimeoutMs,
        heartbeatIntervalMs: parsed.heartbeatInterval,
        rebalanceTimeoutMs: parsed.rebalanceTimeout,
        maxBytesPerPartition: parsed.maxBytesPerPartition,
        minBytes: parsed.minBytes,
        maxBytes: parsed.maxBytes,
        maxWaitTimeMs: parsed.maxWaitTimeInMs,
      }),
      ...(retry === undefined ? {} : { retry }),
    });
  }

  /** KafkaJS' admin where the registry or the mapping owns the answer; see FlotillaAdmin for what it refuses. */
  admin(): FlotillaAdmin {
    const { clientId, mappingUrl, token, sasl } = this.#options;
    return new FlotillaAdmin(this.#mappingSource(), { clientId, managementUrl: mappingUrl, token, sasl });
  }

  #mappingSource(): MappingSource {
    const { mappingUrl, mappingCacheFile, mappingTimeoutMs, onWarning } = this.#options;
    const cacheFile = mappingCacheFile ?? defaultCacheFile(mappingUrl);
    return liveMappingSource({
      url: mappingUrl,
      startTimeoutMs: mappingTimeoutMs,
      ...(cacheFile === false ? {} : { cacheFile }),
      ...(onWarning === undefined ? {} : { onWarning }),
    });
  }

  /** Heartbeat settings for one client, or undefined without a token (nothing is sent then). */
  #heartbeats(kind: 'producer' | 'consumer'): HeartbeatSettings | undefined {
    const { token, mappingUrl, clientId, onWarning } = this.#options;
    if (token === undefined) return undefined;
    this.#clients += 1;
    // Management keeps one session per heartbeat clientId: two producers of one application
    // reporting under the same id would overwrite each other's topics and version.
    return {
      url: mappingUrl,
      token,
      clientId: `${clientId}/${kind}-${this.#clients}@${hostname()}:${process.pid}`,
      kind,
      host: hostname(),
      ...(onWarning === undefined ? {} : { onError: onWarning }),
    };
  }
}

/**
 * One cache per management URL, shared by the clients that follow it (writes are atomic): a
 * mapping is the same for every client of one management, and a restarted process finds it.
 */
function defaultCacheFile(mappingUrl: string): string {
  const id = createHash('sha256').update(mappingUrl).digest('hex').slice(0, 16);
  return join(tmpdir(), 'flotilla', `mapping-${id}.json`);
}

function withoutUndefined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
