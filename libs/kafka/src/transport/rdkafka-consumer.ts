// ConsumerTransport over node-rdkafka. One loop keeps polling librdkafka — which is also what
// serves its callbacks: rebalances and commit results — while each partition's records wait in
// their own lane (partition-lanes.ts) and go to onBatch one batch at a time. A handler that
// awaits commit() therefore never waits on the loop that would confirm it, and the loop keeps
// polling whatever the handlers do (librdkafka serves its callbacks only inside a poll, and leaves
// the group of a consumer that stops polling). Flow control is therefore by pausing fetches: a
// lane that fills up pauses its partition only, so a slow handler holds back nothing else, and
// all lanes together past their total mark pause every partition (partition-lane.ts).
//
// Pausing is dear: librdkafka discards what it prefetched for a paused partition and fetches it
// again on resume, so the marks sit far above what a poll brings and never trip after a poll as a
// matter of course.
import { setTimeout as sleep } from 'node:timers/promises';
import RdKafka, { type KafkaConsumer, type LibrdKafkaError, type Message, type TopicPartition, type TopicPartitionOffset as RdTopicPartitionOffset } from 'node-rdkafka';
import { UnavailableError, ValidationError } from '@flotilla/errors';
import { CommitConfirmations, COMMIT_TIMEOUT_MS } from './commit-confirmations';
import { beforeDeadline } from './deadline';
import { clearQueue, enqueue, laneKey, type Lane } from './partition-lane';
import { PartitionLanes, type OnBatch } from './partition-lanes';
import { PauseState, type TopicPartitions } from './pause-state';
import { rdkafkaError } from './rdkafka-errors';
import { RdkafkaPartitionIds } from './rdkafka-partition-ids';
import { toConsumedRecord } from './rdkafka-record';
import { describeGroup } from './describe-group';
import { rdkafkaSaslConfig, type ConsumerTransport, type ConsumerTransportOptions, type GroupDescription, type TopicPartitionOffset } from './transport';

const codes = RdKafka.CODES.ERRORS;

const MAX_POLL_RECORDS = 2_000;
/** How long one idle poll waits for a first record; also how quickly disconnect() stops the loop. */
const IDLE_WAIT_MS = 100;
const OPERATION_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;
const ASSIGNMENT_WAIT_MS = 15_000;

export function rdkafkaConsumer(options: ConsumerTransportOptions): ConsumerTransport {
  return new RdkafkaConsumer(options);
}

class RdkafkaConsumer implements ConsumerTransport {
  readonly kind = 'rdkafka' as const;
  private readonly where: string;
  private client: Promise<KafkaConsumer> | undefined;
  private consumer: KafkaConsumer | undefined;
  private polling: Promise<void> | undefined;
  private stopPolling = false;
  private topics = new Set<string>();
  private readonly paused = new PauseState();
  private readonly lanes = new PartitionLanes({
    isPaused: (topic, partition) => this.paused.isPaused(topic, partition),
    syncFetch: (lane) => this.syncFetch(lane),
    highWatermark: (lane) => this.highWatermark(lane),
  });
  /** Seeks on partitions not assigned yet; applied as the starting offset when they are. */
  private readonly pendingSeeks = new Map<string, TopicPartitionOffset>();
  private readonly commits = new CommitConfirmations();
  private assignmentWaiters: (() => void)[] = [];
  /** This member's partitions per topic, for the group events. */
  private readonly assigned = new Map<string, Set<number>>();
  /** When the current join or rebalance began: the join event's duration. */
  private joinStartedAt = Date.now();
  private readonly partitionIds: RdkafkaPartitionIds;
  private closing: Promise<void> | undefined;

  constructor(private readonly options: ConsumerTransportOptions) {
    this.where = options.bootstrap.join(',');
    this.partitionIds = new RdkafkaPartitionIds(this.where, OPERATION_TIMEOUT_MS);
  }

  async connect(): Promise<void> {
    this.assertOpen();
    await this.ready();
  }

  async run(topics: readonly string[], onBatch: OnBatch): Promise<void> {
    this.assertOpen();
    const consumer = await this.ready();
    // Like kafkajs' subscribe: a topic this cluster does not have is an error, not a silent wait.
    await Promise.all(topics.map((topic) => this.partitionIds.of(consumer, topic, { fresh: true })));
    const changed = topics.length !== this.topics.size || topics.some((topic) => !this.topics.has(topic));
    this.topics = new Set(topics);
    for (const lane of [...this.lanes.values()]) if (!this.topics.has(lane.topic)) this.lanes.drop(lane);
    // Records queued under the previous handler go to this one, as does everything polled from now.
    this.lanes.handTo(onBatch);
    try {
      if (topics.length === 0) {
        consumer.unsubscribe();
        return;
      }
      if (changed) {
        // Resolve once the group has handed out partitions, as kafkajs' run() does.
        const assigned = this.nextAssignment();
        this.joinStartedAt = Date.now();
        consumer.subscribe([...topics]);
        await assigned;
      }
    } catch (error) {
      throw rdkafkaError(error, `consume ${topics.map((t) => `"${t}"`).join(', ')} from ${this.where}`);
    }
  }

  async commit(offsets: readonly TopicPartitionOffset[]): Promise<void> {
    if (offsets.length === 0) return;
    const consumer = await this.ready();
    const context = `commit offsets of group "${this.options.groupId}" on ${this.where}`;
    try {
      consumer.commit(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset: Number(offset) })));
    } catch (error) {
      throw rdkafkaError(error, context);
    }
    await this.commits.next(() => new UnavailableError(`${context}: not confirmed within ${COMMIT_TIMEOUT_MS} ms`));
  }

  async committed(topic: string): Promise<Map<number, bigint>> {
    const consumer = await this.ready();
    const context = `committed offsets of group "${this.options.groupId}" for topic "${topic}" on ${this.where}`;
    const partitions = await this.partitionIds.of(consumer, topic);
    const offsets = await new Promise<RdTopicPartitionOffset[]>((resolve, reject) =>
      consumer.committed(
        partitions.map((partition) => ({ topic, partition })),
        OPERATION_TIMEOUT_MS,
        (error, result) => (error ? reject(rdkafkaError(error, context)) : resolve(result)),
      ),
    );
    // librdkafka reports "no commit" as a negative logical offset (-1001).
    return new Map(offsets.filter((o) => o.offset >= 0).map((o) => [o.partition, BigInt(o.offset)]));
  }

  async endOffsets(topic: string): Promise<Map<number, bigint>> {
    const consumer = await this.ready();
    const context = `end offsets of topic "${topic}" on ${this.where}`;
    const partitions = await this.partitionIds.of(consumer, topic);
    const ends = await Promise.all(
      partitions.map(
        (partition) =>
          new Promise<[number, bigint]>((resolve, reject) =>
            consumer.queryWatermarkOffsets(topic, partition, OPERATION_TIMEOUT_MS, (error, offsets) =>
              error ? reject(rdkafkaError(error, context)) : resolve([partition, BigInt(offsets.highOffset)]),
            ),
          ),
      ),
    );
    return new Map(ends);
  }

  describeGroup(): Promise<GroupDescription> {
    this.assertOpen();
    return describeGroup(this.options.groupId, this.options);
  }

  pause(topicPartitions: readonly TopicPartitions[]): void {
    this.paused.pause(topicPartitions);
    for (const lane of this.lanes.values()) this.syncFetch(lane);
  }

  resume(topicPartitions: readonly TopicPartitions[]): void {
    this.paused.resume(topicPartitions);
    for (const lane of this.lanes.values()) {
      this.syncFetch(lane);
      this.lanes.kick(lane);
    }
  }

  seek(target: TopicPartitionOffset): void {
    if (!/^\d+$/.test(target.offset)) {
      throw new ValidationError(`seek on topic "${target.topic}": offset must be a non-negative integer, got "${target.offset}"`, { field: 'offset' });
    }
    const lane = this.lanes.get(target.topic, target.partition);
    if (!lane) {
      this.pendingSeeks.set(laneKey(target.topic, target.partition), target);
      return;
    }
    // What is queued belongs to the old position; the poll loop applies the seek between polls
    // so that everything it polls afterwards is from the new one.
    clearQueue(lane);
    lane.epoch += 1;
    lane.seeking = target;
  }

  disconnect(): Promise<void> {
    this.closing ??= (async () => {
      // Handlers still running may commit; the loop must keep serving their confirmations.
      await this.lanes.close();
      this.stopPolling = true;
      await this.polling;
      const client = this.client;
      this.client = undefined;
      const consumer = await client?.catch(() => undefined);
      if (consumer) await new Promise<void>((resolve) => consumer.disconnect(() => resolve()));
      this.commits.failAll(new UnavailableError(`the consumer of group "${this.options.groupId}" was closed before the commit was confirmed`));
      for (const wake of this.assignmentWaiters.splice(0)) wake();
    })();
    return this.closing;
  }

  private assertOpen(): void {
    if (this.closing) throw new UnavailableError(`the node-rdkafka consumer of group "${this.options.groupId}" on ${this.where} is closed`, { retryable: false });
  }

  private ready(): Promise<KafkaConsumer> {
    if (!this.client) {
      const attempt = this.open();
      this.client = attempt;
      attempt.catch(() => {
        if (this.client === attempt) this.client = undefined;
      });
    }
    return this.client;
  }

  private open(): Promise<KafkaConsumer> {
    const { sessionTimeoutMs: sessionTimeout = 30_000, heartbeatIntervalMs, rebalanceTimeoutMs, maxBytesPerPartition, minBytes, maxBytes, maxWaitTimeMs } = this.options;
    const consumer = new RdKafka.KafkaConsumer(
      {
        'bootstrap.servers': this.options.bootstrap.join(','),
        ...rdkafkaSaslConfig(this.options.sasl),
        'client.id': this.options.clientId,
        'group.id': this.options.groupId,
        'enable.auto.commit': false,
        'enable.auto.offset.store': false,
        'allow.auto.create.topics': false,
        'session.timeout.ms': sessionTimeout,
        'heartbeat.interval.ms': heartbeatIntervalMs ?? Math.min(3_000, Math.floor(sessionTimeout / 3)),
        // librdkafka sends max.poll.interval.ms as the JoinGroup's rebalance timeout.
        ...(rebalanceTimeoutMs === undefined ? {} : { 'max.poll.interval.ms': rebalanceTimeoutMs }),
        ...(maxBytesPerPartition === undefined ? {} : { 'max.partition.fetch.bytes': maxBytesPerPartition }),
        ...(minBytes === undefined ? {} : { 'fetch.min.bytes': minBytes }),
        ...(maxBytes === undefined ? {} : { 'fetch.max.bytes': maxBytes }),
        ...(maxWaitTimeMs === undefined ? {} : { 'fetch.wait.max.ms': maxWaitTimeMs }),
        'socket.connection.setup.timeout.ms': 3_000,
        'reconnect.backoff.max.ms': 1_000,
        rebalance_cb: (error: LibrdKafkaError, assignment: TopicPartition[]) => this.onRebalance(consumer, error, assignment),
        offset_commit_cb: true,
        log_level: 0,
      },
      { 'auto.offset.reset': this.options.fromBeginning ? 'earliest' : 'latest' },
    );
    consumer.on('offset.commit', (error) => {
      // ERR__NO_OFFSET: nothing differed from what was committed, which is success for the caller.
      this.commits.confirm(error && error.code !== codes.ERR__NO_OFFSET ? rdkafkaError(error, `commit offsets of group "${this.options.groupId}" on ${this.where}`) : undefined);
    });
    return new Promise((resolve, reject) => {
      // node-rdkafka asks for every topic's metadata on connect unless told otherwise.
      consumer.connect({ allTopics: false, timeout: CONNECT_TIMEOUT_MS }, (error) => {
        if (error) {
          reject(rdkafkaError(error, `connect to Kafka at ${this.where}`));
          return;
        }
        this.consumer = consumer;
        this.polling = this.poll(consumer);
        resolve(consumer);
      });
    });
  }

  private onRebalance(consumer: KafkaConsumer, error: LibrdKafkaError, assignment: TopicPartition[]): void {
    const cooperative = consumer.rebalanceProtocol() === 'COOPERATIVE';
    try {
      if (error.code === codes.ERR__ASSIGN_PARTITIONS) {
        const starts = assignment.map((tp) => {
          const seek = this.pendingSeeks.get(laneKey(tp.topic, tp.partition));
          this.pendingSeeks.delete(laneKey(tp.topic, tp.partition));
          return seek ? { topic: tp.topic, partition: tp.partition, offset: Number(seek.offset) } : { topic: tp.topic, partition: tp.partition };
        });
        if (cooperative) consumer.incrementalAssign(starts);
        else consumer.assign(starts);
        for (const tp of assignment) {
          const lane = this.lanes.laneFor(tp.topic, tp.partition);
          // A fresh assignment is not paused in librdkafka, whatever the application asked for.
          lane.fetchPaused = false;
          this.syncFetch(lane);
        }
        for (const wake of this.assignmentWaiters.splice(0)) wake();
        if (!cooperative) this.assigned.clear();
        for (const tp of assignment) this.assigned.set(tp.topic, (this.assigned.get(tp.topic) ?? new Set()).add(tp.partition));
        this.options.onGroupEvent?.({
          type: 'join',
          memberId: '',
          isLeader: false,
          leaderId: '',
          groupProtocol: consumer.rebalanceProtocol(),
          assignment: Object.fromEntries([...this.assigned].map(([topic, partitions]) => [topic, [...partitions].sort((a, b) => a - b)])),
          durationMs: Date.now() - this.joinStartedAt,
        });
      } else {
        for (const tp of assignment) {
          const lane = this.lanes.get(tp.topic, tp.partition);
          if (lane) this.lanes.drop(lane);
          this.assigned.get(tp.topic)?.delete(tp.partition);
        }
        if (cooperative) consumer.incrementalUnassign(assignment);
        else consumer.unassign();
        this.joinStartedAt = Date.now();
        this.options.onGroupEvent?.({ type: 'rebalancing', memberId: '' });
      }
    } catch {
      // Only happens while disconnecting, when the assignment no longer matters.
    }
  }

  private async poll(consumer: KafkaConsumer): Promise<void> {
    while (!this.stopPolling) {
      await this.applySeeks(consumer);
      let messages: Message[];
      try {
        // Take what is ready without waiting (one call into librdkafka under load); only when
        // nothing is, block for a first record, so a trickle is delivered as it comes rather
        // than after a full batch, and the next turn takes whatever followed it.
        messages = await consumeOnce(consumer, MAX_POLL_RECORDS, 0);
        if (messages.length === 0 && !this.stopPolling) messages = await consumeOnce(consumer, 1, IDLE_WAIT_MS);
      } catch {
        // Consumer errors (a broker away, a topic deleted) pass; librdkafka recovers by itself.
        await sleep(IDLE_WAIT_MS);
        continue;
      }
      const touched = new Set<Lane>();
      // A poll brings runs of records of one partition: look its lane up once per run.
      let lane: Lane | undefined;
      for (const message of messages) {
        if (!lane || lane.partition !== message.partition || lane.topic !== message.topic) {
          lane = this.acceptingLane(message);
          if (lane) touched.add(lane);
        }
        if (lane) enqueue(lane, toConsumedRecord(message));
      }
      for (const lane of touched) this.lanes.filled(lane);
    }
  }

  private async applySeeks(consumer: KafkaConsumer): Promise<void> {
    for (const lane of this.lanes.values()) {
      const target = lane.seeking;
      if (!target) continue;
      const done = new Promise<void>((resolve) =>
        consumer.seek({ topic: target.topic, partition: target.partition, offset: Number(target.offset) }, OPERATION_TIMEOUT_MS, (error) => {
          // Not assigned (any more): the offset becomes the start of its next assignment.
          if (error) this.pendingSeeks.set(laneKey(target.topic, target.partition), target);
          resolve();
        }),
      );
      await beforeDeadline(done, Date.now() + OPERATION_TIMEOUT_MS + 1_000, () => new Error('seek timed out')).catch(() => undefined);
      if (lane.seeking === target) lane.seeking = undefined;
      clearQueue(lane);
    }
  }

  /** The lane a polled record goes to, or none when it is to be skipped. */
  private acceptingLane(message: Message): Lane | undefined {
    // Left over from an earlier subscription, until the rebalance revokes it.
    if (!this.topics.has(message.topic)) return undefined;
    const lane = this.lanes.laneFor(message.topic, message.partition);
    // Polled before a pending seek was applied: from the old position.
    return lane.seeking ? undefined : lane;
  }

  private syncFetch(lane: Lane): void {
    const consumer = this.consumer;
    const paused = this.lanes.holdsFetch(lane) || this.paused.isPaused(lane.topic, lane.partition);
    if (!consumer || paused === lane.fetchPaused) return;
    try {
      const tp = [{ topic: lane.topic, partition: lane.partition }];
      if (paused) consumer.pause(tp);
      else consumer.resume(tp);
      lane.fetchPaused = paused;
    } catch {
      // Not assigned (any more): the next assignment starts unpaused and syncs again.
    }
  }

  private highWatermark(lane: Lane): string | undefined {
    try {
      const { highOffset } = this.consumer?.getWatermarkOffsets(lane.topic, lane.partition) ?? { highOffset: -1 };
      return highOffset >= 0 ? String(highOffset) : undefined;
    } catch {
      return undefined;
    }
  }

  private nextAssignment(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ASSIGNMENT_WAIT_MS);
      this.assignmentWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

function consumeOnce(consumer: KafkaConsumer, count: number, timeoutMs: number): Promise<Message[]> {
  consumer.setDefaultConsumeTimeout(timeoutMs);
  return new Promise((resolve, reject) => consumer.consume(count, (error, messages) => (error ? reject(error) : resolve(messages))));
}
