// Runs one route in this router process: a consumer group of its own (`flotilla-router.<route>`,
// shared with the route's workers in other router processes, which is how routers scale out and
// take over from one that died) reads the source, each batch goes through the route's steps, and
// the results are written to every destination through the router's smart producer (a route from
// a topic to itself has its own, which sees that topic's sides swapped: mapping-views.ts).
//
// Delivery is at least once: a batch's handler returns only once every destination and the
// dead-letter topic acknowledged its records, and the consumer commits a batch only after its
// handler returned. A crash between the two re-reads at most the batches in flight. While a
// destination is slow or down the handlers wait on its acknowledgements, so their partitions' queues
// fill and the consumer stops fetching them (it does not buffer without bound); it fetches again by
// itself once acknowledgements flow. A send that fails as a whole (a full buffer, a cluster that
// does not answer within the producer's delivery timeout) fails the batch, which the consumer
// retries from its first record.
import { MultiClusterConsumer, MultiClusterProducer, type ConsumerBatch, type EachBatchPayload, type MappingSource, type Message } from '@flotilla/client';
import { FlotillaError } from '@flotilla/errors';
import type { TransportFactory } from '@flotilla/kafka';
import type { Logger } from '@flotilla/observability';
import { deadLetterRecord, type CompiledRoute, type RouteRecord, type StepOutcome } from '@flotilla/routes';
import type { TopicPartitionCounts } from '@flotilla/client/internal';
import type { MappingHub } from '@flotilla/client/internal';
import { layerHopView } from './mapping-views';
import type { RouterMetrics } from './router-metrics';

export interface RouteWorkerOptions {
  readonly route: CompiledRoute;
  readonly hub: MappingHub;
  /** The router's producer, for routes between two topics and for dead letters. */
  readonly producer: MultiClusterProducer;
  readonly consumerTransport: TransportFactory;
  readonly producerTransport: TransportFactory;
  readonly partitions: TopicPartitionCounts;
  readonly metrics: RouterMetrics;
  readonly logger: Logger;
  readonly clientId: string;
  /** Source partitions handled at once (over all source clusters). */
  readonly concurrency: number;
}

export function routeGroupId(route: string): string {
  return `flotilla-router.${route}`;
}

export class RouteWorker {
  readonly #consumer: MultiClusterConsumer;
  readonly #name: string;
  /** Where destinations are written from: the router's producer, or this route's own. */
  readonly #producer: MultiClusterProducer;
  readonly #ownProducer: MultiClusterProducer | undefined;
  readonly #producerMapping: MappingSource;

  constructor(private readonly options: RouteWorkerOptions) {
    const { definition } = options.route;
    this.#name = definition.name;
    const hop = definition.destinations.some(({ topic }) => topic === definition.source);
    const view = hop ? (mapping: Parameters<typeof layerHopView>[0]) => layerHopView(mapping, definition.source) : undefined;
    this.#producerMapping = options.hub.view(view);
    this.#ownProducer = hop
      ? new MultiClusterProducer({ clientId: options.clientId, mapping: this.#producerMapping, transport: options.producerTransport })
      : undefined;
    this.#producer = this.#ownProducer ?? options.producer;
    this.#consumer = new MultiClusterConsumer({
      groupId: routeGroupId(this.#name),
      clientId: options.clientId,
      mapping: options.hub.view(view),
      transport: options.consumerTransport,
      // A failing batch (a destination away longer than a delivery timeout) is retried for as
      // long as it takes: the route must not skip records, nor stop for good.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 500, maxRetryTime: 10_000 },
    });
  }

  async start(): Promise<void> {
    const { definition } = this.options.route;
    if (this.#ownProducer) await this.#ownProducer.connect();
    else await this.#producerMapping.start({ onMapping: () => undefined });
    await this.#consumer.connect();
    // After a rebalance the lag of partitions given up is the new holder's to report, not ours.
    this.#consumer.on(this.#consumer.events.GROUP_JOIN, ({ payload }) => {
      const { cluster, memberAssignment } = payload as unknown as { cluster: string; memberAssignment: Record<string, number[] | undefined> };
      this.options.metrics.keepLags(this.#name, cluster, memberAssignment[definition.source] ?? []);
    });
    // A new route reads its source from the start of its retention: nothing written before the
    // route was added is skipped (its group's commits take over afterwards).
    await this.#consumer.subscribe({ topic: definition.source, fromBeginning: true });
    await this.#consumer.run({
      partitionsConsumedConcurrently: this.options.concurrency,
      eachBatch: (payload) => this.#handle(payload),
    });
  }

  async stop(): Promise<void> {
    this.options.metrics.forget(this.#name);
    await this.#consumer.disconnect();
    // After the consumer: its last batches' sends are acknowledged by then.
    await this.#ownProducer?.disconnect();
    await this.#producerMapping.stop();
  }

  async #handle({ batch }: EachBatchPayload): Promise<void> {
    const { route, metrics } = this.options;
    const { definition } = route;
    const name = definition.name;
    if (batch.messages.length === 0) return;
    metrics.recordsIn.inc({ route: name }, batch.messages.length);
    const passed: RouteRecord[] = [];
    /** The source offset of each passed record, for a destination's refusal. */
    const offsets: string[] = [];
    const dead: RouteRecord[] = [];
    let filtered = 0;
    for (const message of batch.messages) {
      const record: RouteRecord = { key: message.key, value: message.value, headers: message.headers, timestamp: message.timestamp };
      let outcome: StepOutcome | Promise<StepOutcome> = route.apply(record);
      if (outcome instanceof Promise) outcome = await outcome;
      if (outcome.kind === 'pass') {
        passed.push(outcome.record);
        offsets.push(message.offset);
      }
      else if (outcome.kind === 'filtered') filtered += 1;
      else dead.push(deadLetterRecord(record, { ...this.#where(batch, message.offset), route: name, step: outcome.step, stepType: outcome.stepType, error: outcome.error }));
    }
    if (filtered > 0) metrics.filtered.inc({ route: name }, filtered);
    const sends: Promise<void>[] = [];
    if (passed.length > 0) {
      for (const { topic } of definition.destinations) sends.push(this.#deliver(batch, topic, passed, offsets, dead));
    }
    await Promise.all(sends);
    // Records a destination refused join those the steps failed, in one send after them.
    if (dead.length > 0) {
      await this.options.producer.send({ topic: definition.deadLetterTopic, messages: dead.map((record) => toMessage(record, undefined)) });
      metrics.deadLettered.inc({ route: name }, dead.length);
    }
    metrics.setLag(name, `${batch.cluster}/${batch.partition}`, Number(batch.offsetLag()));
  }

  /** Sends a batch's records to one destination; records the destination refuses go to `dead`. */
  async #deliver(batch: ConsumerBatch, topic: string, records: readonly RouteRecord[], offsets: readonly string[], dead: RouteRecord[]): Promise<void> {
    const { definition } = this.options.route;
    // Keyed: the producer puts a key on the partition murmur2 gives it, as the Java client does.
    // Keyless: one destination partition per source partition, so the records keep their order.
    const partition = definition.keyed ? undefined : batch.partition % (await this.options.partitions.count(topic, this.#producerMapping.current()));
    try {
      await this.#producer.send({ topic, messages: records.map((record) => toMessage(record, partition)) });
    } catch (error) {
      if (!refusedForGood(error)) throw error;
      // A record the destination refuses (too large, say) must not hold the route up: find which
      // ones by sending them one at a time, and dead-letter those.
      await this.#deliverOneByOne(batch, topic, records, offsets, partition, dead);
      return;
    }
    this.#acknowledged(topic, records);
  }

  async #deliverOneByOne(batch: ConsumerBatch, topic: string, records: readonly RouteRecord[], offsets: readonly string[], partition: number | undefined, dead: RouteRecord[]): Promise<void> {
    const delivered: RouteRecord[] = [];
    for (const [i, record] of records.entries()) {
      try {
        await this.#producer.send({ topic, messages: [toMessage(record, partition)] });
        delivered.push(record);
      } catch (error) {
        if (!refusedForGood(error)) throw error;
        const reason = error instanceof Error ? error.message : String(error);
        this.options.logger.warn({ route: this.#name, topic, reason }, 'destination refused a record; dead-lettered');
        dead.push(deadLetterRecord(record, { ...this.#where(batch, offsets[i] ?? '-1'), route: this.#name, step: -1, stepType: 'destination', error: `destination "${topic}" refused the record: ${reason}` }));
      }
    }
    this.#acknowledged(topic, delivered);
  }

  #acknowledged(topic: string, records: readonly RouteRecord[]): void {
    const { metrics } = this.options;
    metrics.recordsOut.inc({ route: this.#name, destination: topic }, records.length);
    const now = Date.now();
    // One observation per batch and destination (its oldest record) keeps the histogram cheap.
    const oldest = records[0];
    if (oldest) metrics.latency.observe({ route: this.#name }, Math.max(0, now - Number(oldest.timestamp)) / 1000);
  }

  #where(batch: ConsumerBatch, offset: string) {
    return { topic: batch.topic, partition: batch.partition, offset, cluster: batch.cluster };
  }
}

function toMessage(record: RouteRecord, partition: number | undefined): Message {
  return {
    key: record.key,
    value: record.value,
    headers: definedHeaders(record.headers),
    timestamp: record.timestamp,
    ...(partition === undefined ? {} : { partition }),
  };
}

/** The headers as a producer takes them: a consumer may give a header as undefined. */
function definedHeaders(headers: RouteRecord['headers']): NonNullable<Message['headers']> {
  for (const name in headers) {
    if (headers[name] === undefined) return Object.fromEntries(Object.entries(headers).filter((entry) => entry[1] !== undefined)) as NonNullable<Message['headers']>;
  }
  return headers as NonNullable<Message['headers']>;
}

/** A refusal that sending again will not change (a validation error, a record too large). */
function refusedForGood(error: unknown): boolean {
  return error instanceof FlotillaError && !error.retryable && error.code === 'VALIDATION';
}
