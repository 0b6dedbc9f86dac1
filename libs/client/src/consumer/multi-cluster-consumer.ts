// A consumer with the KafkaJS shape that reads each subscribed topic from every cluster the
// mapping lists for it, and follows the mapping as it changes: clusters are added and
// removed under a running consumer, subscriptions survive, and keyed handoffs keep per-key
// order. One consumer group per cluster, all with the same group id. The parts: what subscribe
// checks (subscribed-topics.ts), which topics are read where (topics-by-cluster.ts), one lane per
// cluster (cluster-lane.ts), how many handlers run at once (handler-slots.ts), the handler call
// (deliver-batch.ts), the keyed-handoff wait (handoff-gate.ts), what the application paused
// (paused-topics.ts) and the events (consumer-events.ts).
import { setTimeout as sleep } from 'node:timers/promises';
import { type ConsumedBatch, type ConsumerTransportOptions, type GroupDescription, type GroupEvent, type SaslCredentials, type TransportFactory } from '@flotilla/kafka';
import { clusterEndpoint } from '../cluster-endpoint';
import { clusterTopicLister } from './list-cluster-topics';
import type { CompiledMapping } from '@flotilla/mapping';
import { ValidationError } from '@flotilla/errors';
import { retry } from '@flotilla/retry';
import type { MappingSource } from '../mapping-source';
import { KafkaJSNumberOfRetriesExceeded } from '../errors/kafkajs-errors';
import { WindowedCounts } from '../telemetry/windowed-counts';
import { ClusterLane } from './cluster-lane';
import { CONSUMER_EVENTS, ConsumerEvents, type InstrumentationEvent, type RemoveInstrumentationEventListener } from './consumer-events';
import type {
  ClusterTopicPartitionOffset,
  ConsumerRetry,
  ConsumerRunConfig,
  ConsumerSubscribeTopics,
  OffsetsByTopicPartition,
  TopicPartitions,
} from './consumer-types';
import { batchEventPayload, countHandled, deliverBatch, newProgress } from './deliver-batch';
import { HandlerSlots } from './handler-slots';
import { HandoffGate } from './handoff-gate';
import { PausedTopics } from './paused-topics';
import { checkSubscription, type ListTopics } from './subscribed-topics';
import { topicsByCluster, type Subscription } from './topics-by-cluster';

/** KafkaJS' defaults for a failing handler: five retries from 300 ms, doubling up to 30 s. */
export const DEFAULT_RETRY: Required<Omit<ConsumerRetry, 'restartOnFailure'>> = { retries: 5, initialRetryTime: 300, maxRetryTime: 30_000 };
/** A lane whose run() failed (a topic deleted, a cluster away) starts again after this. */
const LANE_RESTART_MS = 5_000;

export type ConsumerTuning = Pick<
  ConsumerTransportOptions,
  'sessionTimeoutMs' | 'heartbeatIntervalMs' | 'rebalanceTimeoutMs' | 'maxBytesPerPartition' | 'minBytes' | 'maxBytes' | 'maxWaitTimeMs'
>;

export interface MultiClusterConsumerOptions {
  groupId: string;
  clientId?: string;
  mapping: MappingSource;
  transport: TransportFactory;
  /** The application's Kafka credential: the client then connects to each cluster's authenticated listener. */
  sasl?: SaslCredentials | undefined;
  /** @deprecated Give `tuning.sessionTimeoutMs`. */
  sessionTimeoutMs?: number;
  /** Group and fetch tuning applied on every cluster (KafkaJS' consumer options). */
  tuning?: ConsumerTuning;
  /** What a failing handler gets before `consumer.crash` (KafkaJS' `retry`). */
  retry?: ConsumerRetry;
  /** The topics of a cluster, for subscribe's checks; by default asked of the cluster. */
  listTopics?: ListTopics;
}

export class MultiClusterConsumer {
  /** KafkaJS' `consumer.events`, plus Flotilla's `MAPPING_VERSION` and `CLUSTER_SWITCH`. */
  readonly events = CONSUMER_EVENTS;
  private readonly subscriptions: Subscription[] = [];
  private readonly lanes = new Map<string, ClusterLane>();
  private readonly gate: HandoffGate;
  private readonly counts = new WindowedCounts();
  private readonly emitter = new ConsumerEvents();
  private config: ConsumerRunConfig | undefined;
  private slots = new HandlerSlots(1);
  private running = false;
  /** Aborted by stop(): ends a handler's retry wait at once. */
  private stopping = new AbortController();
  private connected = false;
  private mappingVersion: number | undefined;
  /** When offsets were last committed, for run()'s autoCommitInterval. */
  private lastCommitAt = Date.now();
  /** Mapping changes are applied one at a time, in the order they arrive. */
  private applying: Promise<void> = Promise.resolve();
  private readonly pausedTopics = new PausedTopics();
  /** Each cluster's group assignment of this consumer: what a whole-topic pause covers in paused(). */
  private readonly assignments = new Map<string, Record<string, number[]>>();

  constructor(private readonly options: MultiClusterConsumerOptions) {
    this.gate = new HandoffGate(async (cluster, topic) => {
      const lane = this.lanes.get(cluster);
      return lane && !lane.closed ? lane.transport.committed(topic) : undefined;
    });
  }

  /** KafkaJS' `consumer.on`: listens to one of `events`; returns the call that stops listening. */
  on(eventName: string, listener: (event: InstrumentationEvent<never>) => void): RemoveInstrumentationEventListener {
    return this.emitter.on(eventName, listener);
  }

  async connect(): Promise<void> {
    await this.options.mapping.start({
      onMapping: (mapping) => {
        this.noteVersion(mapping);
        if (this.running) this.schedule();
      },
    });
    const mapping = this.options.mapping.current();
    if (mapping) this.noteVersion(mapping);
    this.connected = true;
    this.emitter.emit(CONSUMER_EVENTS.CONNECT, null);
  }

  /**
   * Rejects with a ValidationError when a named topic is placed on no cluster, or is missing on
   * a cluster the mapping reads it from (a cluster that cannot be asked now is not checked).
   */
  async subscribe(subscription: ConsumerSubscribeTopics): Promise<void> {
    const patterns = [...(subscription.topic === undefined ? [] : [subscription.topic]), ...(subscription.topics ?? [])];
    if (patterns.length === 0) throw new ValidationError('subscribe: give "topic" or "topics"', { field: 'topic' });
    for (const pattern of patterns) {
      if (typeof pattern !== 'string' && !(pattern instanceof RegExp)) {
        throw new ValidationError(`subscribe: a topic is a string or a RegExp, got ${typeof pattern}`, { field: 'topics' });
      }
    }
    const mapping = this.options.mapping.current();
    const checked = mapping ? await checkSubscription(mapping, patterns, this.options.listTopics ?? clusterTopicLister(this.options.sasl)) : patterns;
    for (const pattern of checked) this.subscriptions.push({ pattern, fromBeginning: subscription.fromBeginning ?? false });
    if (this.running) this.schedule();
  }

  async run(config: ConsumerRunConfig): Promise<void> {
    if (!this.connected) throw new ValidationError('run: call connect() first');
    if (!config.eachBatch === !config.eachMessage) throw new ValidationError('run: give exactly one of eachMessage or eachBatch');
    const concurrency = config.partitionsConsumedConcurrently ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new ValidationError(`run: partitionsConsumedConcurrently must be a positive integer, got ${String(concurrency)}`, { field: 'partitionsConsumedConcurrently' });
    }
    for (const name of ['autoCommitInterval', 'autoCommitThreshold'] as const) {
      const value = config[name];
      if (value !== undefined && value !== null && (!Number.isInteger(value) || value < 1)) {
        throw new ValidationError(`run: ${name} must be a positive integer or null, got ${String(value)}`, { field: name });
      }
    }
    this.config = config;
    this.slots = new HandlerSlots(concurrency);
    this.stopping = new AbortController();
    this.running = true;
    this.schedule();
    await this.applying;
  }

  /** Commits on the cluster named in each offset, or on the only cluster that reads the topic. */
  async commitOffsets(offsets: readonly ClusterTopicPartitionOffset[]): Promise<void> {
    const byCluster = new Map<string, ClusterTopicPartitionOffset[]>();
    for (const offset of offsets) {
      const cluster = offset.cluster ?? this.onlyClusterOf(offset.topic);
      byCluster.set(cluster, [...(byCluster.get(cluster) ?? []), offset]);
    }
    await Promise.all(
      [...byCluster].map(async ([cluster, list]) => {
        const lane = this.lanes.get(cluster);
        if (!lane) throw new ValidationError(`commitOffsets: not reading from cluster "${cluster}"`, { field: 'cluster' });
        await this.commitOn(lane, list);
      }),
    );
  }

  pause(topics: readonly TopicPartitions[]): void {
    this.pausedTopics.pause(topics);
    for (const lane of this.lanes.values()) lane.transport.pause(topics.filter((t) => lane.topics.includes(t.topic)));
  }

  resume(topics: readonly TopicPartitions[]): void {
    this.pausedTopics.resume(topics, (topic) => this.assignedPartitions(topic));
    for (const lane of this.lanes.values()) lane.transport.resume(topics.filter((t) => lane.topics.includes(t.topic)));
  }

  /**
   * KafkaJS' `paused()`: a topic paused as a whole lists the partitions assigned to this consumer
   * on any cluster (partition numbers, as KafkaJS gives them, not told apart by cluster).
   */
  paused(): TopicPartitions[] {
    return this.pausedTopics.list((topic) => this.assignedPartitions(topic));
  }

  private assignedPartitions(topic: string): number[] {
    return [...new Set([...this.assignments.values()].flatMap((assignment) => assignment[topic] ?? []))];
  }

  seek(target: ClusterTopicPartitionOffset): void {
    const cluster = target.cluster ?? this.onlyClusterOf(target.topic);
    const lane = this.lanes.get(cluster);
    if (!lane) throw new ValidationError(`seek: not reading from cluster "${cluster}"`, { field: 'cluster' });
    lane.transport.seek({ topic: target.topic, partition: target.partition, offset: target.offset });
  }

  /**
   * KafkaJS' `describeGroup()` for a consumer that reads one cluster, with its `cluster`. There is
   * one group per cluster read: with several, it refuses and names them (see describeGroups()).
   */
  async describeGroup(): Promise<GroupDescription & { cluster: string }> {
    const lanes = [...this.lanes.values()];
    if (lanes.length !== 1) {
      const reads = lanes.length === 0 ? 'no cluster yet (call run() first)' : `clusters ${lanes.map((l) => `"${l.cluster}"`).join(', ')}, a group on each`;
      throw new ValidationError(`describeGroup: the consumer reads ${reads}; describeGroups() describes the group on every cluster`);
    }
    return { ...(await lanes[0]!.transport.describeGroup()), cluster: lanes[0]!.cluster };
  }

  /** The group on each cluster the consumer reads, as its coordinator describes it. */
  async describeGroups(): Promise<(GroupDescription & { cluster: string })[]> {
    return Promise.all([...this.lanes.values()].map(async (lane) => ({ ...(await lane.transport.describeGroup()), cluster: lane.cluster })));
  }

  /** Clusters currently read, with their topics (for heartbeats and tests). */
  assignment(): { cluster: string; topics: string[] }[] {
    return [...this.lanes.values()].map((lane) => ({ cluster: lane.cluster, topics: [...lane.topics] }));
  }

  /** Identity, mapping version and per-topic counts per window, for heartbeats. */
  clientInfo(): { groupId: string; mappingVersion: number | undefined; consumes: string[]; counts: ReturnType<WindowedCounts['snapshot']> } {
    return {
      groupId: this.options.groupId,
      mappingVersion: this.options.mapping.current()?.version,
      consumes: [...new Set([...this.lanes.values()].flatMap((l) => l.topics))].sort(),
      counts: this.counts.snapshot(),
    };
  }

  /** KafkaJS' `stop()`: leaves every cluster's group and stops handing out batches; run() starts again. */
  async stop(): Promise<void> {
    const wasRunning = this.running;
    this.running = false;
    this.stopping.abort();
    await this.applying.catch(() => undefined);
    const closing = [...this.lanes.values()];
    this.lanes.clear();
    this.assignments.clear();
    await Promise.all(closing.map((lane) => lane.close()));
    if (closing.length > 0) this.emitter.emit(CONSUMER_EVENTS.CLUSTER_SWITCH, { version: this.mappingVersion, added: [], removed: closing.map((l) => l.cluster).sort() });
    if (wasRunning) this.emitter.emit(CONSUMER_EVENTS.STOP, null);
  }

  async disconnect(): Promise<void> {
    await this.stop();
    if (!this.connected) return;
    await this.options.mapping.stop();
    this.connected = false;
    this.emitter.emit(CONSUMER_EVENTS.DISCONNECT, null);
  }

  private noteVersion(mapping: CompiledMapping): void {
    if (mapping.version === this.mappingVersion) return;
    this.mappingVersion = mapping.version;
    this.emitter.emit(CONSUMER_EVENTS.MAPPING_VERSION, { version: mapping.version });
  }

  private onlyClusterOf(topic: string): string {
    const clusters = [...this.lanes.values()].filter((l) => l.topics.includes(topic)).map((l) => l.cluster);
    if (clusters.length !== 1) {
      throw new ValidationError(`topic "${topic}" is read from ${clusters.length === 0 ? 'no cluster' : `clusters ${clusters.join(', ')}`}; name the cluster`, {
        field: 'cluster',
      });
    }
    return clusters[0]!;
  }

  private async commitOn(lane: ClusterLane, offsets: readonly { topic: string; partition: number; offset: string }[]): Promise<void> {
    await lane.transport.commit(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
    this.lastCommitAt = Date.now();
    if (!this.emitter.listened(CONSUMER_EVENTS.COMMIT_OFFSETS)) return;
    const topics = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, offset } of offsets) topics.set(topic, [...(topics.get(topic) ?? []), { partition, offset }]);
    this.emitter.emit(CONSUMER_EVENTS.COMMIT_OFFSETS, {
      cluster: lane.cluster,
      groupId: this.options.groupId,
      // The member id and generation are each cluster's transport's, not the consumer's.
      memberId: '',
      groupGenerationId: -1,
      topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })),
    });
  }

  private schedule(): void {
    this.applying = this.applying.then(() => this.apply()).catch(() => undefined);
  }

  private async apply(): Promise<void> {
    const mapping = this.options.mapping.current();
    if (!this.running || !mapping) return;
    const desired = topicsByCluster(mapping, this.subscriptions);
    const added: string[] = [];
    const removed: string[] = [];
    for (const [cluster, lane] of this.lanes) {
      if (!desired.has(cluster)) {
        this.lanes.delete(cluster);
        this.assignments.delete(cluster);
        removed.push(cluster);
        await lane.close();
      }
    }
    for (const [cluster, topics] of desired) {
      const lane = this.lanes.get(cluster);
      if (!lane) {
        if (this.openLane(mapping, cluster, topics)) added.push(cluster);
      } else if (lane.topics.join('\n') !== topics.join('\n')) {
        lane.topics = topics;
        void lane.connected.then(() => this.startLane(lane));
      }
    }
    if (added.length + removed.length > 0) {
      this.emitter.emit(CONSUMER_EVENTS.CLUSTER_SWITCH, { version: mapping.version, added: added.sort(), removed: removed.sort() });
    }
  }

  private openLane(mapping: CompiledMapping, cluster: string, topics: string[]): boolean {
    const ref = mapping.clusters.get(cluster);
    if (!ref) return false;
    const transport = this.options.transport.consumer({
      ...clusterEndpoint(ref, this.options.sasl),
      clientId: this.options.clientId ?? `flotilla-consumer-${this.options.groupId}`,
      groupId: this.options.groupId,
      fromBeginning: this.subscriptions.some((s) => s.fromBeginning),
      ...(this.options.sessionTimeoutMs ? { sessionTimeoutMs: this.options.sessionTimeoutMs } : {}),
      ...this.options.tuning,
      onGroupEvent: (event) => this.onGroupEvent(cluster, event),
    });
    this.lanes.set(cluster, new ClusterLane(cluster, transport, topics, (lane) => this.startLane(lane)));
    return true;
  }

  /** Starts (or restarts) reading the lane's topics; a failure is reported as a crash and retried, never thrown. */
  private async startLane(lane: ClusterLane): Promise<void> {
    if (lane.closed || !this.running) return;
    try {
      await lane.transport.run(lane.topics, (batch) => this.handle(lane, batch));
    } catch (error) {
      if (lane.closed || !this.running) return;
      this.emitter.emit(CONSUMER_EVENTS.CRASH, { cluster: lane.cluster, error, groupId: this.options.groupId, restart: true });
      await sleep(LANE_RESTART_MS, undefined, { signal: this.stopping.signal }).catch(() => undefined);
      return this.startLane(lane);
    }
    const paused = this.pausedTopics.of(lane.topics);
    if (paused.length > 0) lane.transport.pause(paused);
  }

  private async handle(lane: ClusterLane, batch: ConsumedBatch): Promise<void> {
    const config = this.config;
    if (!config || lane.closed) return;
    const isRunning = (): boolean => this.running && !lane.closed;
    await this.gate.wait(() => this.options.mapping.current(), lane.cluster, batch.topic, batch.partition, isRunning);
    if (!isRunning()) throw new Error('consumer stopped while waiting for a handoff');
    await this.slots.run(async () => {
      // Paused while it waited for a slot: not delivered now, read again from its start after resume().
      if (this.pausedTopics.isPaused(batch.topic, batch.partition)) {
        const first = batch.records[0];
        if (first && isRunning()) lane.transport.seek({ topic: batch.topic, partition: batch.partition, offset: first.offset });
        return;
      }
      await this.handleInSlot(config, lane, batch, isRunning);
    });
  }

  private async handleInSlot(config: ConsumerRunConfig, lane: ClusterLane, batch: ConsumedBatch, isRunning: () => boolean): Promise<void> {
    const autoCommit = config.autoCommit ?? true;
    const progress = newProgress();
    const retryOptions = { ...DEFAULT_RETRY, ...this.options.retry };
    const { topic, partition } = batch;
    const context = {
      cluster: lane.cluster,
      isRunning,
      isStale: () => lane.closed,
      autoCommit,
      commitDue: (uncommitted: bigint) =>
        (config.autoCommitInterval != null && Date.now() >= this.lastCommitAt + config.autoCommitInterval) ||
        (config.autoCommitThreshold != null && uncommitted >= BigInt(config.autoCommitThreshold)),
      commit: (offsets: OffsetsByTopicPartition) =>
        this.commitOn(
          lane,
          offsets.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.topic, partition: p.partition, offset: p.offset }))),
        ),
      pause: () => {
        lane.transport.pause([{ topic, partitions: [partition] }]);
        return () => lane.transport.resume([{ topic, partitions: [partition] }]);
      },
    };
    this.emitBatchEvent(CONSUMER_EVENTS.FETCH_START, lane, batch, undefined);
    const startedAt = Date.now();
    this.emitBatchEvent(CONSUMER_EVENTS.START_BATCH_PROCESS, lane, batch, undefined);
    let failure: unknown;
    try {
      await retry(() => deliverBatch(config, batch, context, progress), {
        backoff: { initialMs: retryOptions.initialRetryTime, maxMs: retryOptions.maxRetryTime },
        maxAttempts: retryOptions.retries + 1,
        retryIf: () => isRunning(),
        signal: this.stopping.signal,
      });
    } catch (error) {
      failure = error;
    }
    this.emitBatchEvent(CONSUMER_EVENTS.END_BATCH_PROCESS, lane, batch, Date.now() - startedAt);
    const handled = countHandled(batch.records, progress.resolved);
    if (handled > 0) this.counts.add(topic, handled);
    if (autoCommit && progress.resolved !== undefined) {
      const next = (BigInt(progress.resolved) + 1n).toString();
      if (next !== progress.committed) await this.commitOn(lane, [{ topic, partition, offset: next }]);
    }
    if (failure !== undefined && isRunning()) await this.crashed(failure, retryOptions);
    // What was not handled is read again from the first such record, as KafkaJS fetches again
    // from the last resolved offset: a failure after retries, or eachBatch leaving records unresolved.
    if (handled < batch.records.length && isRunning() && !lane.closed) {
      lane.transport.seek({ topic, partition, offset: batch.records[handled]!.offset });
    }
  }

  /** A cluster's group assigned partitions to this consumer, or began to rebalance. */
  private onGroupEvent(cluster: string, event: GroupEvent): void {
    const lane = this.lanes.get(cluster);
    if (!lane || lane.closed) return;
    const { groupId } = this.options;
    if (event.type === 'rebalancing') {
      this.emitter.emit(CONSUMER_EVENTS.REBALANCING, { cluster, groupId, memberId: event.memberId });
      return;
    }
    this.assignments.set(cluster, event.assignment);
    this.emitter.emit(CONSUMER_EVENTS.GROUP_JOIN, {
      cluster,
      duration: event.durationMs,
      groupId,
      isLeader: event.isLeader,
      leaderId: event.leaderId,
      groupProtocol: event.groupProtocol,
      memberId: event.memberId,
      memberAssignment: event.assignment,
    });
  }

  /** KafkaJS' crash after the handler's retries: `consumer.crash`, then a restart unless refused. */
  private async crashed(error: unknown, retryOptions: ConsumerRetry & typeof DEFAULT_RETRY): Promise<void> {
    // KafkaJS' crash error after the retries, with the handler's error as its cause.
    const cause = error instanceof Error ? error : new Error(String(error));
    const crash = new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: retryOptions.retries, retryTime: retryOptions.initialRetryTime });
    const restart = retryOptions.restartOnFailure ? await retryOptions.restartOnFailure(crash).catch(() => false) : true;
    this.emitter.emit(CONSUMER_EVENTS.CRASH, { error: crash, groupId: this.options.groupId, restart });
    if (!restart) {
      // Not awaited: stopping waits for the handlers, this one among them.
      void this.stop();
      return;
    }
    // KafkaJS restarts after the first retry's delay; stop() ends the wait.
    await sleep(retryOptions.initialRetryTime, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }

  private emitBatchEvent(name: typeof CONSUMER_EVENTS.FETCH_START | typeof CONSUMER_EVENTS.START_BATCH_PROCESS | typeof CONSUMER_EVENTS.END_BATCH_PROCESS, lane: ClusterLane, batch: ConsumedBatch, duration: number | undefined): void {
    if (!this.emitter.listened(name)) return;
    this.emitter.emit(name, name === CONSUMER_EVENTS.FETCH_START ? { cluster: lane.cluster } : batchEventPayload(lane.cluster, batch, duration));
  }
}
