// A consumer with the KafkaJS shape that reads each subscribed topic from every cluster the
// mapping lists for it, and follows the mapping as it changes: clusters are added and
// removed under a running consumer, subscriptions survive, and keyed handoffs keep per-key
// order. One consumer group per cluster, all with the same group id. The parts: which topics
// are read where (topics-by-cluster.ts), one lane per cluster (cluster-lane.ts), the handler
// call (deliver-batch.ts) and the keyed-handoff wait (handoff-gate.ts).
import type { ConsumedBatch, TransportFactory } from '@flotilla/kafka';
import type { CompiledMapping } from '@flotilla/mapping';
import { ValidationError } from '@flotilla/errors';
import type { MappingSource } from '../mapping-source';
import { WindowedCounts } from '../telemetry/windowed-counts';
import { ClusterLane } from './cluster-lane';
import type { ClusterTopicPartitionOffset, ConsumerRunConfig, ConsumerSubscribeTopics, TopicPartitions } from './consumer-types';
import { deliverBatch } from './deliver-batch';
import { HandoffGate } from './handoff-gate';
import { topicsByCluster, type Subscription } from './topics-by-cluster';

export interface MultiClusterConsumerOptions {
  groupId: string;
  clientId?: string;
  mapping: MappingSource;
  transport: TransportFactory;
  sessionTimeoutMs?: number;
}

export class MultiClusterConsumer {
  private readonly subscriptions: Subscription[] = [];
  private readonly lanes = new Map<string, ClusterLane>();
  private readonly gate: HandoffGate;
  private readonly counts = new WindowedCounts();
  private config: ConsumerRunConfig | undefined;
  private running = false;
  private connected = false;
  /** Mapping changes are applied one at a time, in the order they arrive. */
  private applying: Promise<void> = Promise.resolve();
  private readonly paused = new Map<string, Set<number> | 'all'>();

  constructor(private readonly options: MultiClusterConsumerOptions) {
    this.gate = new HandoffGate(async (cluster, topic) => {
      const lane = this.lanes.get(cluster);
      return lane && !lane.closed ? lane.transport.committed(topic) : undefined;
    });
  }

  async connect(): Promise<void> {
    await this.options.mapping.start({
      onMapping: () => {
        if (this.running) this.schedule();
      },
    });
    this.connected = true;
  }

  async subscribe(subscription: ConsumerSubscribeTopics): Promise<void> {
    const patterns = [...(subscription.topic === undefined ? [] : [subscription.topic]), ...(subscription.topics ?? [])];
    if (patterns.length === 0) throw new ValidationError('subscribe: give "topic" or "topics"', { field: 'topic' });
    for (const pattern of patterns) this.subscriptions.push({ pattern, fromBeginning: subscription.fromBeginning ?? false });
    if (this.running) this.schedule();
  }

  async run(config: ConsumerRunConfig): Promise<void> {
    if (!this.connected) throw new ValidationError('run: call connect() first');
    if (!config.eachBatch === !config.eachMessage) throw new ValidationError('run: give exactly one of eachMessage or eachBatch');
    this.config = config;
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
        await lane.transport.commit(list.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
      }),
    );
  }

  pause(topics: readonly TopicPartitions[]): void {
    for (const { topic, partitions } of topics) this.paused.set(topic, partitions ? new Set(partitions) : 'all');
    for (const lane of this.lanes.values()) lane.transport.pause(topics.filter((t) => lane.topics.includes(t.topic)));
  }

  resume(topics: readonly TopicPartitions[]): void {
    for (const { topic } of topics) this.paused.delete(topic);
    for (const lane of this.lanes.values()) lane.transport.resume(topics.filter((t) => lane.topics.includes(t.topic)));
  }

  seek(target: ClusterTopicPartitionOffset): void {
    const cluster = target.cluster ?? this.onlyClusterOf(target.topic);
    const lane = this.lanes.get(cluster);
    if (!lane) throw new ValidationError(`seek: not reading from cluster "${cluster}"`, { field: 'cluster' });
    lane.transport.seek({ topic: target.topic, partition: target.partition, offset: target.offset });
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

  async disconnect(): Promise<void> {
    this.running = false;
    await this.applying.catch(() => undefined);
    await Promise.all([...this.lanes.values()].map((lane) => lane.close()));
    this.lanes.clear();
    await this.options.mapping.stop();
    this.connected = false;
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

  private schedule(): void {
    this.applying = this.applying.then(() => this.apply()).catch(() => undefined);
  }

  private async apply(): Promise<void> {
    const mapping = this.options.mapping.current();
    if (!this.running || !mapping) return;
    const desired = topicsByCluster(mapping, this.subscriptions);
    for (const [cluster, lane] of this.lanes) {
      if (!desired.has(cluster)) {
        this.lanes.delete(cluster);
        await lane.close();
      }
    }
    for (const [cluster, topics] of desired) {
      const lane = this.lanes.get(cluster);
      if (!lane) this.openLane(mapping, cluster, topics);
      else if (lane.topics.join('\n') !== topics.join('\n')) {
        lane.topics = topics;
        void lane.connected.then(() => this.startLane(lane));
      }
    }
  }

  private openLane(mapping: CompiledMapping, cluster: string, topics: string[]): void {
    const ref = mapping.clusters.get(cluster);
    if (!ref) return;
    const transport = this.options.transport.consumer({
      bootstrap: ref.bootstrap,
      clientId: this.options.clientId ?? `flotilla-consumer-${this.options.groupId}`,
      groupId: this.options.groupId,
      fromBeginning: this.subscriptions.some((s) => s.fromBeginning),
      ...(this.options.sessionTimeoutMs ? { sessionTimeoutMs: this.options.sessionTimeoutMs } : {}),
    });
    this.lanes.set(cluster, new ClusterLane(cluster, transport, topics, (lane) => this.startLane(lane)));
  }

  private async startLane(lane: ClusterLane): Promise<void> {
    if (lane.closed || !this.running) return;
    await lane.transport.run(lane.topics, (batch) => this.handle(lane, batch));
    const paused = lane.topics.flatMap((topic) => {
      const partitions = this.paused.get(topic);
      return partitions === undefined ? [] : [partitions === 'all' ? { topic } : { topic, partitions: [...partitions] }];
    });
    if (paused.length > 0) lane.transport.pause(paused);
  }

  private async handle(lane: ClusterLane, batch: ConsumedBatch): Promise<void> {
    const config = this.config;
    if (!config || lane.closed) return;
    const isRunning = (): boolean => this.running && !lane.closed;
    await this.gate.wait(() => this.options.mapping.current(), lane.cluster, batch.topic, batch.partition, isRunning);
    if (!isRunning()) throw new Error('consumer stopped while waiting for a handoff');
    const delivered = await deliverBatch(config, batch, {
      cluster: lane.cluster,
      isRunning,
      isStale: () => lane.closed,
      pause: () => {
        lane.transport.pause([{ topic: batch.topic, partitions: [batch.partition] }]);
        return () => lane.transport.resume([{ topic: batch.topic, partitions: [batch.partition] }]);
      },
    });
    if (delivered === undefined) return;
    this.counts.add(batch.topic, delivered.handled);
    if (config.autoCommit ?? true) {
      await lane.transport.commit([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(delivered.resolved) + 1n).toString() }]);
    }
  }
}
