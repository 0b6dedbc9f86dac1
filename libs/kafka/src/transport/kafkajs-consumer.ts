// ConsumerTransport over kafkajs. A kafkajs consumer can add topics to its subscription but never
// drop one, so run() replaces the kafkajs consumer (same group) instead of re-subscribing it.
// Offsets are resolved only after onBatch succeeded: a failed or paused batch is fetched again.
import type { Admin, Batch, Consumer, EachBatchPayload, IHeaders, Kafka } from 'kafkajs';
import { UnavailableError, ValidationError } from '@flotilla/errors';
import { toFlotillaError } from '../kafka-errors';
import { createKafkajsClient } from './kafkajs-client';
import { PauseState, type TopicPartitions } from './pause-state';
import { describeGroup } from './describe-group';
import type { ConsumedBatch, ConsumedRecord, ConsumerTransport, ConsumerTransportOptions, GroupDescription, TopicPartitionOffset } from './transport';

// Partitions are independent (one batch at a time each), so several may be in their handlers at
// once; kafkajs never hands two batches of one partition out concurrently.
const PARTITIONS_CONSUMED_CONCURRENTLY = 8;
// Java's fetch.max.wait.ms: an idle fetch returns after this, which also bounds how long stop()
// waits for an in-flight fetch.
const MAX_WAIT_TIME_MS = 500;
// kafkajs' default request timeout: group joins and syncs legitimately take seconds.
const OPERATION_TIMEOUT_MS = 30_000;
// After a crash kafkajs does not restart from, start a fresh consumer after this pause.
const RESTART_DELAY_MS = 1_000;

export function kafkajsConsumer(options: ConsumerTransportOptions): ConsumerTransport {
  return new KafkajsConsumer(options);
}

type OnBatch = (batch: ConsumedBatch) => Promise<void>;

class KafkajsConsumer implements ConsumerTransport {
  readonly kind = 'kafkajs' as const;
  private readonly kafka: Kafka;
  private readonly where: string;
  private consumer: Consumer | undefined;
  private admin: Promise<Admin> | undefined;
  private readonly paused = new PauseState();
  /** Seeks asked for while no kafkajs consumer group existed; applied when the next one starts. */
  private readonly pendingSeeks = new Map<string, TopicPartitionOffset>();
  /** run() calls apply one after the other: each replaces the consumer the previous one started. */
  private switching: Promise<void> = Promise.resolve();
  private runs = 0;
  private topics: string[] = [];
  /** The latest run()'s handler; a run() with the same topics only swaps it. */
  private onBatch: OnBatch | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ConsumerTransportOptions) {
    this.kafka = createKafkajsClient({ bootstrap: options.bootstrap, sasl: options.sasl, clientId: options.clientId, timeoutMs: OPERATION_TIMEOUT_MS });
    this.where = options.bootstrap.join(',');
  }

  async connect(): Promise<void> {
    this.assertOpen();
    await this.adminClient();
  }

  run(topics: readonly string[], onBatch: OnBatch): Promise<void> {
    const started = this.switching.then(() => this.start([...topics], onBatch));
    this.switching = started.catch(() => undefined);
    return started;
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const context = `commit offsets of group "${this.options.groupId}" on ${this.where}`;
    try {
      const consumer = this.consumer;
      if (consumer) {
        await consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
        return;
      }
      // No member of ours is in the group; Kafka accepts a commit from outside while it is empty.
      const admin = await this.adminClient();
      for (const [topic, partitions] of byTopic(offsets)) await admin.setOffsets({ groupId: this.options.groupId, topic, partitions });
    } catch (error) {
      throw toFlotillaError(error, context);
    }
  }

  async committed(topic: string): Promise<Map<number, bigint>> {
    const context = `committed offsets of group "${this.options.groupId}" for topic "${topic}" on ${this.where}`;
    try {
      const admin = await this.adminClient();
      const offsets = await admin.fetchOffsets({ groupId: this.options.groupId, topics: [topic] });
      const partitions = offsets.find((entry) => entry.topic === topic)?.partitions ?? [];
      // kafkajs reports "no commit" as offset -1.
      return new Map(partitions.filter((p) => BigInt(p.offset) >= 0n).map((p) => [p.partition, BigInt(p.offset)]));
    } catch (error) {
      throw toFlotillaError(error, context);
    }
  }

  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    const context = `end offsets of topic "${topic}" on ${this.where}`;
    try {
      const admin = await this.adminClient();
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    } catch (error) {
      throw toFlotillaError(error, context);
    }
  }

  async describeGroup(): Promise<GroupDescription> {
    return describeGroup(this.options.groupId, { ...this.options, admin: await this.adminClient() });
  }

  pause(topicPartitions: readonly TopicPartitions[]): void {
    this.paused.pause(topicPartitions);
    this.forward((consumer) => consumer.pause(topicPartitions.map(copy)));
  }

  resume(topicPartitions: readonly TopicPartitions[]): void {
    this.paused.resume(topicPartitions);
    this.forward((consumer) => consumer.resume(topicPartitions.map(copy)));
  }

  seek(target: TopicPartitionOffset): void {
    if (!/^\d+$/.test(target.offset)) {
      throw new ValidationError(`seek on topic "${target.topic}": offset must be a non-negative integer, got "${target.offset}"`, { field: 'offset' });
    }
    const consumer = this.consumer;
    try {
      if (!consumer) throw new Error('not running');
      consumer.seek({ topic: target.topic, partition: target.partition, offset: target.offset });
    } catch {
      // kafkajs seeks only within a running group: keep it for the next one.
      this.pendingSeeks.set(`${target.topic}/${target.partition}`, target);
    }
  }

  disconnect(): Promise<void> {
    this.closing ??= (async () => {
      await this.switching;
      const consumer = this.consumer;
      this.consumer = undefined;
      const admin = this.admin?.catch(() => undefined);
      await Promise.allSettled([consumer?.disconnect(), admin?.then((a) => a?.disconnect())]);
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new UnavailableError(`the kafkajs consumer of group "${this.options.groupId}" on ${this.where} is closed`, { retryable: false });
  }

  private async start(topics: string[], onBatch: OnBatch): Promise<void> {
    this.assertOpen();
    this.onBatch = onBatch;
    const same = topics.length === this.topics.length && topics.every((topic) => this.topics.includes(topic));
    if (same && this.consumer) return;
    this.topics = topics;
    const run = ++this.runs;
    const previous = this.consumer;
    this.consumer = undefined;
    // Leaving the group before the new consumer joins hands its partitions over in one rebalance.
    if (previous) await previous.disconnect().catch(() => undefined);
    if (topics.length === 0) return;

    const { sessionTimeoutMs: sessionTimeout = 30_000, heartbeatIntervalMs, rebalanceTimeoutMs, maxBytesPerPartition, minBytes, maxBytes, maxWaitTimeMs } = this.options;
    const consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout,
      heartbeatInterval: heartbeatIntervalMs ?? Math.min(3_000, Math.floor(sessionTimeout / 3)),
      maxWaitTimeInMs: maxWaitTimeMs ?? MAX_WAIT_TIME_MS,
      allowAutoTopicCreation: false,
      ...(rebalanceTimeoutMs === undefined ? {} : { rebalanceTimeout: rebalanceTimeoutMs }),
      ...(maxBytesPerPartition === undefined ? {} : { maxBytesPerPartition }),
      ...(minBytes === undefined ? {} : { minBytes }),
      ...(maxBytes === undefined ? {} : { maxBytes }),
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topics, fromBeginning: this.options.fromBeginning });
      // Each (re)join builds a fresh kafkajs group whose pause state starts empty.
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        this.paused.replay(consumer);
        this.options.onGroupEvent?.({
          type: 'join',
          memberId: payload.memberId,
          isLeader: payload.isLeader,
          leaderId: payload.leaderId,
          groupProtocol: payload.groupProtocol,
          assignment: Object.fromEntries(Object.entries(payload.memberAssignment).map(([topic, partitions]) => [topic, [...partitions]])),
          durationMs: payload.duration,
        });
      });
      consumer.on(consumer.events.REBALANCING, ({ payload }) => this.options.onGroupEvent?.({ type: 'rebalancing', memberId: payload.memberId }));
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        // kafkajs restarts itself after retriable crashes; after any other it stays down.
        if (payload.restart || run !== this.runs || this.closing) return;
        setTimeout(() => {
          if (run !== this.runs || this.closing || !this.onBatch) return;
          this.consumer = undefined;
          this.run(topics, this.onBatch).catch(() => undefined);
        }, RESTART_DELAY_MS);
      });
      const started = consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: PARTITIONS_CONSUMED_CONCURRENTLY,
        eachBatch: (payload) => this.deliver(payload),
      });
      // run() has created the group by now (it awaits only after that): pause and seek before
      // the first fetch so nothing paused is delivered and nothing sought is read twice.
      this.paused.replay(consumer);
      for (const [key, target] of this.pendingSeeks) {
        consumer.seek({ topic: target.topic, partition: target.partition, offset: target.offset });
        this.pendingSeeks.delete(key);
      }
      this.consumer = consumer;
      await started;
    } catch (error) {
      if (this.consumer === consumer) this.consumer = undefined;
      this.topics = [];
      await consumer.disconnect().catch(() => undefined);
      throw toFlotillaError(error, `consume ${topics.map((t) => `"${t}"`).join(', ')} from ${this.where}`);
    }
  }

  private async deliver({ batch, heartbeat, isRunning, isStale, resolveOffset }: EachBatchPayload): Promise<void> {
    const onBatch = this.onBatch;
    if (!onBatch || !isRunning() || isStale() || batch.messages.length === 0) return;
    // Fetched before pause(): left unresolved, so kafkajs fetches it again after resume().
    if (this.paused.isPaused(batch.topic, batch.partition)) return;
    await onBatch(toConsumedBatch(batch, heartbeat));
    // After a seek the next fetch starts at the sought offset, not after this batch.
    if (!isStale()) resolveOffset(batch.lastOffset());
  }

  private forward(action: (consumer: Consumer) => void): void {
    const consumer = this.consumer;
    if (!consumer) return;
    try {
      action(consumer);
    } catch {
      // The kafkajs group is being rebuilt; GROUP_JOIN replays the pause state onto it.
    }
  }

  private adminClient(): Promise<Admin> {
    if (!this.admin) {
      const admin = this.kafka.admin();
      const attempt = admin.connect().then(
        () => admin,
        (error: unknown) => {
          throw toFlotillaError(error, `connect to Kafka at ${this.where}`);
        },
      );
      this.admin = attempt;
      attempt.catch(() => {
        if (this.admin === attempt) this.admin = undefined;
      });
    }
    return this.admin;
  }
}

/**
 * kafkajs's own message objects become the batch's records, with headers in the record shape
 * where kafkajs's differ (repeated or text values). No copy per record on the hottest path, and
 * no field added to one either (that would give each record a properties store of its own);
 * kafkajs fetches anew after a failed or paused batch, so nothing of it reads these objects again.
 */
function toConsumedBatch(batch: Batch, heartbeat: () => Promise<void>): ConsumedBatch {
  const records = batch.messages as unknown as (ConsumedRecord & { headers: IHeaders | ConsumedRecord['headers'] })[];
  for (const record of records) if (!recordShaped(record.headers)) record.headers = toHeaders(record.headers as IHeaders);
  return { topic: batch.topic, partition: batch.partition, records, highWatermark: batch.highWatermark, heartbeat };
}

/** Whether every header value is a Buffer already (true for none, as most records have). */
function recordShaped(headers: IHeaders | ConsumedRecord['headers'] | undefined): headers is ConsumedRecord['headers'] {
  if (!headers) return false;
  for (const name in headers) {
    const value = headers[name];
    if (!Buffer.isBuffer(value) && !(Array.isArray(value) && value.every((v) => Buffer.isBuffer(v)))) return false;
  }
  return true;
}

function toHeaders(headers: IHeaders | undefined): ConsumedRecord['headers'] {
  const result: ConsumedRecord['headers'] = {};
  if (!headers) return result;
  for (const name in headers) {
    const value = headers[name];
    // A header repeated in one record arrives as an array of its values, as kafkajs gives it.
    result[name] = Array.isArray(value) ? value.map(toBuffer) : value === undefined || value === null ? undefined : toBuffer(value);
  }
  return result;
}

function toBuffer(value: Buffer | string): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.from(value);
}

function byTopic(offsets: readonly TopicPartitionOffset[]): Map<string, { partition: number; offset: string }[]> {
  const grouped = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of offsets) {
    const list = grouped.get(topic) ?? [];
    list.push({ partition, offset });
    grouped.set(topic, list);
  }
  return grouped;
}

function copy(tp: TopicPartitions): { topic: string; partitions?: number[] } {
  return tp.partitions === undefined ? { topic: tp.topic } : { topic: tp.topic, partitions: [...tp.partitions] };
}
