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
// The work is done by parts with one job each; this class composes them:
//   pending-record  send() input → checked, sized records per target cluster
//   record-buffer   bounded bytes and records, the onFull policy
//   router          mapping → cluster lane, re-routing on a new version, one cluster in flight per topic
//   cluster-lane    one cluster: connect, queues, in-flight accounting, close
//   batcher         the one place that lingers and cuts requests
//   partition-assignment  partitions chosen as a request goes out (murmur2, sticky)
//   send-call       acknowledgements → KafkaJS-shaped RecordMetadata
//   producer-events KafkaJS' producer.on events, plus mapping.version and cluster.switch
//   transaction     KafkaJS' transactions, on their own path (transactional-producers, transaction-binding)
import { compressionRefusal, type Acks, type SaslCredentials, type TransportFactory } from '@flotilla/kafka';
import { clusterEndpoint } from '../cluster-endpoint';
import type { ClusterRef, CompiledMapping } from '@flotilla/mapping';
import { FlotillaError, ValidationError } from '@flotilla/errors';
import type { Registry } from '@flotilla/observability';
import type { MappingSource } from '../mapping-source';
import { WindowedCounts } from '../telemetry/windowed-counts';
import { streamOf } from '../streams/stream';
import { batchLimitsOf, type BatchShape } from './batcher';
import { ClusterLane, type LaneOptions } from './cluster-lane';
import { PartitionAssignment, RUN } from './partition-assignment';
import { stageSend, type PendingRecord } from './pending-record';
import { createProducerMetrics, type ProducerMetrics } from './producer-metrics';
import { PRODUCER_EVENTS, ProducerEvents, type ProducerRequestPayload } from './producer-events';
import type { InstrumentationEvent, RemoveInstrumentationEventListener } from '../consumer/consumer-events';
import { RecordBuffer } from './record-buffer';
import { Router } from './router';
import { SendCall, type AckTarget } from './send-call';
import type { Transaction } from './transaction';
import { transactionalSide, type TransactionalProducers } from './transactional-producers';
import type { BufferLimits, ProducerBatch, ProducerRecord, RecordMetadata } from './producer-types';

export interface MultiClusterProducerOptions {
  clientId: string;
  /** The application identity this producer runs as (reported in heartbeats). */
  application?: string;
  mapping: MappingSource;
  transport: TransportFactory;
  /** The application's Kafka credential: the client then connects to each cluster's authenticated listener. */
  sasl?: SaslCredentials | undefined;
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
   * Bytes per request to one topic: keys, values and headers, plus 20 per record for Kafka's
   * record format; a single larger record still goes alone. Keyless records of one request
   * share a partition. Default 1,048,088: what one record batch within the broker's default
   * message.max.bytes (1,048,588) holds.
   */
  maxBatchBytes?: number;
  /** Records in flight per cluster. */
  maxInFlightRecords?: number;
  /** KafkaJS' maxInFlightRequests: produce requests in flight per connection, left to the transport (5 by default). */
  maxInFlightRequests?: number;
  /** KafkaJS' transactionalId: given, transaction() begins transactions (see transaction.ts); plain sends stay as they are. */
  transactionalId?: string;
  /** KafkaJS' transactionTimeout: how long a transaction may stay open before the broker aborts it (60 s). */
  transactionTimeoutMs?: number;
  metrics?: Registry;
  /** Called when the mapping source refuses a version (the previous one stays in force). */
  onMappingRejected?: (error: Error) => void;
}

const DEFAULT_LINGER_MS = 5;
const DEFAULT_MAX_IN_FLIGHT_RECORDS = 20_000;
const DEFAULT_DELIVERY_TIMEOUT_MS = 10_000;

export class MultiClusterProducer {
  /** KafkaJS' `producer.events`, plus Flotilla's `MAPPING_VERSION` and `CLUSTER_SWITCH`. */
  readonly events = PRODUCER_EVENTS;
  private readonly emitter = new ProducerEvents();
  private readonly buffer: RecordBuffer;
  private readonly router: Router;
  private readonly partitions: PartitionAssignment;
  private readonly laneOptions: LaneOptions;
  private readonly counts = new WindowedCounts();
  private readonly metrics: ProducerMetrics | undefined;
  private readonly transactions: TransactionalProducers | undefined;
  /** The mapping version last reported as fully switched to (see clientInfo). */
  private settledVersion: number | undefined;
  private seq = 0;
  private connected = false;
  /** Every topic sent to: what cluster.switch compares between mapping versions. */
  private readonly topics = new Set<string>();

  constructor(private readonly options: MultiClusterProducerOptions) {
    const lingerMs = options.lingerMs ?? DEFAULT_LINGER_MS;
    const batchLimits = batchLimitsOf(options);
    // A Flotilla record is kept until acknowledged: acks 0 would never settle (and re-send forever).
    if (options.acks !== undefined && options.acks !== -1 && options.acks !== 1) {
      throw new ValidationError(`acks: expected -1 (all, idempotent) or 1 (the leader), got ${JSON.stringify(options.acks)}; 0 is not supported, the producer waits for every record's acknowledgement`, { field: 'acks' });
    }
    const maxInFlightRecords = options.maxInFlightRecords ?? DEFAULT_MAX_IN_FLIGHT_RECORDS;
    if (!(Number.isInteger(maxInFlightRecords) && maxInFlightRecords > 0)) {
      throw new ValidationError(`maxInFlightRecords: expected a positive integer, got ${String(maxInFlightRecords)}`, { field: 'maxInFlightRecords' });
    }
    this.laneOptions = { lingerMs, maxInFlightRecords, ...batchLimits };
    this.metrics = options.metrics ? createProducerMetrics(options.metrics) : undefined;
    this.buffer = new RecordBuffer(options.buffer, this.metrics);
    this.partitions = new PartitionAssignment(lingerMs);
    const { clientId, transactionalId, transactionTimeoutMs, maxInFlightRequests, transport } = options;
    const timeoutMs = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
    const committed = (topic: string, records: number): void => {
      this.topics.add(topic);
      this.counts.add(topic, records);
    };
    this.transactions = transactionalSide({ clientId, transactionalId, transactionTimeoutMs, maxInFlightRequests, timeoutMs, transport, sasl: options.sasl, acks: options.acks ?? -1, mapping: () => options.mapping.current()!, committed });
    this.router = new Router({
      openLane: (cluster) => this.openLane(cluster),
      unroutable: (record, error) => this.failRecords([record], error),
    });
  }

  /** Resolves once a mapping is known (from its source or the disk cache); never waits for Kafka. */
  async connect(): Promise<void> {
    const onRejected = this.options.onMappingRejected;
    await this.options.mapping.start({ onMapping: (mapping, previous) => this.onMapping(mapping, previous), ...(onRejected ? { onRejected } : {}) });
    this.connected = true;
    this.emitter.emit(PRODUCER_EVENTS.CONNECT, null);
  }

  /**
   * KafkaJS' `producer.on`: listens to one of `events` (others are refused at once); returns the
   * call that stops listening.
   */
  on(eventName: string, listener: (event: InstrumentationEvent<never>) => void): RemoveInstrumentationEventListener {
    return this.emitter.on(eventName, listener);
  }

  /**
   * A KafkaJS ProducerRecord: `{ topic, messages }` with KafkaJS' per-send `acks`, `timeout` and
   * `compression` (see SendOptions for what is refused). Objects of a @Stream class go through
   * `sendObject`.
   */
  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    if (!isProducerRecord(record)) {
      const given = typeof record === 'object' && record !== null ? `an object with keys ${Object.keys(record).join(', ') || 'none'}` : JSON.stringify(record);
      return Promise.reject(new ValidationError(`send: expected a ProducerRecord { topic, messages }, got ${given}; an instance of a @Stream class goes to sendObject()`, { field: 'record' }));
    }
    const { topic, messages, ...options } = record;
    return this.sendBatch({ topicMessages: [{ topic, messages }], ...options });
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

  /** KafkaJS' transaction(), for a producer given a transactionalId: on the one cluster its topics are on. */
  async transaction(): Promise<Transaction> {
    if (!this.transactions) throw new ValidationError('producer.transaction(): give the producer a transactionalId, as KafkaJS requires (flotilla.producer({ transactionalId }))', { field: 'transactionalId' });
    if (!this.connected) throw new ValidationError('transaction: call connect() first');
    return this.transactions.begin();
  }

  /** KafkaJS' isIdempotent(): the producer is idempotent exactly when acks is -1 (the default). */
  isIdempotent(): boolean {
    return (this.options.acks ?? -1) === -1;
  }

  /** Resolves when every record accepted so far is acknowledged or failed. */
  flush(): Promise<void> {
    return this.buffer.whenEmpty();
  }

  /** Flushes (bounded by `timeoutMs`), then closes every cluster connection. */
  async disconnect(options: { timeoutMs?: number } = {}): Promise<void> {
    await Promise.race([this.flush(), new Promise((resolve) => setTimeout(resolve, options.timeoutMs ?? 30_000).unref())]);
    this.connected = false;
    await this.transactions?.close();
    const gone = new FlotillaError('UNAVAILABLE', 'producer disconnected before the record was acknowledged');
    const lanes = this.router.removeAll();
    for (const lane of lanes) this.failRecords(lane.close(), gone);
    await Promise.all(lanes.map((lane) => lane.idle()));
    await this.options.mapping.stop();
    this.emitter.emit(PRODUCER_EVENTS.DISCONNECT, null);
  }

  /** Buffer usage: what waits for acknowledgement. */
  buffered(): { bytes: number; records: number; limits: BufferLimits } {
    return this.buffer.usage();
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
    if (current !== undefined && !this.router.inFlightOffTarget(current)) this.settledVersion = current.version;
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
    const call = new SendCall(this.sendOptionsOf(batch));
    // Nothing is queued before the whole call passed and was admitted: a call is refused whole.
    const { staged, count, bytes } = stageSend(batch, mapping, call, () => ++this.seq);
    if (count === 0) return Promise.resolve([]);
    this.buffer.admit(count, bytes, () => this.router.takeOldest());
    const done = call.start(count);
    for (const { cluster, topic, records } of staged) {
      this.topics.add(topic);
      const lane = this.router.laneFor(cluster);
      lane.append(topic, records);
      if (this.emitter.listened(PRODUCER_EVENTS.REQUEST_QUEUE_SIZE)) {
        this.emitter.emit(PRODUCER_EVENTS.REQUEST_QUEUE_SIZE, { broker: cluster.bootstrap.join(','), clientId: this.options.clientId, queueSize: lane.waiting + lane.inFlight, cluster: cluster.name });
      }
    }
    return done;
  }

  /**
   * Checks a send's KafkaJS options and returns its compression. `acks` other than the
   * producer's, `timeout` and a compression the transport cannot give are refused, never ignored.
   */
  private sendOptionsOf(batch: ProducerBatch): number {
    const acks = this.options.acks ?? -1;
    if (batch.acks !== undefined && batch.acks !== acks) {
      throw new ValidationError(
        batch.acks === 0
          ? 'send: acks 0 is not supported: the producer keeps every record until a cluster acknowledges it (and sends it again after an outage), which needs an acknowledgement'
          : `send: acks ${JSON.stringify(batch.acks)} differs from the producer's acks ${acks}: each cluster connection is made with the producer's acks (idempotent with -1), so give acks in flotilla.producer({ acks }) or leave it out of send()`,
        { field: 'acks' },
      );
    }
    if (batch.timeout !== undefined) {
      throw new ValidationError(
        `send: timeout ${JSON.stringify(batch.timeout)} is not supported per send: each request is bounded by the producer's delivery timeout, after which its records are sent again; leave timeout out`,
        { field: 'timeout' },
      );
    }
    const refusal = compressionRefusal(this.options.transport.kind, batch.compression);
    if (refusal) throw new ValidationError(`send: ${refusal}`, { field: 'compression' });
    return batch.compression ?? 0;
  }

  private openLane(cluster: ClusterRef): ClusterLane {
    const transport = this.options.transport.producer({
      ...clusterEndpoint(cluster, this.options.sasl),
      clientId: this.options.clientId,
      acks: this.options.acks ?? -1,
      deliveryTimeoutMs: this.options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS,
      ...(this.options.maxInFlightRequests === undefined ? {} : { maxInFlightRequests: this.options.maxInFlightRequests }),
    });
    return new ClusterLane(cluster, transport, this.laneOptions, {
      blocked: (topic, name) => this.router.blocked(topic, name),
      dispatch: (lane, topic, batch, shape) => {
        this.router.countInFlight(topic, lane.cluster.name, batch.length);
        void this.dispatch(lane, topic, batch, shape);
      },
    });
  }

  private async dispatch(lane: ClusterLane, topic: string, batch: PendingRecord[], shape: BatchShape): Promise<void> {
    const cluster = lane.cluster.name;
    const stickyKey = `${cluster}/${topic}`;
    /** The request's runs once its partitions are chosen and counted in flight. */
    let runs: number[] | undefined;
    let offsets: readonly number[] | undefined;
    let failure: FlotillaError | undefined;
    const createdAt = Date.now();
    try {
      offsets = await lane.send(topic, batch, (partitions) => {
        runs = this.partitions.assign(stickyKey, batch, partitions, shape.keylessBytes);
        this.metrics?.sent.inc({ cluster, topic }, batch.length);
      });
    } catch (error) {
      failure = FlotillaError.from(error);
    } finally {
      if (runs) this.partitions.unload(stickyKey, runs);
    }
    const rejected = failure !== undefined && (!failure.retryable || !this.connected);
    lane.settled(batch.length, offsets ? 'acknowledged' : rejected ? 'rejected' : 'unavailable');
    this.emitRequest(lane, topic, batch.length, shape.bytes, createdAt, offsets !== undefined);
    this.router.countInFlight(topic, cluster, -batch.length);

    if (offsets && runs) {
      // One acknowledgement per run: its first record's offset and its count.
      const target: AckTarget = { key: stickyKey, cluster, topic };
      for (let r = 0; r < runs.length; r += RUN) {
        const first = runs[r]!;
        batch[first]!.call.acknowledge(target, runs[r + 1]!, offsets[first]!, runs[r + 2]!);
      }
      this.counts.add(topic, batch.length);
      this.metrics?.acknowledged.inc({ cluster, topic }, batch.length);
      this.buffer.release(batch.length, shape.bytes);
    } else if (rejected && failure) {
      this.metrics?.failed.inc({ cluster, topic }, batch.length);
      this.failRecords(batch, failure);
    } else {
      // Outage or timeout: keep the records (the lane backs off) and send them wherever the
      // current mapping says — the same cluster, or the one traffic switched to.
      const mapping = this.options.mapping.current()!;
      for (const record of batch) this.router.route(mapping, record, lane);
    }
    lane.pump();
    // Other lanes may have been waiting for this topic to leave this cluster.
    this.router.wakeOthers(lane);
  }

  /**
   * REQUEST for an answered request; REQUEST_TIMEOUT for one that had no answer within the
   * delivery timeout (an outage fails sooner and is neither).
   */
  private emitRequest(lane: ClusterLane, topic: string, records: number, size: number, createdAt: number, answered: boolean): void {
    const duration = Date.now() - createdAt;
    const timedOut = !answered && duration >= (this.options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS);
    const name = answered ? PRODUCER_EVENTS.REQUEST : timedOut ? PRODUCER_EVENTS.REQUEST_TIMEOUT : undefined;
    if (name === undefined || !this.emitter.listened(name)) return;
    const payload: ProducerRequestPayload = {
      broker: lane.cluster.bootstrap.join(','),
      clientId: this.options.clientId,
      size,
      createdAt,
      sentAt: createdAt,
      pendingDuration: 0,
      duration,
      apiName: 'Produce',
      apiKey: 0,
      cluster: lane.cluster.name,
      topic,
      records,
    };
    this.emitter.emit(name, payload);
  }

  /** Records failed for good: their room goes back and their calls fail. */
  private failRecords(records: readonly PendingRecord[], error: Error): void {
    for (const record of records) {
      this.buffer.release(1, record.size);
      record.call.fail(error);
    }
  }

  private onMapping(mapping: CompiledMapping, previous: CompiledMapping | undefined): void {
    this.metrics?.mappingVersion.set(mapping.version);
    this.router.onMapping(mapping);
    this.transactions?.onMapping(mapping);
    this.emitter.emit(PRODUCER_EVENTS.MAPPING_VERSION, { version: mapping.version });
    if (!previous || !this.emitter.listened(PRODUCER_EVENTS.CLUSTER_SWITCH)) return;
    // The clusters this producer's topics are written to, before and after the version.
    const before = this.targetsOf(previous);
    const after = this.targetsOf(mapping);
    const added = [...after].filter((name) => !before.has(name)).sort();
    const removed = [...before].filter((name) => !after.has(name)).sort();
    if (added.length > 0 || removed.length > 0) this.emitter.emit(PRODUCER_EVENTS.CLUSTER_SWITCH, { version: mapping.version, added, removed });
  }

  private targetsOf(mapping: CompiledMapping): Set<string> {
    const names = new Set<string>();
    for (const topic of this.topics) for (const target of mapping.producerTargets(topic)) names.add(target.name);
    return names;
  }
}

function isProducerRecord(value: object): value is ProducerRecord {
  const candidate = value as Partial<ProducerRecord>;
  return typeof candidate.topic === 'string' && Array.isArray(candidate.messages);
}
