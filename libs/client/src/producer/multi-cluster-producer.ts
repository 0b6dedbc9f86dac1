// A producer with the KafkaJS shape whose records follow the mapping: each topic goes to the
// sink cluster(s) of the current mapping version, per-cluster Kafka clients come and go as
// versions change, and an unavailable cluster never blocks the caller.
//
// Fail but never block: send() puts records in a bounded buffer and returns a promise that
// settles on acknowledgement; a full buffer rejects at once (BufferFullError) or evicts the
// oldest waiting records (drop-oldest). A record stays in the buffer until a cluster
// acknowledged it, so a switch of clusters (a move, a failover) re-sends whatever the old
// cluster did not acknowledge: nothing accepted is dropped unless the policy says so.
//
// Order: records of one topic are never in flight on two clusters at once. A lane starts a
// topic only when no other cluster still has that topic's records in flight, which is the
// "flush the old cluster before the first send to the new one" of a keyed handoff.

// Imported, not the global: Node defines globalThis.Buffer as a getter, and toBuffer reads it
// once per record.
import { Buffer } from 'node:buffer';
import type { Acks, ProducerTransport, TransportFactory, TransportRecord } from '@flotilla/kafka';
import type { ClusterRef, CompiledMapping } from '@flotilla/mapping';
import { FlotillaError, ValidationError } from '@flotilla/errors';
import { Counter, Gauge, type Registry } from '@flotilla/observability';
import { BufferFullError, RecordDroppedError } from '../errors/client-errors';
import type { MappingSource } from '../mapping-source';
import { StickyPartitioner } from '../partitioning/sticky-partitioner';
import { WindowedCounts } from '../telemetry/windowed-counts';
import { streamOf } from '../streams/stream';
import type { BufferLimits, Message, ProducerBatch, ProducerRecord, RecordMetadata } from './producer-types';

export interface MultiClusterProducerOptions {
  clientId: string;
  /** The application identity this producer runs as (reported in heartbeats). */
  application?: string;
  mapping: MappingSource;
  transport: TransportFactory;
  /** acks=all with idempotence by default; 1 is the explicit latency mode. */
  acks?: Acks;
  /**
   * How long a send waits for more records before its request goes out (default 5 ms); also
   * how long keyless records stay on one partition when they come in small sends.
   */
  lingerMs?: number;
  buffer?: Partial<BufferLimits>;
  /** One attempt's bound on a cluster before the records wait and retry. */
  deliveryTimeoutMs?: number;
  /** Records per request to one topic (default 1,000). */
  maxBatchRecords?: number;
  /**
   * Bytes per request to one topic: keys, values and headers, plus the transport's
   * `recordOverheadBytes` per record (20 over node-rdkafka, none over kafkajs); a single larger
   * record still goes alone. Keyless records of one request share a partition. Default: the
   * transport's `preferredBatchBytes` (999,500 over node-rdkafka, what one of librdkafka's
   * batches holds; 1 MiB over kafkajs), else 512 KiB.
   */
  maxBatchBytes?: number;
  /** Records in flight per cluster. */
  maxInFlightRecords?: number;
  metrics?: Registry;
  /** Called when the mapping source refuses a version (the previous one stays in force). */
  onMappingRejected?: (error: Error) => void;
}

/**
 * One record waiting for, or in flight to, one cluster. It is also the record handed to the
 * transport (`partition`, `key`, `value`, `headers`, `timestamp`): no copy per record on the way.
 */
interface Pending extends TransportRecord {
  seq: number;
  topic: string;
  headers: Record<string, Buffer | string> | undefined;
  timestamp: string | undefined;
  /** The partition the application asked for, if any; `partition` is chosen per dispatch. */
  requested: number | undefined;
  size: number;
  call: SendCall;
}

/**
 * One send() call: its promise settles when every record is acknowledged, or at the first
 * failure. One object per call rather than a closure per record keeps the hot path lean.
 *
 * It resolves as KafkaJS's send() does, with one RecordMetadata per partition the call's records
 * went to (per cluster here too), whose baseOffset is the offset of the call's first record
 * there. Acknowledgements come per run of records (a keyless batch is one run), so a record
 * costs neither an object nor an offset string of its own.
 */
class SendCall {
  /** Per cluster and topic (by `AckTarget.key`): the lowest offset acknowledged per partition. */
  private readonly firsts = new Map<string, { target: AckTarget; offsets: number[] }>();
  private lastKey = '';
  private last: number[] = [];
  private left = 0;
  private failed = false;
  private resolve: (results: RecordMetadata[]) => void = () => undefined;
  private reject: (error: Error) => void = () => undefined;

  /** Once the call's records are admitted: its promise, settled by `acknowledge` and `fail`. */
  start(count: number): Promise<RecordMetadata[]> {
    this.left = count;
    return new Promise<RecordMetadata[]>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** The call fails at its first failed record; later outcomes of its records are ignored. */
  fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.reject(error);
  }

  /** `count` of the call's records were acknowledged on `target`'s `partition`, the first at `offset`. */
  acknowledge(target: AckTarget, partition: number, offset: number, count: number): void {
    if (this.failed) return;
    if (target.key !== this.lastKey) {
      let entry = this.firsts.get(target.key);
      if (!entry) this.firsts.set(target.key, (entry = { target, offsets: [] }));
      this.lastKey = target.key;
      this.last = entry.offsets;
    }
    const known = this.last[partition];
    if (known === undefined || offset < known) this.last[partition] = offset;
    this.left -= count;
    if (this.left === 0) this.resolve(this.results());
  }

  private results(): RecordMetadata[] {
    const results: RecordMetadata[] = [];
    for (const { target, offsets } of this.firsts.values()) {
      offsets.forEach((offset, partition) => results.push({ topicName: target.topic, partition, errorCode: 0, baseOffset: String(offset), cluster: target.cluster }));
    }
    return results;
  }
}

/** Where a batch went: its cluster and topic, and `cluster/topic` as one key. */
interface AckTarget {
  readonly key: string;
  readonly cluster: string;
  readonly topic: string;
}

interface Lane {
  cluster: ClusterRef;
  transport: ProducerTransport;
  /** Records waiting (not in flight), per topic, in acceptance order. */
  queues: Map<string, Pending[]>;
  waiting: number;
  /** Per topic, settles once the latest batch has been handed to the transport. */
  issuing: Map<string, Promise<void>>;
  ready: boolean;
  closed: boolean;
  inFlight: number;
  backoffMs: number;
  retryAt: number;
  timer: NodeJS.Timeout | typeof MICROTASK | undefined;
  /**
   * Per topic, until when what is left of records cut to size waits for more to fill its
   * request (see pump); `holdTimer` pumps at the earliest of these.
   */
  holdUntil: Map<string, number>;
  holdTimer: NodeJS.Timeout | undefined;
}

/** A lane's `timer` while its pump waits for a microtask (nothing to clear). */
const MICROTASK = Symbol('microtask');

const DEFAULT_BUFFER: BufferLimits = { maxBytes: 64 * 1024 * 1024, maxRecords: 100_000, onFull: 'error' };
const DEFAULT_LINGER_MS = 5;
/** How much goes out in one request to one topic, and how much may be in flight per cluster. */
const DEFAULT_BATCHING = { maxBatchRecords: 1_000, maxBatchBytes: 512 * 1024, maxInFlightRecords: 20_000 };
type Batching = typeof DEFAULT_BATCHING;
/** The Java producer's default batch.size: keyless records move on after this much to one partition. */
const STICKY_BATCH_BYTES = 16 * 1024;

export class MultiClusterProducer {
  private readonly lanes = new Map<string, Lane>();
  private readonly limits: BufferLimits;
  private readonly batching: Batching;
  /** The transport's bytes per record beyond key, value and headers, counted against maxBatchBytes. */
  private readonly recordOverheadBytes: number;
  /** How long records that fill no request wait for more (the `lingerMs` option or its default). */
  private readonly lingerMs: number;
  /** Whether this producer holds sends that fill no request for its linger (see TransportFactory.handoverLingerMs). */
  private readonly lingersItself: boolean;
  /** The linger a lane's transport gets: ours, or the transport's short one when we linger ourselves. */
  private readonly transportLingerMs: number;
  /** Records in flight per `cluster/topic` and partition: the sticky partitioner's load. */
  private readonly inFlightByPartition = new Map<string, number[]>();
  private readonly partitioner: StickyPartitioner;
  private readonly counts = new WindowedCounts();
  private readonly inFlightByTopic = new Map<string, Map<string, number>>();
  /** The mapping version last reported as fully switched to (see clientInfo). */
  private settledVersion: number | undefined;
  private readonly flushWaiters: (() => void)[] = [];
  private bufferedBytes = 0;
  private bufferedRecords = 0;
  private seq = 0;
  private connected = false;
  private readonly metrics: ReturnType<typeof createProducerMetrics> | undefined;

  constructor(private readonly options: MultiClusterProducerOptions) {
    this.batching = batchingOf(options);
    this.recordOverheadBytes = options.transport.recordOverheadBytes ?? 0;
    const { handoverLingerMs } = options.transport;
    this.lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
    this.lingersItself = handoverLingerMs !== undefined;
    this.transportLingerMs = handoverLingerMs === undefined ? this.lingerMs : Math.min(this.lingerMs, handoverLingerMs);
    this.limits = { ...DEFAULT_BUFFER, ...options.buffer };
    // A keyless batch is complete, and the next one goes elsewhere, once its partition got
    // STICKY_BATCH_BYTES or the linger passed (the transport has sent it by then). Small sends
    // in quick succession therefore fill one partition's batch instead of one record each.
    this.partitioner = new StickyPartitioner({
      batchBytes: STICKY_BATCH_BYTES,
      lingerMs: this.lingerMs,
      load: (stickyKey, partition) => this.inFlightByPartition.get(stickyKey)?.[partition] ?? 0,
    });
    this.metrics = options.metrics ? createProducerMetrics(options.metrics) : undefined;
  }

  /** Resolves once a mapping is known (from its source or the disk cache); never waits for Kafka. */
  async connect(): Promise<void> {
    const onRejected = this.options.onMappingRejected;
    await this.options.mapping.start({ onMapping: (mapping) => this.onMapping(mapping), ...(onRejected ? { onRejected } : {}) });
    this.connected = true;
  }

  /** A KafkaJS ProducerRecord, or an instance of a class decorated with @Stream('topic'). */
  send(record: ProducerRecord | object): Promise<RecordMetadata[]> {
    if (isProducerRecord(record)) return this.sendBatch({ topicMessages: [record] });
    try {
      return this.sendObject(record);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    try {
      return this.accept(batch);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Sends an instance of a class decorated with @Stream('topic') to its stream's topic. */
  sendObject(object: object): Promise<RecordMetadata[]> {
    const { topic, key, value, headers } = streamOf(object);
    return this.send({ topic, messages: [{ key, value, ...(headers ? { headers } : {}) }] });
  }

  /** Resolves when every record accepted so far is acknowledged or failed. */
  flush(): Promise<void> {
    if (this.bufferedRecords === 0) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  /** Flushes (bounded by `timeoutMs`), then closes every cluster connection. */
  async disconnect(options: { timeoutMs?: number } = {}): Promise<void> {
    await Promise.race([this.flush(), new Promise((resolve) => setTimeout(resolve, options.timeoutMs ?? 30_000).unref())]);
    this.connected = false;
    const gone = new FlotillaError('UNAVAILABLE', 'producer disconnected before the record was acknowledged');
    const lanes = [...this.lanes.values()];
    this.lanes.clear();
    for (const lane of lanes) this.closeLane(lane, gone);
    await Promise.all(lanes.map((lane) => this.drainAndClose(lane)));
    await this.options.mapping.stop();
  }

  /** Buffer usage: what waits for acknowledgement. */
  buffered(): { bytes: number; records: number; limits: BufferLimits } {
    return { bytes: this.bufferedBytes, records: this.bufferedRecords, limits: this.limits };
  }

  /**
   * Identity, mapping version and per-topic counts per window, for heartbeats. The version is the
   * newest one this producer has fully switched to: while records sent under an older version are
   * still in flight to a cluster the current mapping no longer targets, the previous version is
   * reported. A topic move seals the source's end offsets once every producer reports the new
   * version, so a record still landing on the source must not count as switched.
   */
  clientInfo(): { clientId: string; application: string | undefined; mappingVersion: number | undefined; produces: string[]; counts: ReturnType<WindowedCounts['snapshot']> } {
    const current = this.options.mapping.current();
    if (current !== undefined && !this.inFlightOffTarget(current)) this.settledVersion = current.version;
    return {
      clientId: this.options.clientId,
      application: this.options.application,
      mappingVersion: this.settledVersion,
      produces: this.counts.topics(),
      counts: this.counts.snapshot(),
    };
  }

  private accept(batch: ProducerBatch): Promise<RecordMetadata[]> {
    if (!this.connected) throw new ValidationError('send: call connect() first');
    const mapping = this.options.mapping.current()!;
    const entries = batch.topicMessages;
    if (!Array.isArray(entries)) throw new ValidationError(`topicMessages: expected an array, got ${JSON.stringify(entries)}`, { field: 'topicMessages' });
    // One pass validates, converts and sizes every record into a Pending per target cluster.
    // Nothing is queued before the whole call passed and was admitted under the buffer limits,
    // so a call is refused whole (bad input, full buffer).
    const call = new SendCall();
    const staged: { cluster: ClusterRef; topic: string; pendings: Pending[] }[] = [];
    let count = 0;
    let bytes = 0;
    for (let t = 0; t < entries.length; t++) {
      const { topic, messages } = entries[t]!;
      if (typeof topic !== 'string' || topic.length === 0) throw new ValidationError(`topicMessages[${t}].topic: expected a topic name, got ${JSON.stringify(topic)}`, { field: 'topic' });
      if (!Array.isArray(messages) || messages.length === 0) throw new ValidationError(`${topic}: messages must be a non-empty array`, { field: 'messages' });
      const targets = mapping.producerTargets(topic);
      if (targets.length === 0) continue;
      const first: Pending[] = new Array<Pending>(messages.length);
      let topicBytes = 0;
      for (let i = 0; i < messages.length; i++) {
        const pending = this.pendingOf(messages[i]!, i, topic, call);
        first[i] = pending;
        topicBytes += pending.size;
        count += targets.length;
      }
      bytes += topicBytes * targets.length;
      staged.push({ cluster: targets[0]!, topic, pendings: first });
      // Further sink clusters get their own copy of each record, numbered right after it.
      for (let c = 1; c < targets.length; c++) {
        staged.push({ cluster: targets[c]!, topic, pendings: first.map((p) => ({ ...p, seq: ++this.seq })) });
      }
    }
    if (count === 0) return Promise.resolve([]);
    this.makeRoom(count, bytes);

    const done = call.start(count);
    for (const { cluster, topic, pendings } of staged) {
      const lane = this.laneFor(cluster);
      // New records carry the highest sequence numbers yet: they go at the end of the queue.
      const queue = lane.queues.get(topic);
      if (queue === undefined || queue.length === 0) lane.queues.set(topic, pendings);
      else for (const pending of pendings) queue.push(pending);
      lane.waiting += pendings.length;
      this.schedulePump(lane);
    }
    this.bufferedBytes += bytes;
    this.bufferedRecords += count;
    this.updateGauges();
    return done;
  }

  /**
   * Checks `messages[i]` and makes its Pending. The path an error names is built only on
   * failure: this runs once per record.
   */
  private pendingOf(message: Message, i: number, topic: string, call: SendCall): Pending {
    if (typeof message !== 'object' || message === null) throw new ValidationError(`messages[${i}]: expected a message object, got ${JSON.stringify(message)}`, { field: `messages[${i}]` });
    const key = toBuffer(message.key, i, 'key');
    const value = toBuffer(message.value, i, 'value');
    const requested = message.partition;
    if (requested !== undefined && (!Number.isInteger(requested) || requested < 0)) {
      throw new ValidationError(`messages[${i}].partition: expected a non-negative integer, got ${JSON.stringify(requested)}`, { field: `messages[${i}].partition` });
    }
    let headers: Record<string, Buffer | string> | undefined;
    let size = (key === null ? 0 : key.length) + (value === null ? 0 : value.length);
    if (message.headers !== undefined && message.headers !== null) {
      headers = message.headers;
      for (const [name, header] of Object.entries(headers)) {
        if (typeof header !== 'string' && !Buffer.isBuffer(header)) throw new ValidationError(`messages[${i}].headers.${name}: expected Buffer or string`, { field: `messages[${i}].headers` });
      }
      size += headersSize(headers);
    }
    return { seq: ++this.seq, topic, partition: -1, key, value, headers, timestamp: message.timestamp, requested, size, call };
  }

  /** All-or-nothing admission under the buffer limits. */
  private makeRoom(records: number, bytes: number): void {
    const fits = (): boolean => this.bufferedRecords + records <= this.limits.maxRecords && this.bufferedBytes + bytes <= this.limits.maxBytes;
    if (fits()) return;
    if (records > this.limits.maxRecords || bytes > this.limits.maxBytes || this.limits.onFull === 'error') {
      this.metrics?.rejected.inc(records);
      throw new BufferFullError({
        records: this.bufferedRecords,
        bytes: this.bufferedBytes,
        maxRecords: this.limits.maxRecords,
        maxBytes: this.limits.maxBytes,
        adding: { records, bytes },
      });
    }
    // drop-oldest: evict the oldest records not in flight, across every cluster.
    while (!fits()) {
      let oldest: { lane: Lane; queue: Pending[] } | undefined;
      for (const lane of this.lanes.values()) {
        for (const queue of lane.queues.values()) {
          if (queue.length > 0 && (!oldest || queue[0]!.seq < oldest.queue[0]!.seq)) oldest = { lane, queue };
        }
      }
      if (!oldest) {
        throw new BufferFullError({ records: this.bufferedRecords, bytes: this.bufferedBytes, maxRecords: this.limits.maxRecords, maxBytes: this.limits.maxBytes, adding: { records, bytes } });
      }
      const victim = oldest.queue.shift();
      oldest.lane.waiting -= 1;
      this.release(victim!);
      this.metrics?.dropped.inc({ cluster: oldest.lane.cluster.name, topic: victim!.topic });
      victim!.call.fail(new RecordDroppedError(victim!.topic, 'the producer buffer was full (policy drop-oldest)'));
    }
  }

  private laneFor(cluster: ClusterRef): Lane {
    let lane = this.lanes.get(cluster.name);
    if (lane && !lane.closed) return lane;
    lane = {
      cluster,
      transport: this.options.transport.producer({
        bootstrap: cluster.bootstrap,
        clientId: this.options.clientId,
        acks: this.options.acks ?? -1,
        lingerMs: this.transportLingerMs,
        deliveryTimeoutMs: this.options.deliveryTimeoutMs ?? 10_000,
      }),
      queues: new Map(),
      waiting: 0,
      issuing: new Map(),
      ready: false,
      closed: false,
      inFlight: 0,
      backoffMs: 0,
      retryAt: 0,
      timer: undefined,
      holdUntil: new Map(),
      holdTimer: undefined,
    };
    this.lanes.set(cluster.name, lane);
    void this.connectLane(lane);
    return lane;
  }

  private async connectLane(lane: Lane): Promise<void> {
    for (let delay = 200; !lane.closed; delay = Math.min(delay * 2, 5_000)) {
      try {
        await lane.transport.connect();
        lane.ready = true;
        this.pump(lane);
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
  }

  /** Inserts keeping the lane's queue in acceptance order (re-queued records go back in place). */
  private enqueue(lane: Lane, pending: Pending): void {
    lane.waiting += 1;
    let queue = lane.queues.get(pending.topic);
    if (!queue) lane.queues.set(pending.topic, (queue = []));
    if (queue.length === 0 || queue[queue.length - 1]!.seq < pending.seq) queue.push(pending);
    else {
      let lo = 0;
      let hi = queue.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (queue[mid]!.seq < pending.seq) lo = mid + 1;
        else hi = mid;
      }
      queue.splice(lo, 0, pending);
    }
    this.schedulePump(lane);
  }

  private schedulePump(lane: Lane, delayMs = 0): void {
    if (lane.timer || lane.closed) return;
    // Once the current job's microtasks ran: every record of the send() call is queued by then,
    // and so are those of the calls the same acknowledgement set off. Not on a later turn of the
    // event loop, which waits behind whatever else is due (a burst of delivery reports can hold
    // it for tens of milliseconds): a send() waits for no clock.
    if (delayMs <= 0) {
      lane.timer = MICROTASK;
      queueMicrotask(() => {
        // Closed meanwhile (closeLane clears it): nothing to pump.
        if (lane.timer !== MICROTASK) return;
        lane.timer = undefined;
        this.pump(lane);
      });
      return;
    }
    lane.timer = setTimeout(() => {
      lane.timer = undefined;
      this.pump(lane);
    }, delayMs);
  }

  /** Whether any record is in flight to a cluster that `mapping` no longer sends its topic to. */
  private inFlightOffTarget(mapping: CompiledMapping): boolean {
    for (const [topic, byCluster] of this.inFlightByTopic) {
      const targets = mapping.resolve('producer', topic) ?? [];
      for (const [cluster, count] of byCluster) if (count > 0 && !targets.some((target) => target.name === cluster)) return true;
    }
    return false;
  }

  private topicBlocked(topic: string, cluster: string): boolean {
    const byCluster = this.inFlightByTopic.get(topic);
    if (!byCluster) return false;
    for (const [other, count] of byCluster) if (other !== cluster && count > 0) return true;
    return false;
  }

  private pump(lane: Lane): void {
    if (!lane.ready || lane.closed) return;
    const wait = lane.retryAt - Date.now();
    if (wait > 0) return this.schedulePump(lane, wait);
    const { maxInFlightRecords, maxBatchRecords, maxBatchBytes } = this.batching;
    const { lingerMs } = this;
    let blocked = false;
    let now = 0;
    let nextHold = Number.POSITIVE_INFINITY;
    for (const [topic, queue] of lane.queues) {
      if (lane.inFlight >= maxInFlightRecords) break;
      if (queue.length === 0) {
        lane.queues.delete(topic);
        continue;
      }
      if (this.topicBlocked(topic, lane.cluster.name)) {
        blocked = true;
        continue;
      }
      let cut = false;
      while (queue.length > 0 && lane.inFlight < maxInFlightRecords) {
        const shape = batchAt(queue, maxBatchRecords, maxBatchBytes, this.recordOverheadBytes);
        // A batch of the whole queue (a send() of up to maxBatchRecords) takes its array as it is.
        const whole = shape.count === queue.length;
        // What is left of records cut to size waits, at most the linger, for the next send's
        // records to fill its request with: sent alone at once, each cut would add a small
        // request, and the sticky partitioner would pile those on the least loaded partition.
        if (whole && lingerMs > 0 && shape.count < maxBatchRecords) {
          now ||= Date.now();
          // Over a transport that is handed requests whole, a send that fills none waits here.
          if (cut || (this.lingersItself && !lane.holdUntil.has(topic))) lane.holdUntil.set(topic, now + lingerMs);
          const until = lane.holdUntil.get(topic) ?? 0;
          if (until > now) {
            nextHold = Math.min(nextHold, until);
            break;
          }
          lane.holdUntil.delete(topic);
        }
        cut = !whole;
        const batch = whole ? queue : queue.splice(0, shape.count);
        if (whole) lane.queues.delete(topic);
        lane.waiting -= batch.length;
        lane.inFlight += batch.length;
        this.countInFlight(topic, lane.cluster.name, batch.length);
        void this.dispatch(lane, topic, batch, shape);
        if (whole) break;
      }
    }
    // Records held back by another cluster's in-flight records of their topic: look again soon.
    if (blocked) this.schedulePump(lane, 5);
    // What is held goes alone once its wait is over, unless a later send's records took it along.
    clearTimeout(lane.holdTimer);
    lane.holdTimer =
      nextHold === Number.POSITIVE_INFINITY
        ? undefined
        : setTimeout(() => {
            lane.holdTimer = undefined;
            this.pump(lane);
          }, nextHold - now);
  }

  /** Adds (`sign` 1) or removes (-1) a batch's records, by its runs, from its partitions' in-flight counts. */
  private loadPartitions(stickyKey: string, runs: readonly number[], sign: 1 | -1): void {
    let counts = this.inFlightByPartition.get(stickyKey);
    if (!counts) this.inFlightByPartition.set(stickyKey, (counts = []));
    for (let r = 0; r < runs.length; r += RUN) {
      const partition = runs[r + 1]!;
      counts[partition] = (counts[partition] ?? 0) + sign * runs[r + 2]!;
    }
  }

  private countInFlight(topic: string, cluster: string, delta: number): void {
    let byCluster = this.inFlightByTopic.get(topic);
    if (!byCluster) this.inFlightByTopic.set(topic, (byCluster = new Map()));
    const next = (byCluster.get(cluster) ?? 0) + delta;
    if (next === 0) byCluster.delete(cluster);
    else byCluster.set(cluster, next);
  }

  private async dispatch(lane: Lane, topic: string, batch: Pending[], shape: BatchShape): Promise<void> {
    const cluster = lane.cluster.name;
    let offsets: readonly number[] | undefined;
    let failure: FlotillaError | undefined;
    const stickyKey = `${cluster}/${topic}`;
    /** The batch's runs once its partitions are chosen and counted in flight. */
    let loaded: number[] | undefined;
    // Batches of one topic reach the transport in acceptance order (the transport keeps call
    // order per partition); a later batch must not overtake one still looking up metadata.
    const previous = lane.issuing.get(topic) ?? Promise.resolve();
    let issued!: () => void;
    const handedOver = new Promise<void>((resolve) => (issued = resolve));
    lane.issuing.set(topic, handedOver);
    try {
      await previous;
      const partitions = await lane.transport.partitionCount(topic);
      // Keyless records of one batch share the sticky partition: ask the partitioner once, with
      // their bytes (a batch that fills the partition's share completes it).
      let sticky: number | undefined;
      const runs: number[] = [];
      let run = -RUN;
      let runCall: SendCall | undefined;
      for (let i = 0; i < batch.length; i++) {
        const p = batch[i]!;
        const partition = p.requested ?? (p.key === null ? (sticky ??= this.partitioner.partition(stickyKey, null, partitions, shape.keylessBytes)) : this.partitioner.partition(stickyKey, p.key, partitions));
        p.partition = partition;
        if (p.call === runCall && partition === runs[run + 1]) runs[run + 2]! += 1;
        else {
          run = runs.push(i, partition, 1) - RUN;
          runCall = p.call;
        }
      }
      this.metrics?.sent.inc({ cluster, topic }, batch.length);
      this.loadPartitions(stickyKey, runs, 1);
      loaded = runs;
      const sending = lane.transport.send(topic, batch);
      issued();
      offsets = await sending;
    } catch (error) {
      failure = FlotillaError.from(error);
    } finally {
      issued();
      if (lane.issuing.get(topic) === handedOver) lane.issuing.delete(topic);
      if (loaded) this.loadPartitions(stickyKey, loaded, -1);
    }
    lane.inFlight -= batch.length;
    this.countInFlight(topic, cluster, -batch.length);

    if (offsets && loaded) {
      lane.backoffMs = 0;
      // One acknowledgement per run: its first record's offset and its count.
      const target: AckTarget = { key: stickyKey, cluster, topic };
      for (let r = 0; r < loaded.length; r += RUN) {
        const first = loaded[r]!;
        batch[first]!.call.acknowledge(target, loaded[r + 1]!, offsets[first]!, loaded[r + 2]!);
      }
      // release() for the whole batch at once.
      this.bufferedBytes -= shape.bytes;
      this.bufferedRecords -= batch.length;
      this.counts.add(topic, batch.length);
      this.metrics?.acknowledged.inc({ cluster, topic }, batch.length);
    } else if (failure && (!failure.retryable || !this.connected)) {
      this.metrics?.failed.inc({ cluster, topic }, batch.length);
      for (const pending of batch) {
        this.release(pending);
        pending.call.fail(failure);
      }
    } else {
      // Outage or timeout: keep the records, back off this cluster, and send them wherever
      // the current mapping says — the same cluster, or the one traffic switched to.
      lane.backoffMs = Math.min(Math.max(lane.backoffMs * 2, 100), 2_000);
      lane.retryAt = Date.now() + lane.backoffMs;
      const mapping = this.options.mapping.current()!;
      for (const pending of batch) this.route(mapping, pending, lane);
    }
    this.updateGauges();
    this.notifyFlushed();
    this.pump(lane);
    // Other lanes may have been waiting for this topic to leave this cluster.
    for (const other of this.lanes.values()) if (other !== lane && other.waiting > 0) this.schedulePump(other);
  }

  /** Puts a waiting record on the lane of its topic's current target (or fails it). */
  private route(mapping: CompiledMapping, pending: Pending, current: Lane | undefined): void {
    const targets = mapping.resolve('producer', pending.topic);
    if (!targets || targets.length === 0) {
      this.release(pending);
      pending.call.fail(new ValidationError(`topic "${pending.topic}" is no longer in the mapping (version ${mapping.version})`, { field: 'topic' }));
      return;
    }
    const stay = current && targets.some((t) => t.name === current.cluster.name) && !current.closed;
    const lane = stay ? current : this.laneFor(targets[0]!);
    this.enqueue(lane, pending);
  }

  private onMapping(mapping: CompiledMapping): void {
    this.metrics?.mappingVersion.set(mapping.version);
    for (const lane of [...this.lanes.values()]) {
      const bootstrapChanged = mapping.clusters.has(lane.cluster.name) && mapping.clusters.get(lane.cluster.name)!.bootstrap.join(',') !== lane.cluster.bootstrap.join(',');
      if (bootstrapChanged) this.lanes.delete(lane.cluster.name);
      for (const [topic, queue] of lane.queues) {
        const stays = !bootstrapChanged && (mapping.resolve('producer', topic) ?? []).some((t) => t.name === lane.cluster.name);
        if (stays) continue;
        lane.queues.delete(topic);
        lane.holdUntil.delete(topic);
        lane.waiting -= queue.length;
        for (const pending of queue) this.route(mapping, pending, undefined);
      }
      // A cluster no longer in use, once its in-flight records are settled, is closed.
      if (bootstrapChanged || (!mapping.clusters.has(lane.cluster.name) && lane.waiting === 0)) {
        this.lanes.delete(lane.cluster.name);
        void this.drainAndClose(lane);
      }
    }
  }

  private async drainAndClose(lane: Lane): Promise<void> {
    while (lane.inFlight > 0) await new Promise((resolve) => setTimeout(resolve, 20));
    if (!lane.closed) this.closeLane(lane);
  }

  private closeLane(lane: Lane, failPendingWith?: FlotillaError): void {
    if (lane.closed && !failPendingWith) return;
    lane.closed = true;
    if (lane.timer && lane.timer !== MICROTASK) clearTimeout(lane.timer);
    lane.timer = undefined;
    clearTimeout(lane.holdTimer);
    lane.holdTimer = undefined;
    lane.holdUntil.clear();
    if (failPendingWith) {
      for (const queue of lane.queues.values()) {
        for (const pending of queue) {
          this.release(pending);
          pending.call.fail(failPendingWith);
        }
      }
      lane.queues.clear();
      lane.waiting = 0;
    }
    void lane.transport.disconnect().catch(() => undefined);
  }

  private release(pending: Pending): void {
    this.bufferedBytes -= pending.size;
    this.bufferedRecords -= 1;
  }

  private notifyFlushed(): void {
    if (this.bufferedRecords > 0) return;
    for (const waiter of this.flushWaiters.splice(0)) waiter();
  }

  private updateGauges(): void {
    this.metrics?.bufferedBytes.set(this.bufferedBytes);
    this.metrics?.bufferedRecords.set(this.bufferedRecords);
  }
}

function isProducerRecord(value: object): value is ProducerRecord {
  const candidate = value as Partial<ProducerRecord>;
  return typeof candidate.topic === 'string' && Array.isArray(candidate.messages);
}

/** The batching options with their defaults; zero or NaN would send nothing (or spin), so they are refused. */
function batchingOf(options: MultiClusterProducerOptions): Batching {
  const batching = { ...DEFAULT_BATCHING, maxBatchBytes: options.transport.preferredBatchBytes ?? DEFAULT_BATCHING.maxBatchBytes };
  for (const field of Object.keys(DEFAULT_BATCHING) as (keyof Batching)[]) {
    const value = options[field];
    if (value === undefined) continue;
    if (!(Number.isInteger(value) && value > 0)) throw new ValidationError(`${field}: expected a positive integer, got ${String(value)}`, { field });
    batching[field] = value;
  }
  return batching;
}

/** A batch cut from the head of a lane's queue for one topic. */
interface BatchShape {
  /** Its records: at most maxBatchRecords and, past the first record, maxBatchBytes (counting the transport's overhead per record). */
  count: number;
  /** Their sizes summed (what acknowledging the batch releases from the buffer). */
  bytes: number;
  /** Those of its keyless records without a requested partition, which share the sticky partition. */
  keylessBytes: number;
}

/**
 * Runs are a batch's stretches of one call's records on one partition, as `RUN` numbers each:
 * the index of the first record, the partition, the count. A keyless send is one run; each run
 * is acknowledged in one step and counted in flight in one step.
 */
const RUN = 3;

/** The batch at the head of `queue`, in one pass over its records. */
function batchAt(queue: readonly Pending[], maxRecords: number, maxBytes: number, recordOverhead: number): BatchShape {
  const limit = Math.min(queue.length, maxRecords);
  let bytes = 0;
  /** `bytes` with the transport's overhead per record: what maxBytes bounds. */
  let wireBytes = 0;
  let keylessBytes = 0;
  let count = 0;
  for (; count < limit; count++) {
    const { size, key, requested } = queue[count]!;
    wireBytes += size + recordOverhead;
    if (count > 0 && wireBytes > maxBytes) break;
    bytes += size;
    if (key === null && requested === undefined) keylessBytes += size;
  }
  return { count, bytes, keylessBytes };
}

/** A message's key or value as bytes; `i` and `part` name it in the error. */
function toBuffer(value: Buffer | string | null | undefined, i: number, part: 'key' | 'value'): Buffer | null {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value);
  const field = `messages[${i}].${part}`;
  throw new ValidationError(`${field}: expected Buffer, string or null, got ${typeof value}`, { field });
}

function headersSize(headers: Record<string, Buffer | string>): number {
  let size = 0;
  for (const [name, header] of Object.entries(headers)) size += name.length + header.length;
  return size;
}

function createProducerMetrics(registry: Registry) {
  const labelNames = ['cluster', 'topic'] as const;
  return {
    sent: new Counter({ name: 'flotilla_producer_records_sent_total', help: 'Records handed to a cluster', labelNames, registers: [registry] }),
    acknowledged: new Counter({ name: 'flotilla_producer_records_acknowledged_total', help: 'Records a cluster acknowledged', labelNames, registers: [registry] }),
    failed: new Counter({ name: 'flotilla_producer_records_failed_total', help: 'Records failed for good (rejected input)', labelNames, registers: [registry] }),
    dropped: new Counter({ name: 'flotilla_producer_records_dropped_total', help: 'Records evicted by the drop-oldest policy', labelNames, registers: [registry] }),
    rejected: new Counter({ name: 'flotilla_producer_records_rejected_total', help: 'Records refused because the buffer was full', registers: [registry] }),
    bufferedBytes: new Gauge({ name: 'flotilla_producer_buffered_bytes', help: 'Bytes waiting for acknowledgement', registers: [registry] }),
    bufferedRecords: new Gauge({ name: 'flotilla_producer_buffered_records', help: 'Records waiting for acknowledgement', registers: [registry] }),
    mappingVersion: new Gauge({ name: 'flotilla_producer_mapping_version', help: 'Mapping version in use', registers: [registry] }),
  };
}
