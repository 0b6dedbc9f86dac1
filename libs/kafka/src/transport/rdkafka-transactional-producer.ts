// TransactionalProducerTransport over node-rdkafka: a librdkafka producer with transactional.id
// (initTransactions once, then begin/commit/abortTransaction) whose send() resolves from the
// records' delivery reports, correlated by opaque: a transaction's sends are few and small next
// to the plain path's, which keeps its own faster correlation (rdkafka-producer.ts).
//
// sendOffsetsToTransaction takes the group's metadata from a KafkaConsumer of that group, so one
// is connected per group (never subscribed: it joins nothing) and kept until disconnect.
import RdKafka, { type DeliveryReport, type Metadata } from 'node-rdkafka';
import { UnavailableError, ValidationError } from '@flotilla/errors';
import { setTimeout as sleep } from 'node:timers/promises';
import { compressionRefusal } from './compression';
import { beforeDeadline, remainingMs } from './deadline';
import { rdkafkaError, rdkafkaErrorCode } from './rdkafka-errors';
import { assertTextHeaders, toHeaders } from './rdkafka-producer';
import { assertPartitions } from './record-checks';
import { rdkafkaSaslConfig, type SendOptions, type TopicPartitionOffset, type TransactionalProducerOptions, type TransactionalProducerTransport, type TransportRecord } from './transport';

const codes = RdKafka.CODES.ERRORS;
/** Delivery reports are served only when polled; polled this often while a send awaits them. */
const POLL_INTERVAL_MS = 2;
const QUEUE_FULL_BACKOFF_MS = 20;

interface Call {
  readonly offsets: number[];
  remaining: number;
  settled: boolean;
  readonly resolve: (offsets: number[]) => void;
  readonly reject: (error: unknown) => void;
}

/** Travels with each record through librdkafka and comes back in its delivery report. */
interface Opaque {
  readonly call: Call;
  readonly index: number;
}

export function rdkafkaTransactionalProducer(options: TransactionalProducerOptions): TransactionalProducerTransport {
  return new RdkafkaTransactionalProducer(options);
}

class RdkafkaTransactionalProducer implements TransactionalProducerTransport {
  readonly kind = 'rdkafka' as const;
  private readonly where: string;
  private readonly producer: RdKafka.Producer;
  private connecting: Promise<void> | undefined;
  private readonly groupConsumers = new Map<string, Promise<RdKafka.KafkaConsumer>>();
  private readonly calls = new Set<Call>();
  private unreported = 0;

  constructor(private readonly options: TransactionalProducerOptions) {
    this.where = options.bootstrap.join(',');
    this.producer = new RdKafka.Producer(
      {
        'bootstrap.servers': options.bootstrap.join(','),
        ...rdkafkaSaslConfig(options.sasl),
        'client.id': options.clientId,
        'transactional.id': options.transactionalId,
        'transaction.timeout.ms': options.transactionTimeoutMs,
        'enable.idempotence': true,
        'max.in.flight.requests.per.connection': options.maxInFlightRequests ?? 1,
        'allow.auto.create.topics': false,
        'socket.connection.setup.timeout.ms': Math.min(3_000, Math.max(1_000, options.timeoutMs)),
        dr_cb: true,
        log_level: 0,
      },
      // librdkafka refuses a message timeout longer than the transaction's.
      { 'request.required.acks': -1, 'message.timeout.ms': Math.min(options.timeoutMs, options.transactionTimeoutMs) },
    );
    this.producer.on('delivery-report', (error, report) => this.onDelivery(error, report));
  }

  connect(): Promise<void> {
    this.connecting ??= this.bounded(`connect to Kafka at ${this.where}`, async (done) => {
      await new Promise<void>((resolve, reject) => this.producer.connect({ allTopics: false, timeout: this.options.timeoutMs }, (error) => (error ? reject(error) : resolve())));
      this.producer.initTransactions(this.options.timeoutMs, done);
    }).catch((error: unknown) => {
      this.connecting = undefined;
      throw error;
    });
    return this.connecting;
  }

  begin(): Promise<void> {
    return this.bounded(`begin a transaction on ${this.where}`, (done) => this.producer.beginTransaction(done));
  }

  async send(topic: string, records: readonly TransportRecord[], options: SendOptions = {}): Promise<number[]> {
    assertPartitions(topic, records);
    const refusal = compressionRefusal(this.kind, options.compression);
    if (refusal || (options.compression ?? 0) !== 0) {
      // librdkafka compresses per client, and a transaction lives on one client.
      throw new ValidationError(`send to topic "${topic}" in a transaction: ${refusal ?? 'compression is not supported in a transaction over node-rdkafka (librdkafka sets it per client); send uncompressed or use the kafkajs transport'}`, { field: 'compression' });
    }
    for (const { headers } of records) if (headers) assertTextHeaders(topic, headers);
    if (records.length === 0) return [];
    const context = `send to topic "${topic}" in a transaction on ${this.where}`;
    const deadline = Date.now() + this.options.timeoutMs;
    const reported = new Promise<number[]>((resolve, reject) => {
      const call: Call = { offsets: new Array<number>(records.length), remaining: records.length, settled: false, resolve, reject };
      this.calls.add(call);
      void this.produceAll(topic, call, records, deadline).catch((error: unknown) => this.settle(call, rdkafkaError(error, context)));
    });
    return beforeDeadline(reported, deadline + 1_000, () => new UnavailableError(`${context}: no delivery report within ${this.options.timeoutMs} ms`));
  }

  async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]): Promise<void> {
    const context = `send offsets of group "${groupId}" to a transaction on ${this.where}`;
    const consumer = await this.groupConsumer(groupId, context);
    const list = offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: Number(offset) }));
    await this.bounded(context, (done) => this.producer.sendOffsetsToTransaction(list, consumer, this.options.timeoutMs, done));
  }

  commit(): Promise<void> {
    return this.bounded(`commit a transaction on ${this.where}`, (done) => this.producer.commitTransaction(this.options.timeoutMs, done));
  }

  abort(): Promise<void> {
    return this.bounded(`abort a transaction on ${this.where}`, (done) => this.producer.abortTransaction(this.options.timeoutMs, done));
  }

  async partitionCount(topic: string): Promise<number> {
    const context = `partition count of topic "${topic}" on ${this.where}`;
    await this.connect();
    const metadata = await this.bounded<Metadata>(context, (done) =>
      this.producer.getMetadata({ topic, allTopics: false, timeout: this.options.timeoutMs }, (error, data) => (error ? done(error) : done(undefined, data))),
    );
    const count = metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
    if (count === 0) throw new ValidationError(`${context}: unknown topic${this.options.sasl ? `, or application "${this.options.sasl.username}" is not authorized to describe it` : ''}`, { field: 'topic' });
    return count;
  }

  async disconnect(): Promise<void> {
    const consumers = [...this.groupConsumers.values()];
    this.groupConsumers.clear();
    await Promise.allSettled(consumers.map(async (attempt) => {
      const consumer = await attempt;
      await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
    }));
    this.producer.setPollInterval(0);
    if (this.producer.isConnected()) await new Promise<void>((resolve) => this.producer.disconnect(this.options.timeoutMs, () => resolve()));
    for (const call of this.calls) this.settle(call, new UnavailableError(`the transactional producer for ${this.where} was closed before delivery`));
  }

  private async produceAll(topic: string, call: Call, records: readonly TransportRecord[], deadline: number): Promise<void> {
    for (let index = 0; index < records.length && !call.settled; index++) {
      const { partition, value, key, timestamp, headers } = records[index]!;
      const opaque: Opaque = { call, index };
      const messageHeaders = headers && toHeaders(headers);
      for (;;) {
        try {
          this.producer.produce(topic, partition, value, key, timestamp === undefined ? null : Number(timestamp), opaque, messageHeaders);
          if (this.unreported++ === 0) this.producer.setPollInterval(POLL_INTERVAL_MS);
          break;
        } catch (error) {
          // The local queue is full: let librdkafka send and report, then try again in order.
          if (rdkafkaErrorCode(error) !== codes.ERR__QUEUE_FULL || remainingMs(deadline) === 0) throw error;
          this.producer.poll();
          await sleep(QUEUE_FULL_BACKOFF_MS);
        }
      }
    }
  }

  private onDelivery(error: unknown, report: DeliveryReport | undefined): void {
    if (this.unreported > 0 && --this.unreported === 0) this.producer.setPollInterval(0);
    const opaque = report?.opaque as Opaque | undefined;
    if (!report || !opaque || opaque.call.settled) return;
    const { call, index } = opaque;
    if (error) {
      this.settle(call, rdkafkaError(error, `send to topic "${report.topic}" in a transaction on ${this.where}`));
      return;
    }
    call.offsets[index] = report.offset;
    if (--call.remaining === 0) this.settle(call, undefined);
  }

  private settle(call: Call, error: unknown): void {
    if (call.settled) return;
    call.settled = true;
    this.calls.delete(call);
    if (error === undefined) call.resolve(call.offsets);
    else call.reject(error);
  }

  private groupConsumer(groupId: string, context: string): Promise<RdKafka.KafkaConsumer> {
    let attempt = this.groupConsumers.get(groupId);
    if (!attempt) {
      const consumer = new RdKafka.KafkaConsumer({ 'bootstrap.servers': this.where, ...rdkafkaSaslConfig(this.options.sasl), 'client.id': this.options.clientId, 'group.id': groupId, 'enable.auto.commit': false, log_level: 0 }, {});
      attempt = this.bounded(context, (done) => consumer.connect({ allTopics: false, timeout: this.options.timeoutMs }, (error) => done(error))).then(() => consumer);
      this.groupConsumers.set(groupId, attempt);
      attempt.catch(() => this.groupConsumers.delete(groupId));
    }
    return attempt;
  }

  /** A node-rdkafka callback call as a promise, bounded by the timeout, its failure as a FlotillaError naming `context`. */
  private bounded<T = void>(context: string, start: (done: (error: unknown, value?: T) => void) => unknown): Promise<T> {
    const work = new Promise<T>((resolve, reject) => {
      const done = (error: unknown, value?: T): void => (error ? reject(error) : resolve(value as T));
      Promise.resolve(start(done)).catch(reject);
    });
    const timeout = (): UnavailableError => new UnavailableError(`${context}: no answer within ${this.options.timeoutMs} ms`);
    // librdkafka bounds each call by the timeout itself; the margin lets its own error come first.
    return beforeDeadline(work, Date.now() + this.options.timeoutMs + 1_000, timeout).catch((error: unknown) => {
      throw rdkafkaError(error, context);
    });
  }
}
