// Admin operations Flotilla needs on one cluster, over kafkajs. Callers pass bootstrap
// addresses from the registry; nothing here knows a cluster by name.
import { setTimeout as sleep } from 'node:timers/promises';
import kafkajs, { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import { toFlotillaError } from './kafka-errors';
import { PLATFORM_PRINCIPAL } from './tenancy/acl-binding';
import { createTenancyAdmin, type KafkaTenancyAdmin } from './tenancy/kafka-tenancy-admin';
import type { SaslCredentials } from './transport/transport';

// kafkajs is CommonJS: Node's ESM loader (tsx, apps) finds only some of its exports by name, and
// not ConfigResourceTypes, so it is read from the default export.
const { ConfigResourceTypes } = kafkajs;

export interface TopicSpec {
  topic: string;
  partitions: number;
  replicationFactor: number;
  configs?: Record<string, string>;
}

export interface ClusterDescription {
  clusterId: string;
  controller: number | null;
  brokers: { nodeId: number; host: string; port: number }[];
}

export interface TopicDescription {
  topic: string;
  partitions: number;
  /** Replicas of partition 0; Flotilla creates every partition with the same count. */
  replicationFactor: number;
  /** Topic-level configs that differ from the broker default (e.g. `retention.ms`). */
  configs: Record<string, string>;
  /** Records currently held: sum over partitions of end offset − start offset. */
  records: bigint;
}

/** One partition's offsets as KafkaJS' `admin.fetchTopicOffsets` gives them (decimal strings). */
export interface PartitionOffsets {
  partition: number;
  /** The end offset, as `high`: the offset the next record will get. */
  offset: string;
  high: string;
  /** The first offset still held. */
  low: string;
}

/** A group's commit on one partition as KafkaJS' `admin.fetchOffsets` gives it. */
export interface CommittedOffset {
  partition: number;
  /** The next offset to read; '-1' where the group committed nothing. */
  offset: string;
  metadata: string | null;
}

export interface GroupProgress {
  lag: number;
  committed: number;
  members: number;
}

/** Tenancy calls (credentials, ACLs, quotas) come from KafkaTenancyAdmin, on the same connection options. */
export interface KafkaAdmin extends KafkaTenancyAdmin {
  describeCluster(): Promise<ClusterDescription>;
  /** Creates the topic unless it exists; resolves once every partition has a leader. */
  ensureTopic(spec: TopicSpec): Promise<void>;
  deleteTopic(topic: string): Promise<void>;
  listTopics(): Promise<string[]>;
  /** Partition count of a topic, or undefined when the cluster does not have it. */
  partitionCount(topic: string): Promise<number | undefined>;
  endOffsets(topic: string): Promise<Map<number, bigint>>;
  /** Start and end offsets of every partition of the topic, in partition order. */
  topicOffsets(topic: string): Promise<PartitionOffsets[]>;
  /** The group's commits on every partition of the topic, in partition order. */
  committedOffsets(groupId: string, topic: string): Promise<CommittedOffset[]>;
  /** Partitions, replicas, overridden configs and record count; undefined when the cluster lacks the topic. */
  describeTopic(topic: string): Promise<TopicDescription | undefined>;
  /**
   * Records each consumer group has yet to read of the topic: Σ over partitions of end offset −
   * committed offset (or − start offset when the group committed nothing there). Covers the
   * groups named plus every group that has committed offsets for the topic on this cluster.
   */
  consumerLag(topic: string, groupIds?: readonly string[]): Promise<Record<string, number>>;
  /**
   * The same groups as consumerLag, each with its lag, the sum of its committed offsets on the
   * topic (a caller polling it sees whether the group still commits) and its members now.
   */
  groupProgress(topic: string, groupIds?: readonly string[]): Promise<Record<string, GroupProgress>>;
  /** Committed offsets of a consumer group on a topic (partition → offset; −1 when none). */
  groupOffsets(groupId: string, topic: string): Promise<Map<number, bigint>>;
  /**
   * Stops every producer writing to the topic on this cluster (a topic move's straggler fence):
   * DENY WRITE for every principal, plus ALLOW ALL for the platform (User:ANONYMOUS), because any
   * ACL on a topic turns off "allow when no ACL matches" for it, which would also cut off the
   * platform's metadata and the consumers still draining it. The ALLOW is the platform's only:
   * an application on the SASL listener keeps exactly the rights its own ACLs give it. Idempotent.
   */
  fenceWrites(topic: string): Promise<void>;
  /** Removes the fence; removing an absent fence is harmless. */
  unfenceWrites(topic: string): Promise<void>;
  /** Adds partitions up to `partitions` in total; a count already reached is left alone. */
  ensurePartitions(topic: string, partitions: number): Promise<void>;
  close(): Promise<void>;
}

export interface KafkaAdminOptions {
  bootstrap: readonly string[];
  /** An application's credential, for a cluster's authenticated listener; absent on the plaintext one. */
  sasl?: SaslCredentials | undefined;
  clientId?: string;
  /** Connection and request timeouts; small by default so an absent cluster fails fast. */
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  retries?: number;
}

export async function connectAdmin(options: KafkaAdminOptions): Promise<KafkaAdmin> {
  const kafka = new Kafka({
    clientId: options.clientId ?? 'flotilla-admin',
    brokers: [...options.bootstrap],
    ...(options.sasl ? { sasl: { mechanism: options.sasl.mechanism, username: options.sasl.username, password: options.sasl.password } } : {}),
    logLevel: logLevel.NOTHING,
    connectionTimeout: options.connectionTimeoutMs ?? 3_000,
    requestTimeout: options.requestTimeoutMs ?? 10_000,
    retry: { retries: options.retries ?? 2, initialRetryTime: 100 },
  });
  const admin = kafka.admin();
  const where = options.bootstrap.join(',');
  await guard(`connect to Kafka at ${where}`, () => admin.connect());
  return wrap(admin, where, createTenancyAdmin(kafka, admin, where));
}

async function guard<T>(context: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw toFlotillaError(error, context);
  }
}

function wrap(admin: Admin, where: string, tenancy: ReturnType<typeof createTenancyAdmin>): KafkaAdmin {
  return {
    ...tenancy,
    async describeCluster() {
      const cluster = await guard(`describe cluster ${where}`, () => admin.describeCluster());
      return {
        clusterId: cluster.clusterId,
        controller: cluster.controller,
        brokers: cluster.brokers.map((b) => ({ nodeId: b.nodeId, host: b.host, port: b.port })),
      };
    },
    async ensureTopic(spec) {
      const config: ITopicConfig = {
        topic: spec.topic,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor,
        configEntries: Object.entries(spec.configs ?? {}).map(([name, value]) => ({ name, value })),
      };
      await guard(`create topic "${spec.topic}" on ${where}`, () =>
        admin.createTopics({ topics: [config], timeout: 30_000 }).catch((error: unknown) => {
          // kafkajs refreshes metadata right after CreateTopics; a broker that has not yet heard
          // of the new topic answers UNKNOWN_TOPIC_OR_PARTITION although creation succeeded.
          // The leader wait below confirms the topic either way.
          if (isUnknownTopic(error)) return false;
          throw error;
        }),
      );
      // A topic is usable once every partition has a leader. kafkajs' own waitForLeaders
      // gives up when a broker has not yet heard of the new topic (UNKNOWN_TOPIC_OR_PARTITION
      // on multi-broker KRaft clusters), so poll the metadata ourselves.
      await guard(`wait for leaders of "${spec.topic}" on ${where}`, () => waitForLeaders(admin, spec.topic, spec.partitions));
    },
    async deleteTopic(topic) {
      await guard(`delete topic "${topic}" on ${where}`, () => admin.deleteTopics({ topics: [topic], timeout: 30_000 }));
    },
    listTopics() {
      return admin.listTopics();
    },
    async partitionCount(topic) {
      const topics = await admin.listTopics();
      if (!topics.includes(topic)) return undefined;
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      return metadata.topics[0]?.partitions.length;
    },
    async endOffsets(topic) {
      const offsets = await admin.fetchTopicOffsets(topic);
      return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
    },
    async topicOffsets(topic) {
      const offsets = await guard(`fetch offsets of "${topic}" on ${where}`, () => admin.fetchTopicOffsets(topic));
      return offsets.map(({ partition, offset, high, low }) => ({ partition, offset, high, low })).sort((a, b) => a.partition - b.partition);
    },
    async committedOffsets(groupId, topic) {
      const [result] = await guard(`fetch offsets of group "${groupId}" on ${where}`, () => admin.fetchOffsets({ groupId, topics: [topic] }));
      return (result?.partitions ?? []).map(({ partition, offset, metadata }) => ({ partition, offset, metadata })).sort((a, b) => a.partition - b.partition);
    },
    async describeTopic(topic) {
      return guard(`describe topic "${topic}" on ${where}`, async () => {
        const topics = await admin.listTopics();
        if (!topics.includes(topic)) return undefined;
        const [metadata, offsets, configs] = await Promise.all([
          admin.fetchTopicMetadata({ topics: [topic] }),
          admin.fetchTopicOffsets(topic),
          admin.describeConfigs({ includeSynonyms: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: topic }] }),
        ]);
        const partitions = metadata.topics[0]?.partitions ?? [];
        const overridden = (configs.resources[0]?.configEntries ?? []).filter((entry) => !entry.isDefault);
        return {
          topic,
          partitions: partitions.length,
          replicationFactor: partitions.find((p) => p.partitionId === 0)?.replicas.length ?? 0,
          configs: Object.fromEntries(overridden.map((entry) => [entry.configName, entry.configValue])),
          records: offsets.reduce((sum, o) => sum + BigInt(o.high) - BigInt(o.low), 0n),
        };
      });
    },
    async consumerLag(topic, groupIds = []) {
      const progress = await this.groupProgress(topic, groupIds);
      return Object.fromEntries(Object.entries(progress).map(([group, p]) => [group, p.lag]));
    },
    async groupProgress(topic, groupIds = []) {
      return guard(`consumer groups of "${topic}" at ${where}`, async () => {
        const offsets = await admin.fetchTopicOffsets(topic);
        const { groups } = await admin.listGroups();
        const candidates = [...new Set([...groupIds, ...groups.map((g) => g.groupId)])].sort();
        const progress: Record<string, GroupProgress> = {};
        for (const groupId of candidates) {
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
          const byPartition = new Map((committed?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]));
          const hasCommitted = [...byPartition.values()].some((offset) => offset >= 0);
          // A group found on the cluster that never read this topic is not one of its consumers.
          if (!hasCommitted && !groupIds.includes(groupId)) continue;
          progress[groupId] = {
            lag: offsets.reduce((sum, o) => {
              const read = byPartition.get(o.partition) ?? -1;
              return sum + Math.max(0, Number(o.high) - (read >= 0 ? read : Number(o.low)));
            }, 0),
            committed: [...byPartition.values()].reduce((sum, offset) => sum + Math.max(0, offset), 0),
            members: 0,
          };
        }
        const named = Object.keys(progress);
        if (named.length > 0) {
          const described = await admin.describeGroups(named);
          for (const group of described.groups) {
            const entry = progress[group.groupId];
            if (entry) entry.members = group.members.length;
          }
        }
        return progress;
      });
    },
    async groupOffsets(groupId, topic) {
      const [result] = await guard(`fetch offsets of group "${groupId}" on ${where}`, () => admin.fetchOffsets({ groupId, topics: [topic] }));
      return new Map((result?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
    },
    async fenceWrites(topic) {
      await guard(`fence writes to "${topic}" on ${where}`, () => admin.createAcls({ acl: fenceAcls(topic) }));
    },
    async unfenceWrites(topic) {
      await guard(`remove the write fence of "${topic}" on ${where}`, () => admin.deleteAcls({ filters: [...fenceAcls(topic), legacyFenceAllow(topic)] }));
    },
    async ensurePartitions(topic, partitions) {
      const metadata = await guard(`describe topic "${topic}" on ${where}`, () => admin.fetchTopicMetadata({ topics: [topic] }));
      if ((metadata.topics[0]?.partitions.length ?? 0) >= partitions) return;
      await guard(`add partitions to "${topic}" on ${where}`, () => admin.createPartitions({ topicPartitions: [{ topic, count: partitions }] }));
      await guard(`wait for leaders of "${topic}" on ${where}`, () => waitForLeaders(admin, topic, partitions));
    },
    async close() {
      await Promise.all([admin.disconnect(), tenancy.close()]);
    },
  };
}

async function waitForLeaders(admin: Admin, topic: string, partitions: number, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const found = metadata.topics[0]?.partitions ?? [];
      if (found.length >= partitions && found.every((p) => p.leader >= 0)) return;
    } catch (error) {
      last = error;
    }
    await sleep(200);
  }
  throw last ?? new Error(`partitions of "${topic}" have no leader after ${timeoutMs} ms`);
}

function fenceAcls(topic: string) {
  const onTopic = {
    resourceType: kafkajs.AclResourceTypes.TOPIC,
    resourceName: topic,
    resourcePatternType: kafkajs.ResourcePatternTypes.LITERAL,
    host: '*',
  };
  return [
    { ...onTopic, principal: PLATFORM_PRINCIPAL, operation: kafkajs.AclOperationTypes.ALL, permissionType: kafkajs.AclPermissionTypes.ALLOW },
    { ...onTopic, principal: 'User:*', operation: kafkajs.AclOperationTypes.WRITE, permissionType: kafkajs.AclPermissionTypes.DENY },
  ];
}

/**
 * Fences set before applications had their own listener allowed ALL to `User:*`; lifting a fence
 * removes that too, or it would give every application ALL on the topic from then on.
 */
function legacyFenceAllow(topic: string) {
  return { ...fenceAcls(topic)[0]!, principal: 'User:*' };
}

function isUnknownTopic(error: unknown): boolean {
  const e = error as { type?: string; errors?: { type?: string }[] } | undefined;
  return e?.type === 'UNKNOWN_TOPIC_OR_PARTITION' || (e?.errors ?? []).some((inner) => inner.type === 'UNKNOWN_TOPIC_OR_PARTITION');
}
