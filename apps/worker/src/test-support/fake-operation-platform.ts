// The registry and Kafka clusters as the operation activities see them, in memory: our own seam,
// so the time-skipping tests run the real workflow bundle for hours of workflow time in seconds.
// Every call is logged with the server's (skipped) time at which the workflow scheduled it, so a
// test can tell when a consumer left a cluster, not only that it did.
import { ApplicationFailure, Context } from '@temporalio/activity';
import type {
  ClusterActivities,
  ClusterRef,
  DrainStatus,
  ExpandActivities,
  FailoverTopic,
  KafkaActivities,
  OperationActivities,
  PlacementChange,
  TopicMoveInput,
} from '@flotilla/workflows';

export const HOUR = 3_600_000;
export const MINUTE = 60_000;
export const f1: ClusterRef = { name: 'f1', bootstrap: ['127.0.0.1:1'] };
export const f2: ClusterRef = { name: 'f2', bootstrap: ['127.0.0.1:2'] };

export type FakeActivities = KafkaActivities & OperationActivities & ExpandActivities & ClusterActivities;

export interface Placement {
  readonly producers: readonly string[];
  readonly consumers: readonly string[];
}

/** One consumer group on a topic, as drainStatus reports it; a test changes it as time passes. */
export interface FakeGroup {
  members: number;
  committed: number;
  lag: number;
}

export interface LoggedCall {
  /** Server time at which the workflow scheduled the activity (epoch ms, skipped time included). */
  readonly at: number;
  readonly call: string;
}

export class FakeOperationPlatform {
  readonly placements = new Map<string, Placement>();
  readonly clusterStates = new Map<string, string>();
  readonly log: LoggedCall[] = [];
  version = 0;
  probes = 0;
  /** The failed cluster answers probes scheduled from this server time on. */
  returnsAt = Number.POSITIVE_INFINITY;
  /** topic → consumer groups reading it (drainStatus answers from this). */
  readonly groups = new Map<string, Record<string, FakeGroup>>();
  /** topic → producer-status polls that still report a producer on an older version. */
  readonly switchPolls = new Map<string, number>();
  /** Topics with a producer that never switches. */
  readonly stragglers = new Set<string>();
  /** Topics management refuses to publish (deleted meanwhile). */
  readonly refused = new Set<string>();
  /** Topics whose producers are being switched now (published, not yet all reported), and the most at once. */
  readonly switching = new Set<string>();
  mostSwitching = 0;

  place(topic: string, cluster: string): void {
    this.placements.set(topic, { producers: [cluster], consumers: [cluster] });
  }

  get calls(): string[] {
    return this.log.map((entry) => entry.call);
  }

  /** When the first call matching `pattern` was scheduled; fails the test when there was none. */
  when(pattern: RegExp): number {
    const entry = this.log.find((e) => pattern.test(e.call));
    if (!entry) throw new Error(`no call matching ${pattern}; calls: ${this.calls.join(' | ')}`);
    return entry.at;
  }

  activities(): FakeActivities {
    const record = (call: string): void => {
      this.log.push({ at: Context.current().info.currentAttemptScheduledTimestampMs, call });
    };
    return {
      ensureTopic: async ({ cluster, topic }) => record(`ensure ${cluster.name} ${topic}`),
      topicPartitions: async () => null,
      ensurePartitions: async () => {},
      setTopicPartitions: async ({ topic, partitions }) => record(`partitions ${topic} ${partitions}`),
      publishPlacement: async (change: PlacementChange) => {
        if (this.refused.has(change.topic)) throw ApplicationFailure.nonRetryable(`topic "${change.topic}" not found`, 'NOT_FOUND');
        const current = this.placements.get(change.topic) ?? { producers: [], consumers: [] };
        this.placements.set(change.topic, { producers: [...(change.producers ?? current.producers)], consumers: [...(change.consumers ?? current.consumers)] });
        if (change.producers) {
          this.switching.add(change.topic);
          this.mostSwitching = Math.max(this.mostSwitching, this.switching.size);
        }
        this.version += 1;
        const handoff = change.handoff ? ` handoff=${change.handoff.action}` : '';
        record(`publish ${change.topic} producers=${(change.producers ?? []).join(',')} consumers=${(change.consumers ?? []).join(',')}${handoff}`);
        return this.version;
      },
      producerStatus: async ({ topic }) => {
        if (this.stragglers.has(topic)) return { total: 2, switched: 1, stragglers: ['old-client'] };
        const left = this.switchPolls.get(topic) ?? 0;
        if (left > 0) {
          this.switchPolls.set(topic, left - 1);
          return { total: 1, switched: 0, stragglers: ['client-1'] };
        }
        this.switching.delete(topic);
        return { total: 1, switched: 1, stragglers: [] };
      },
      drainStatus: async ({ cluster, topic }): Promise<DrainStatus> => {
        record(`drain ${cluster.name} ${topic}`);
        const groups = Object.entries(this.groups.get(topic) ?? {});
        return {
          lag: Object.fromEntries(groups.map(([group, g]) => [group, g.lag])),
          groups: Object.fromEntries(groups.map(([group, g]) => [group, { members: g.members, committed: g.committed }])),
        };
      },
      endOffsets: async () => ({ '0': 100, '1': 100, '2': 100 }),
      fenceWrites: async ({ cluster, topic }) => {
        // A fenced source ends the switch: stragglers can write nowhere but the target.
        this.switching.delete(topic);
        record(`fence ${cluster.name} ${topic}`);
      },
      unfenceWrites: async ({ cluster, topic }) => record(`unfence ${cluster.name} ${topic}`),
      deleteTopic: async ({ cluster, topic }) => record(`delete ${cluster.name} ${topic}`),
      deleteTopicAndWait: async ({ cluster, topic }) => record(`delete-and-wait ${cluster.name} ${topic}`),
      clusterAnswers: async () => {
        this.probes += 1;
        return Context.current().info.currentAttemptScheduledTimestampMs >= this.returnsAt;
      },
      setClusterState: async ({ cluster, state }) => {
        this.clusterStates.set(cluster, state);
        record(`state ${cluster} ${state}`);
      },
    };
  }
}

/** A non-keyed move of `topic` with a 4 h retention, no early release, the source deleted at the end. */
export function moveInput(topic: string, from: ClusterRef, to: ClusterRef, overrides: Partial<TopicMoveInput> = {}): TopicMoveInput {
  return {
    topic,
    from,
    to,
    keyed: false,
    partitions: 3,
    replicationFactor: 1,
    configs: {},
    producerSwitchTimeoutMs: 5 * MINUTE,
    retentionMs: 4 * HOUR,
    releaseWhenDrained: false,
    staleGroupMs: HOUR,
    pollMs: 10_000,
    deleteSource: true,
    ...overrides,
  };
}

/** A topic of f1 failing over to f2, with a 4 h retention. */
export function failoverTopic(topic: string): FailoverTopic {
  return {
    topic,
    standby: f2,
    partitions: 3,
    replicationFactor: 1,
    configs: { 'retention.ms': String(4 * HOUR) },
    consumersDuring: [f1.name, f2.name],
    consumersAfter: [f2.name],
    retentionMs: 4 * HOUR,
    keyed: false,
    homePartitions: 3,
    homeReplicationFactor: 1,
  };
}
