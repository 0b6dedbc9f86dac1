// ProducerTransport over node-rdkafka. librdkafka retries and times out (message.timeout.ms) by
// itself; this class correlates its per-record delivery reports with the send() call they belong
// to and turns their errors into FlotillaErrors.
//
// Correlation: an idempotent producer (acks=all, the default) reports a partition's successes in
// the order they were produced, so a queue per topic and partition pairs each report with its
// record. node-rdkafka's per-record `opaque` would do the same through a V8 persistent handle
// made and destroyed per record, a large share of a small record's cost. Failures break that
// order (librdkafka reports queued records that timed out or were purged at once, while earlier
// ones are still in flight), so the first error on a partition fails every call with a record
// still awaiting its report there: none can be acknowledged for another's record, and the smart
// client sends them again. acks=1 gives no order at all (a retried request can land after a
// later one), so it keeps the opaque.
//
// Compression: librdkafka sets compression.codec per client, so a send asking for a codec goes
// through a client of its own for that codec, opened on first use. A topic's call on another
// client than the topic's calls still in flight waits for them to settle, so records of
// consecutive calls still reach a partition in call order.
import RdKafka, { type DeliveryReport, type Metadata, type MessageHeader } from 'node-rdkafka';
import { UnavailableError, ValidationError } from '@flotilla/errors';
import { retry, type BackoffPolicy } from '@flotilla/retry';
import { setTimeout as sleep } from 'node:timers/promises';
import { beforeDeadline, remainingMs } from './deadline';
import { rdkafkaError, rdkafkaErrorCode } from './rdkafka-errors';
import { assertPartitions } from './record-checks';
import { compressionRefusal } from './compression';
import { rdkafkaSaslConfig, type HeaderValue, type ProducerTransport, type ProducerTransportOptions, type SendOptions, type TransportRecord } from './transport';

const codes = RdKafka.CODES.ERRORS;

/** librdkafka's compression.codec per CompressionTypes value (None, GZIP, Snappy, LZ4, ZSTD). */
const LIBRDKAFKA_CODECS: Readonly<Record<number, 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd'>> = { 0: 'none', 1: 'gzip', 2: 'snappy', 3: 'lz4', 4: 'zstd' };

/** Same grace as the kafkajs transport: a just-created topic may take a moment to propagate. */
const UNKNOWN_TOPIC_GRACE_MS = 2_000;
// Delivery reports are served only when the app polls; poll often while records are out. A
// send() resolves once its last record's report is served, so the wait between polls is added
// to every send's latency and, for an application that keeps a few sends outstanding, taken off
// its throughput. Polling costs CPU even when nothing comes back, so the poller runs only while
// some record awaits its report (see bench/RESULTS.md for the figures behind 1 ms).
const POLL_INTERVAL_MS = 1;
const QUEUE_FULL_BACKOFF_MS = 20;
/** Between connect attempts within one call's deadline. */
const CONNECT_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 1_000 };
/**
 * librdkafka's own linger, private to this transport: the caller batches and lingers, and hands
 * over each request whole, but produce() takes one record at a time. With linger.ms 0
 * librdkafka's thread could send the first few records of a request on their own while the
 * loop is still producing the rest, and such small requests would take up the idempotent
 * producer's five in flight. 2 ms covers the produce() loop of one request.
 */
const HANDOVER_LINGER_MS = 2;
/** The broker's default message.max.bytes: the largest record batch it accepts. */
const ONE_RECORD_BATCH_BYTES = 1_048_588;
/** A compressing client's bound on one uncompressed record (librdkafka's own default ceiling is 1e9). */
const COMPRESSED_MESSAGE_MAX_BYTES = 100 * 1_048_576;
// librdkafka checks message timeouts about once a second; a report later than this past the
// deadline means something below is stuck, and the caller must hear about it anyway.
const REPORT_GRACE_MS = 5_000;

interface Call {
  readonly topic: string;
  /** Each record's offset once reported, in input order. */
  readonly offsets: number[];
  remaining: number;
  settled: boolean;
  readonly resolve: (offsets: number[]) => void;
  readonly reject: (error: unknown) => void;
  timer?: NodeJS.Timeout;
}

/** A topic's latest send() call: its codec, and when it (with every earlier call) was handed to its client and settled. */
interface TopicTail {
  readonly codec: number;
  readonly handedOver: Promise<void>;
  readonly settled: Promise<unknown>;
}

/** Travels with each record through librdkafka and comes back in its delivery report (acks=1). */
interface Opaque {
  readonly call: Call;
  readonly index: number;
}

/**
 * One partition's records produced and not yet reported, oldest first (idempotent producer).
 * Kept as runs: a call's consecutive records on one partition are one entry (a keyless batch is
 * a single run), so neither producing nor pairing a report allocates per record.
 */
class ReportQueue {
  private calls: (Call | undefined)[] = [];
  /** Per run, the index of its next record to be reported. */
  private next: number[] = [];
  /** Per run, one past its last record's index. */
  private end: number[] = [];
  private head = 0;
  /**
   * The offset last reported here while records stayed in flight behind it (-1 once the queue
   * drained: a topic deleted and made again starts over at 0).
   */
  private lastOffset = -1;

  push(call: Call, index: number): void {
    const tail = this.calls.length - 1;
    if (tail >= this.head && this.calls[tail] === call && this.end[tail] === index) {
      this.end[tail] = index + 1;
      return;
    }
    this.calls.push(call);
    this.next.push(index);
    this.end.push(index + 1);
  }

  /** Every call with a record still awaiting its report here, oldest first (repeats included). */
  *waiting(): IterableIterator<Call> {
    for (let i = this.head; i < this.calls.length; i++) {
      const call = this.calls[i];
      if (call) yield call;
    }
  }

  /** The oldest record's call (its index is `index()`, read before the next `shift`). */
  peek(): Call | undefined {
    return this.calls[this.head];
  }

  index(): number {
    return this.next[this.head]!;
  }

  /**
   * Moves past the oldest record, delivered at `offset` (undefined when its report is an error).
   * Returns the offset reported before it while records stayed in flight (-1 if none).
   */
  shift(offset?: number): number {
    const previous = this.lastOffset;
    if (offset !== undefined) this.lastOffset = offset;
    const head = this.head;
    if (++this.next[head]! < this.end[head]!) return previous;
    this.calls[head] = undefined;
    this.head = head + 1;
    // Drop the reported front once it outweighs what is left, so memory follows the backlog.
    if (this.head === this.calls.length) {
      this.calls.length = this.next.length = this.end.length = this.head = 0;
      this.lastOffset = -1;
    } else if (this.head >= 1_024 && this.head * 2 >= this.calls.length) {
      this.calls = this.calls.slice(this.head);
      this.next = this.next.slice(this.head);
      this.end = this.end.slice(this.head);
      this.head = 0;
    }
    return previous;
  }
}

/**
 * One client's report queues per topic, then partition. A report names its topic in a string
 * node-rdkafka makes afresh for each report; asking the map would hash it every time, so the
 * last topic asked for is compared first (a producer mostly writes one topic at a time), and a
 * client that has only ever produced to one topic compares nothing: every report is that topic's.
 */
class TopicQueues {
  private readonly byTopic = new Map<string, ReportQueue[]>();
  private lastTopic: string | undefined;
  private last: ReportQueue[] = [];
  /** The queues of the one topic produced to so far; undefined once there is a second. */
  private only: ReportQueue[] | undefined;

  /** The queues a record produced to `topic` goes into. */
  of(topic: string): ReportQueue[] {
    if (topic === this.lastTopic) return this.last;
    let queues = this.byTopic.get(topic);
    if (!queues) {
      this.byTopic.set(topic, (queues = []));
      this.only = this.byTopic.size === 1 ? queues : undefined;
    }
    this.lastTopic = topic;
    this.last = queues;
    return queues;
  }

  /** The queues of a reported record's topic (a report comes only for a record produced here). */
  reported(topic: string): ReportQueue[] {
    return this.only ?? this.of(topic);
  }
}

export function rdkafkaProducer(options: ProducerTransportOptions): ProducerTransport {
  return new RdkafkaProducer(options);
}

class RdkafkaProducer implements ProducerTransport {
  readonly kind = 'rdkafka' as const;
  private readonly where: string;
  /** Per codec (CompressionTypes), the connected client or the attempt; cleared when the attempt fails. */
  private readonly clients = new Map<number, Promise<RdKafka.Producer>>();
  /** Per topic, its latest call: see TopicTail. */
  private readonly topicTail = new Map<string, TopicTail>();
  /** Clients that may still owe delivery reports (a replaced client keeps being polled). */
  private readonly live = new Set<RdKafka.Producer>();
  private readonly calls = new Set<Call>();
  /** Per client, per topic, per partition: the records awaiting a report (idempotent only). */
  private readonly reportQueues = new WeakMap<RdKafka.Producer, TopicQueues>();
  private readonly ordered: boolean;
  private unreported = 0;
  private poller: NodeJS.Timeout | undefined;
  /** Keeps records of consecutive send() calls in call order even when one waits on a full queue. */
  private producing: Promise<void> = Promise.resolve();
  private readonly partitionCounts = new Map<string, Promise<number>>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ProducerTransportOptions) {
    this.where = options.bootstrap.join(',');
    this.ordered = options.acks === -1;
  }

  async connect(): Promise<void> {
    this.assertOpen();
    await this.ready(Date.now() + this.options.deliveryTimeoutMs);
  }

  async send(topic: string, records: readonly TransportRecord[], options: SendOptions = {}): Promise<number[]> {
    this.assertOpen();
    assertPartitions(topic, records);
    const refusal = compressionRefusal(this.kind, options.compression);
    if (refusal) throw new ValidationError(`send to topic "${topic}": ${refusal}`, { field: 'compression' });
    for (const { headers } of records) if (headers) assertTextHeaders(topic, headers);
    if (records.length === 0) return [];
    const deadline = Date.now() + this.options.deliveryTimeoutMs;
    const codec = options.compression ?? 0;
    const tail = this.topicTail.get(topic);
    let settled!: () => void;
    let handOver!: () => void;
    const entry: TopicTail = {
      codec,
      settled: Promise.all([tail?.settled, new Promise<void>((resolve) => (settled = resolve))]),
      handedOver: new Promise<void>((resolve) => (handOver = resolve)),
    };
    this.topicTail.set(topic, entry);
    try {
      // The topic's earlier call goes to its client first; on another client it must also have
      // settled, as two clients keep no order between them (see the top).
      if (tail) {
        const earlier = tail.codec === codec ? tail.handedOver : tail.settled;
        await beforeDeadline(earlier, deadline, () => new UnavailableError(`${this.context(topic)}: earlier sends did not settle within ${this.options.deliveryTimeoutMs} ms`));
      }
      const sending = this.sendOn(await this.readyWithin(deadline, codec), topic, records, deadline);
      handOver();
      return await sending;
    } finally {
      handOver();
      settled();
      if (this.topicTail.get(topic) === entry) this.topicTail.delete(topic);
    }
  }

  private sendOn(producer: RdKafka.Producer, topic: string, records: readonly TransportRecord[], deadline: number): Promise<number[]> {
    return new Promise<number[]>((resolve, reject) => {
      const call: Call = { topic, offsets: new Array<number>(records.length), remaining: records.length, settled: false, resolve, reject };
      this.calls.add(call);
      call.timer = setTimeout(
        () => this.settle(call, new UnavailableError(`${this.context(topic)}: no delivery report within ${this.options.deliveryTimeoutMs} ms`)),
        remainingMs(deadline) + REPORT_GRACE_MS,
      );
      this.producing = this.producing
        .then(() => this.produceAll(producer, call, records, deadline))
        .catch((error: unknown) => this.settle(call, rdkafkaError(error, this.context(topic))));
    });
  }

  async partitionCount(topic: string, options: { refresh?: boolean } = {}): Promise<number> {
    this.assertOpen();
    const cached = options.refresh ? undefined : this.partitionCounts.get(topic);
    if (cached) return cached;
    const context = `partition count of topic "${topic}" on ${this.where}`;
    const lookup = (async () => {
      const deadline = Date.now() + this.options.deliveryTimeoutMs;
      const producer = await this.readyWithin(deadline);
      const metadata = await new Promise<Metadata>((resolve, reject) =>
        producer.getMetadata({ topic, allTopics: false, timeout: Math.max(1, remainingMs(deadline)) }, (error, data) => (error ? reject(rdkafkaError(error, context)) : resolve(data))),
      );
      const count = metadata.topics.find((t) => t.name === topic)?.partitions.length ?? 0;
      // librdkafka's metadata, as node-rdkafka hands it over, has no topic error: a topic this
      // application may not describe looks like one that does not exist.
      if (count === 0) throw new ValidationError(`${context}: unknown topic${this.options.sasl ? `, or application "${this.options.sasl.username}" is not authorized to describe it` : ''}`);
      return count;
    })();
    this.partitionCounts.set(topic, lookup);
    lookup.catch(() => {
      if (this.partitionCounts.get(topic) === lookup) this.partitionCounts.delete(topic);
    });
    return lookup;
  }

  disconnect(): Promise<void> {
    this.closing ??= (async () => {
      const clients = [...this.clients.values()];
      this.clients.clear();
      await Promise.all(clients.map((client) => client.catch(() => undefined)));
      // Producer.disconnect flushes first: what was accepted gets its chance to be delivered.
      const flushMs = Math.min(this.options.deliveryTimeoutMs, 10_000);
      await Promise.all([...this.live].map((producer) => new Promise<void>((resolve) => producer.disconnect(flushMs, () => resolve()))));
      this.live.clear();
      this.stopPolling();
      // Reports not served by now never will be; a send still producing must not poll again.
      this.unreported = 0;
      for (const call of this.calls) this.settle(call, new UnavailableError(`${this.context(call.topic)}: the producer was closed before delivery`));
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new UnavailableError(`the node-rdkafka producer for ${this.where} is closed`);
  }

  private context(topic: string): string {
    return `send to topic "${topic}" on ${this.where}`;
  }

  private ready(deadline: number, codec = 0): Promise<RdKafka.Producer> {
    let client = this.clients.get(codec);
    if (!client) {
      const attempt = this.open(Math.max(1_000, remainingMs(deadline)), codec);
      this.clients.set(codec, (client = attempt));
      attempt.catch(() => {
        if (this.clients.get(codec) === attempt) this.clients.delete(codec);
      });
    }
    return beforeDeadline(client, deadline, () => new UnavailableError(`connect to Kafka at ${this.where}: no answer within ${this.options.deliveryTimeoutMs} ms`));
  }

  /** Keeps trying to connect until the deadline: a failure before this call must not doom it. */
  private async readyWithin(deadline: number, codec = 0): Promise<RdKafka.Producer> {
    return retry(() => this.ready(deadline, codec), { backoff: CONNECT_BACKOFF, deadline });
  }

  private open(timeoutMs: number, codec: number): Promise<RdKafka.Producer> {
    const idempotent = this.options.acks === -1;
    const queues = new TopicQueues();
    const producer = new RdKafka.Producer(
      {
        'bootstrap.servers': this.options.bootstrap.join(','),
        ...rdkafkaSaslConfig(this.options.sasl),
        'client.id': this.options.clientId,
        'enable.idempotence': idempotent,
        'linger.ms': HANDOVER_LINGER_MS,
        'max.in.flight.requests.per.connection': this.options.maxInFlightRequests ?? 5,
        // A request handed over goes as one record batch: librdkafka would otherwise cut one of
        // 1,000 records of 1 KiB (the caller's default request size) at its 1,000,000-byte
        // default, and the small rest would take up one of the five requests in flight.
        'batch.size': ONE_RECORD_BATCH_BYTES,
        // librdkafka checks a record's uncompressed size against it; with a codec the broker
        // judges the compressed batch, so a large compressible record must not be refused here.
        'message.max.bytes': codec === 0 ? ONE_RECORD_BATCH_BYTES : COMPRESSED_MESSAGE_MAX_BYTES,
        // The public path for delivery reports: node-rdkafka emits 'delivery-report' for each
        // report served by poll() and calls this listener.
        dr_cb: (error: { message: string } | null | undefined, report: DeliveryReport | undefined) => this.onDelivery(queues, error, report),
        // Topics are created by workflows, never by a producer's first record.
        'allow.auto.create.topics': false,
        'topic.metadata.propagation.max.ms': Math.min(UNKNOWN_TOPIC_GRACE_MS, this.options.deliveryTimeoutMs),
        // Fail fast on an absent broker and come back fast when it returns.
        'socket.connection.setup.timeout.ms': Math.min(3_000, Math.max(1_000, this.options.deliveryTimeoutMs)),
        'reconnect.backoff.max.ms': 1_000,
        log_level: 0,
      },
      {
        // Idempotence implies acks=all; librdkafka refuses anything else with it.
        'request.required.acks': idempotent ? -1 : 1,
        'message.timeout.ms': this.options.deliveryTimeoutMs,
        'compression.codec': LIBRDKAFKA_CODECS[codec] ?? 'none',
      },
    );
    this.reportQueues.set(producer, queues);
    producer.on('event.error', (error) => {
      if (error.isFatal) this.retire(producer);
    });
    return new Promise((resolve, reject) => {
      // node-rdkafka asks for every topic's metadata on connect unless told otherwise; on a
      // cluster of thousands of topics that is a large answer nobody reads.
      producer.connect({ allTopics: false, timeout: timeoutMs }, (error) => {
        if (error) {
          reject(rdkafkaError(error, `connect to Kafka at ${this.where}`));
          return;
        }
        this.live.add(producer);
        resolve(producer);
      });
    });
  }

  /**
   * A fatal error (idempotence state lost) leaves a client unusable: later sends get a new one,
   * and this one is closed once its queued records had their time to be reported.
   */
  private retire(producer: RdKafka.Producer): void {
    for (const [codec, current] of this.clients) this.retireIf(producer, codec, current);
  }

  private retireIf(producer: RdKafka.Producer, codec: number, current: Promise<RdKafka.Producer>): void {
    void current.then((client) => {
      if (client !== producer || this.clients.get(codec) !== current) return;
      this.clients.delete(codec);
      setTimeout(() => {
        if (!this.live.delete(producer)) return;
        producer.disconnect(0, () => undefined);
      }, this.options.deliveryTimeoutMs + REPORT_GRACE_MS).unref();
    }, () => undefined);
  }

  private async produceAll(producer: RdKafka.Producer, call: Call, records: readonly TransportRecord[], deadline: number): Promise<void> {
    // Made in open(), before the client could produce; the delivery listener reads the same queues.
    const queues = this.ordered ? this.reportQueues.get(producer)!.of(call.topic) : undefined;
    try {
      for (let index = 0; index < records.length && !call.settled; index++) {
        const record = records[index] as TransportRecord;
        const opaque: Opaque | undefined = queues ? undefined : { call, index };
        const timestamp = record.timestamp === undefined ? null : Number(record.timestamp);
        const headers = record.headers ? toHeaders(record.headers) : undefined;
        for (;;) {
          try {
            producer.produce(call.topic, record.partition, record.value, record.key, timestamp, opaque, headers);
            if (queues) (queues[record.partition] ??= new ReportQueue()).push(call, index);
            this.unreported += 1;
            break;
          } catch (error) {
            // The local queue is full: let librdkafka hand out reports and send, then retry in order.
            if (rdkafkaErrorCode(error) === codes.ERR__UNKNOWN_PARTITION) throw unknownPartition(this.context(call.topic), record.partition, error);
            if (rdkafkaErrorCode(error) !== codes.ERR__QUEUE_FULL || remainingMs(deadline) === 0) throw error;
            this.startPolling();
            producer.poll();
            await sleep(QUEUE_FULL_BACKOFF_MS);
            // Failed meanwhile (another record's error, its deadline, disconnect): the caller
            // sends its records again, so this one must not also go out from here.
            if (call.settled) return;
          }
        }
      }
    } finally {
      // Reports are served only when polled: poll while any record produced awaits its report.
      if (this.unreported > 0) this.startPolling();
    }
  }

  private onDelivery(queues: TopicQueues, error: { message: string } | null | undefined, report: DeliveryReport | undefined): void {
    if (this.unreported > 0 && --this.unreported === 0) this.stopPolling();
    if (!report) return;
    let call: Call | undefined;
    let index = 0;
    if (this.ordered) {
      const queue = queues.reported(report.topic)[report.partition];
      call = queue?.peek();
      if (!queue || !call) return;
      index = queue.index();
      const previous = queue.shift(error ? undefined : report.offset);
      if (error) {
        // Out of order from here on (see the top): every call waiting on this partition fails.
        // Their entries stay, so the reports still to come pair up with settled calls only.
        const failure = this.deliveryError(error, call.topic, report.partition);
        this.settle(call, failure);
        for (const waiting of queue.waiting()) this.settle(waiting, failure);
        return;
      }
      // Reports in produce order carry rising offsets (the broker appends in that order); a
      // lower one means the order assumption broke, and the call fails rather than being
      // acknowledged for another record. Checked on the report alone: reading the paired record
      // back (its size, say) cost a cache miss per record on the producer's busiest path.
      if (call.settled) return;
      if (report.offset <= previous) {
        this.settle(call, new UnavailableError(`${this.context(call.topic)}: delivery report for partition ${report.partition} at offset ${report.offset} came after one at ${previous} (out of order)`));
        return;
      }
    } else {
      const opaque = report.opaque as Opaque | undefined;
      if (!opaque || opaque.call.settled) return;
      ({ call, index } = opaque);
      if (error) {
        this.settle(call, this.deliveryError(error, call.topic, report.partition));
        return;
      }
    }
    call.offsets[index] = report.offset;
    call.remaining -= 1;
    if (call.remaining === 0) this.settle(call, undefined);
  }

  private deliveryError(error: { message: string }, topic: string, partition: number | undefined): Error {
    const code = rdkafkaErrorCode(error);
    if (code === codes.ERR__MSG_TIMED_OUT) {
      return new UnavailableError(`${this.context(topic)}: not acknowledged within ${this.options.deliveryTimeoutMs} ms`, { cause: error });
    }
    if (code === codes.ERR__UNKNOWN_PARTITION && partition !== undefined) return unknownPartition(this.context(topic), partition, error);
    return rdkafkaError(error, this.context(topic));
  }

  private settle(call: Call, error: unknown): void {
    if (call.settled) return;
    call.settled = true;
    clearTimeout(call.timer);
    this.calls.delete(call);
    if (error === undefined) call.resolve(call.offsets);
    else call.reject(error);
  }

  private startPolling(): void {
    if (this.closing) return;
    this.poller ??= setInterval(() => {
      for (const producer of this.live) {
        try {
          producer.poll();
        } catch {
          // Disconnected meanwhile; its reports are not coming any more.
        }
      }
    }, POLL_INTERVAL_MS);
  }

  private stopPolling(): void {
    clearInterval(this.poller);
    this.poller = undefined;
  }
}

function unknownPartition(context: string, partition: number, cause: unknown): ValidationError {
  return new ValidationError(`${context}: partition ${partition} does not exist`, { field: 'partition', cause });
}

/**
 * node-rdkafka passes header values through a C string (its producer converts them with
 * toString() and copies up to the first NUL byte), so only UTF-8 text without NUL survives.
 * Anything else is refused rather than silently altered on the wire.
 */
export function assertTextHeaders(topic: string, headers: Record<string, HeaderValue>): void {
  for (const [name, values] of Object.entries(headers)) for (const value of Array.isArray(values) ? values : [values]) assertTextHeader(topic, name, value);
}

function assertTextHeader(topic: string, name: string, value: Buffer | string): void {
  const text = typeof value === 'string' ? value : value.toString('utf8');
  if (text.includes('\0') || (typeof value !== 'string' && !Buffer.from(text, 'utf8').equals(value))) {
    throw new ValidationError(
      `send to topic "${topic}": header "${name}" is not UTF-8 text without NUL: node-rdkafka's produce() passes header values as C strings (cut at the first NUL, re-encoded as UTF-8), so this transport cannot send it unaltered; use the kafkajs transport for binary headers`,
      { field: `headers.${name}` },
    );
  }
}

/** One header entry per value: an array value is the header repeated, in order. */
export function toHeaders(headers: Record<string, HeaderValue>): MessageHeader[] {
  return Object.entries(headers).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v) => ({ [name]: v })) : [{ [name]: value }]));
}
