// ProducerTransport over kafkajs. kafkajs lacks two things the seam promises, so they live
// here: a bound on the whole send (one deadline over metadata, connect, retries and backoff),
// and failing records for topics and partitions the cluster does not have (kafkajs retries an
// unknown topic for its whole retry budget and silently leaves records for an unknown partition
// out of the request). Each send() is one kafkajs send, made at once: batching is the caller's.
//
// Only steps that send nothing are retried here (metadata, connect). A produce request is made
// once per send and retried by kafkajs alone, because kafkajs knows which brokers already
// answered; a retry from out here would write their records a second time.
import type { Admin, Kafka, Message, Producer, RecordMetadata } from 'kafkajs';
import { UnavailableError, ValidationError, type FlotillaError } from '@flotilla/errors';
import { retry, type BackoffPolicy } from '@flotilla/retry';
import { kafkaErrorType, toFlotillaError } from '../kafka-errors';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeDeadline, remainingMs } from './deadline';
import { createKafkajsClient } from './kafkajs-client';
import { assertPartitions } from './record-checks';
import { compressionRefusal } from './compression';
import type { ProducerTransport, ProducerTransportOptions, SendOptions, TransportRecord } from './transport';

/**
 * A topic the cluster says it does not have is retried this long before the send fails as
 * invalid: long enough for a just-created topic to reach every broker's metadata, short enough
 * that a typo is reported in seconds rather than after the whole delivery timeout.
 */
export const UNKNOWN_TOPIC_GRACE_MS = 2_000;

/** Between attempts of a step that sends nothing (connect, metadata), within the call's deadline. */
const STEP_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 1_000 };

interface Generation {
  readonly producer: Producer;
  connecting: Promise<void> | undefined;
  /** Connected once (kafkajs reconnects by itself from then on). */
  connected: boolean;
  /** Requests handed to this kafkajs producer and not yet settled. */
  inFlight: number;
}

export function kafkajsProducer(options: ProducerTransportOptions): ProducerTransport {
  return new KafkajsProducer(options);
}

class KafkajsProducer implements ProducerTransport {
  readonly kind = 'kafkajs' as const;
  private readonly kafka: Kafka;
  private readonly where: string;
  private current: Generation;
  private readonly retiring = new Set<Promise<void>>();
  private admin: Promise<Admin> | undefined;
  /** Per topic, settles once its latest send() call settled (absent once it has). */
  private readonly lastCall = new Map<string, Promise<void>>();
  /** Sends under way, which disconnect() lets finish (each is bounded by its own deadline). */
  private readonly sending = new Set<Promise<unknown>>();
  private readonly partitionCounts = new Map<string, number>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ProducerTransportOptions) {
    this.kafka = createKafkajsClient({ bootstrap: options.bootstrap, sasl: options.sasl, clientId: options.clientId, timeoutMs: options.deliveryTimeoutMs });
    this.where = options.bootstrap.join(',');
    this.current = this.newGeneration();
  }

  async connect(): Promise<void> {
    this.assertOpen();
    await this.connected(this.current, Date.now() + this.options.deliveryTimeoutMs);
  }

  send(topic: string, records: readonly TransportRecord[], options: SendOptions = {}): Promise<number[]> {
    try {
      this.assertOpen();
      assertPartitions(topic, records);
      const refusal = compressionRefusal(this.kind, options.compression);
      if (refusal) throw new ValidationError(`send to topic "${topic}": ${refusal}`, { field: 'compression' });
    } catch (error) {
      return Promise.reject(error);
    }
    if (records.length === 0) return Promise.resolve([]);
    const sending = this.deliver(topic, records, options.compression ?? 0, Date.now() + this.options.deliveryTimeoutMs);
    this.sending.add(sending);
    const forget = (): void => void this.sending.delete(sending);
    sending.then(forget, forget);
    return sending;
  }

  async partitionCount(topic: string, options: { refresh?: boolean } = {}): Promise<number> {
    this.assertOpen();
    const context = `partition count of topic "${topic}" on ${this.where}`;
    const deadline = Date.now() + this.options.deliveryTimeoutMs;
    const count = await this.retrying(context, deadline, () => this.lookUpPartitions(topic, options.refresh ?? false, deadline));
    if (count === undefined) throw new ValidationError(`${context}: unknown topic`);
    return count;
  }

  disconnect(): Promise<void> {
    this.closing ??= (async () => {
      // Sends already accepted still get their answer; each is bounded by its own deadline.
      await Promise.allSettled([...this.sending]);
      const admin = this.admin?.catch(() => undefined);
      await Promise.allSettled([this.current.producer.disconnect(), ...this.retiring, admin?.then((a) => a?.disconnect())]);
    })();
    return this.closing;
  }

  private assertOpen(): void {
    // Retryable: the smart client closes a lane when the mapping moves it, and the records
    // belong on whatever lane replaced it.
    if (this.closing) throw new UnavailableError(`the kafkajs producer for ${this.where} is closed`);
  }

  private newGeneration(): Generation {
    const producer = this.kafka.producer({
      idempotent: this.options.acks === -1,
      // The broker keeps the last five batches per producer and partition to detect duplicates;
      // kafkajs sends one produce request per broker at a time when idempotent anyway.
      maxInFlightRequests: this.options.maxInFlightRequests ?? 5,
      allowAutoTopicCreation: false,
      // The smart client has already chosen the partition; kafkajs must not re-partition.
      createPartitioner: () => ({ message }) => message.partition ?? -1,
      // kafkajs retries a produce request itself (leader moves, brokers restarting); its
      // backoff (100, 200, 400, 800 ms, then 1 s) is given about the delivery timeout, after
      // which the deadline has rejected the call anyway.
      retry: { retries: Math.max(1, Math.ceil(this.options.deliveryTimeoutMs / 1_000) + 2), initialRetryTime: 100, maxRetryTime: 1_000 },
    });
    return { producer, connecting: undefined, connected: false, inFlight: 0 };
  }

  private connected(generation: Generation, deadline: number): Promise<void> {
    if (!generation.connecting) {
      const attempt = generation.producer.connect();
      generation.connecting = attempt;
      attempt.then(
        () => (generation.connected = true),
        () => {
          if (generation.connecting === attempt) generation.connecting = undefined;
        },
      );
    }
    const context = `connect to Kafka at ${this.where}`;
    return beforeDeadline(generation.connecting, deadline, () => this.timeout(context)).catch((error: unknown) => {
      throw toFlotillaError(error, context);
    });
  }

  /** Partition count, or undefined when the cluster does not have the topic; cached once known. */
  private async lookUpPartitions(topic: string, refresh: boolean, deadline: number): Promise<number | undefined> {
    const cached = refresh ? undefined : this.partitionCounts.get(topic);
    if (cached !== undefined) return cached;
    const context = `partition count of topic "${topic}" on ${this.where}`;
    try {
      const admin = await beforeDeadline(this.adminClient(), deadline, () => this.timeout(context));
      const metadata = await beforeDeadline(admin.fetchTopicMetadata({ topics: [topic] }), deadline, () => this.timeout(context));
      const count = metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
      if (count === 0) return undefined;
      this.partitionCounts.set(topic, count);
      return count;
    } catch (error) {
      if (kafkaErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION') return undefined;
      throw toFlotillaError(error, context);
    }
  }

  /** Repeats a step that sends no records while it fails retryably, until the deadline. */
  private retrying<T>(context: string, deadline: number, step: () => Promise<T>): Promise<T> {
    return retry(
      () =>
        step().catch((error: unknown) => {
          throw toFlotillaError(error, context);
        }),
      {
        backoff: STEP_BACKOFF,
        retryIf: (error) => (error as FlotillaError).retryable,
        deadline,
        onDeadline: (error) => (remainingMs(deadline) === 0 ? error : this.timeout(context, error)),
      },
    );
  }

  /** Swaps in a new kafkajs producer (fresh metadata); the old one closes once idle. */
  private renew(): void {
    const old = this.current;
    this.current = this.newGeneration();
    const retired = (async () => {
      while (old.inFlight > 0) await sleep(50);
      await old.producer.disconnect().catch(() => undefined);
    })();
    this.retiring.add(retired);
    void retired.finally(() => this.retiring.delete(retired));
  }

  private adminClient(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      const attempt = admin.connect().then(() => admin);
      this.admin = attempt;
      attempt.catch(() => {
        if (this.admin === attempt) this.admin = undefined;
      });
    }
    return this.admin;
  }

  private async deliver(topic: string, records: readonly TransportRecord[], compression: number, deadline: number): Promise<number[]> {
    const context = `send to topic "${topic}" on ${this.where}`;
    // One call per topic with kafkajs at a time, in call order: kafkajs keeps no order between
    // concurrent sends (one that waits for the topic's metadata is overtaken by a later one that
    // finds it ready), and its idempotent producer sends one request per broker at a time anyway.
    const earlier = this.lastCall.get(topic);
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    this.lastCall.set(topic, settled);
    try {
      // No earlier call under way, known partitions and a connected client: on to kafkajs within
      // this call, without a turn of the microtask queue.
      if (earlier) await beforeDeadline(earlier, deadline, () => this.timeout(context));
      if (!this.knowsPartitions(topic, records)) await this.assertPartitionsExist(topic, records, deadline, context);
      return await this.produceAll(topic, records, compression, deadline, context);
    } finally {
      settle();
      if (this.lastCall.get(topic) === settled) this.lastCall.delete(topic);
    }
  }

  /** Produces the records, again through a renewed client for any that kafkajs left out. */
  private async produceAll(topic: string, records: readonly TransportRecord[], compression: number, deadline: number, context: string): Promise<number[]> {
    const results = new Array<number | undefined>(records.length);
    /** The indexes of the records still to send; undefined: all of them. */
    let pending: number[] | undefined;
    for (let renewed = false; ; renewed = true) {
      const generation = this.current;
      if (!generation.connected) await this.retrying(context, deadline, () => this.connected(generation, deadline));
      const messages = pending === undefined ? records.map(toMessage) : pending.map((index) => toMessage(records[index] as TransportRecord));
      let metadata: RecordMetadata[];
      try {
        metadata = await beforeDeadline(this.produce(generation, topic, messages, compression), deadline, () => this.timeout(context));
      } catch (error) {
        // Deleted since its partition count was cached: look it up afresh next time.
        if (kafkaErrorType(error) === 'UNKNOWN_TOPIC_OR_PARTITION') this.partitionCounts.delete(topic);
        throw toFlotillaError(error, context);
      }
      pending = assignOffsets(topic, records, pending, metadata, results);
      if (pending.length === 0) return results as number[];
      // kafkajs left these records out, its metadata lacking partitions the topic has (added
      // since it loaded them). They were never sent, so sending them again duplicates nothing.
      if (renewed) throw new UnavailableError(`${context}: the client has no metadata for partitions the topic has`);
      this.renew();
    }
  }

  /** Whether the cached partition count of the topic covers every record's partition. */
  private knowsPartitions(topic: string, records: readonly TransportRecord[]): boolean {
    const count = this.partitionCounts.get(topic);
    return count !== undefined && highestPartition(records) < count;
  }

  /**
   * Fails records for a topic or partition the cluster does not have, which kafkajs would
   * otherwise retry for its whole budget (topic) or drop without a word (partition). A topic or
   * partition created a moment ago gets UNKNOWN_TOPIC_GRACE_MS to reach the metadata.
   */
  private async assertPartitionsExist(topic: string, records: readonly TransportRecord[], deadline: number, context: string): Promise<void> {
    const highest = highestPartition(records);
    const since = Date.now();
    let count = await this.retrying(context, deadline, () => this.lookUpPartitions(topic, false, deadline));
    while (count === undefined || highest >= count) {
      if (Date.now() - since >= UNKNOWN_TOPIC_GRACE_MS || remainingMs(deadline) === 0) {
        throw count === undefined
          ? new ValidationError(`${context}: unknown topic`)
          : new ValidationError(`${context}: partition ${highest} does not exist (the topic has ${count})`, { field: 'partition' });
      }
      await sleep(Math.min(200, remainingMs(deadline)));
      count = await this.retrying(context, deadline, () => this.lookUpPartitions(topic, true, deadline));
    }
  }

  private produce(generation: Generation, topic: string, messages: Message[], compression: number): Promise<RecordMetadata[]> {
    const request = generation.producer.send({
      topic,
      messages,
      acks: this.options.acks,
      ...(compression === 0 ? {} : { compression }),
      // The broker-side wait for replicas; beyond the delivery timeout it cannot help.
      timeout: Math.min(Math.max(this.options.deliveryTimeoutMs, 1_000), 30_000),
    });
    generation.inFlight += 1;
    void request.then(
      () => (generation.inFlight -= 1),
      () => (generation.inFlight -= 1),
    );
    return request;
  }

  private timeout(context: string, last?: unknown): UnavailableError {
    const reason = last === undefined ? '' : ` (last error: ${last instanceof Error ? last.message : String(last)})`;
    return new UnavailableError(`${context}: no answer within ${this.options.deliveryTimeoutMs} ms${reason}`, { cause: last });
  }
}

/**
 * The record as kafkajs reads it, with only the fields set: two for a keyless record without
 * headers or timestamp. kafkajs copies every message with an object spread while it encodes the
 * request, so the caller's record (which may carry fields of its own) is not handed over as it
 * is. kafkajs writes a missing key as null.
 */
export function toMessage(record: TransportRecord): Message {
  const { partition, key, value, headers, timestamp } = record;
  if (headers === undefined && timestamp === undefined) return key === null ? { partition, value } : { partition, key, value };
  return { partition, key, value, headers, timestamp } as Message;
}

/**
 * Stores each record's offset from its partition's base offset (kafkajs sends a partition's
 * records in input order as one record batch) and returns the records left without one.
 */
export function assignOffsets(
  topic: string,
  records: readonly TransportRecord[],
  pending: readonly number[] | undefined,
  metadata: readonly RecordMetadata[],
  results: (number | undefined)[],
): number[] {
  // By partition number (small integers): the offset of the partition's next record.
  const next: number[] = [];
  for (const entry of metadata) {
    const offset = Number(entry.baseOffset ?? entry.offset ?? -1);
    if (entry.topicName === topic && offset >= 0) next[entry.partition] = offset;
  }
  const missing: number[] = [];
  const count = pending === undefined ? records.length : pending.length;
  for (let n = 0; n < count; n++) {
    const index = pending === undefined ? n : (pending[n] as number);
    const { partition } = records[index] as TransportRecord;
    const offset = next[partition];
    if (offset === undefined) {
      missing.push(index);
      continue;
    }
    next[partition] = offset + 1;
    results[index] = offset;
  }
  return missing;
}

function highestPartition(records: readonly TransportRecord[]): number {
  let highest = 0;
  for (const record of records) if (record.partition > highest) highest = record.partition;
  return highest;
}
