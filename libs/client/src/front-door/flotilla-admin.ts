// What `flotilla.admin()` gives: KafkaJS' admin calls where the registry or the mapping owns the
// answer. Topics are created and deleted through management (which places them, creates them on
// their clusters, publishes the mapping and audits the change), and a call resolves once the
// mapping in force shows the change, so a producer made next can send. Offsets are read on every
// cluster the mapping's consumer side gives for a topic. The calls that would change or read one
// cluster behind the registry's back are refused at once with the reason.
import { UnavailableError, ValidationError } from '@flotilla/errors';
import type { SaslCredentials } from '@flotilla/kafka';
import type { CompiledMapping } from '@flotilla/mapping';
import type { MappingSource } from '../mapping-source';
import { ClusterAdmins, type ClusterCommittedOffset, type ClusterTopicOffset, type FetchOffsetsOptions } from './admin-offsets';
import {
  createTopicRequests,
  createTopicThroughManagement,
  deleteTopicNames,
  deleteTopicThroughManagement,
  type CreateTopicsOptions,
  type DeleteTopicsOptions,
} from './admin-topics';
import type { ManagementEndpoint } from './management-call';

/** Where one topic's records go and are read from under the mapping in force. */
export interface TopicPlacement {
  readonly topic: string;
  /** Clusters a producer sends the topic's records to. */
  readonly producesTo: readonly string[];
  /** Clusters a consumer reads the topic from. */
  readonly consumesFrom: readonly string[];
  readonly mappingVersion: number;
}

export interface FlotillaAdminOptions {
  /** Names the admin's Kafka connections. */
  readonly clientId: string;
  /** Management's base URL (the front door's `mappingUrl`). */
  readonly managementUrl: string;
  /** The front door's `token`: createTopics and deleteTopics need one with the operator role. */
  readonly token?: string | undefined;
  /** The front door's `sasl`: offsets are then read on each cluster's authenticated listener, as the application. */
  readonly sasl?: SaslCredentials | undefined;
}

const changedThroughManagement = (how: string): string =>
  `topics are changed through management, which changes them on every cluster they live on and publishes the mapping: ${how}`;
const perCluster = 'it reads one cluster and a Flotilla topic may live on several; use management (`npx flotilla topics describe <topic>`)';

export class FlotillaAdmin {
  #connected = false;
  readonly #clusters: ClusterAdmins;
  /** Waiting for a mapping that shows a change: checked on every new version. */
  readonly #waiters = new Set<(mapping: CompiledMapping) => void>();

  constructor(
    private readonly mapping: MappingSource,
    private readonly options: FlotillaAdminOptions,
  ) {
    this.#clusters = new ClusterAdmins(options.clientId, options.sasl);
  }

  /** Resolves once a mapping is known (from management or the disk cache). */
  async connect(): Promise<void> {
    await this.mapping.start({ onMapping: (mapping) => this.#waiters.forEach((waiter) => waiter(mapping)) });
    this.#connected = true;
  }

  async disconnect(): Promise<void> {
    this.#connected = false;
    await this.#clusters.close();
    await this.mapping.stop();
  }

  /** The topics the mapping lists explicitly, sorted (a `__default__` rule is not a topic). */
  async listTopics(): Promise<string[]> {
    return [...this.#current('listTopics').topics()];
  }

  /**
   * Each topic's clusters (a `__default__` rule counts); a side with no rule gives no clusters.
   * A topic neither side can place rejects with UnknownTopicError.
   */
  async describeTopics(topics: readonly string[]): Promise<TopicPlacement[]> {
    const mapping = this.#current('describeTopics');
    return topics.map((topic) => {
      const producesTo = mapping.resolve('producer', topic);
      const consumesFrom = mapping.resolve('consumer', topic);
      // Neither side: the mapping's own error, raised by its lookup.
      if (producesTo === undefined && consumesFrom === undefined) mapping.producerTargets(topic);
      return {
        topic,
        producesTo: (producesTo ?? []).map((cluster) => cluster.name),
        consumesFrom: (consumesFrom ?? []).map((cluster) => cluster.name),
        mappingVersion: mapping.version,
      };
    });
  }

  /**
   * KafkaJS' createTopics, through management (`npx flotilla topics create`): true when every
   * topic was created, false when one already existed, as KafkaJS answers. Resolves once the
   * mapping in force lists every topic.
   */
  async createTopics(options: CreateTopicsOptions): Promise<boolean> {
    this.#current('createTopics');
    const { requests, timeoutMs } = createTopicRequests(options);
    const endpoint = this.#management('createTopics');
    let created = true;
    for (const request of requests) created = (await createTopicThroughManagement(endpoint, request)) && created;
    const names = requests.map((r) => r.name);
    await this.#until((mapping) => names.every((name) => mapping.topics().includes(name)), timeoutMs, `the mapping listing ${names.join(', ')}`);
    return created;
  }

  /**
   * KafkaJS' deleteTopics, through management (`npx flotilla topics delete`): each topic leaves
   * the mapping, then its data is deleted on every cluster it was on. Resolves once the mapping
   * in force no longer lists them.
   */
  async deleteTopics(options: DeleteTopicsOptions): Promise<void> {
    this.#current('deleteTopics');
    const { names, timeoutMs } = deleteTopicNames(options);
    const endpoint = this.#management('deleteTopics');
    for (const name of names) await deleteTopicThroughManagement(endpoint, name);
    await this.#until((mapping) => names.every((name) => !mapping.topics().includes(name)), timeoutMs, `the mapping without ${names.join(', ')}`);
  }

  /**
   * KafkaJS' fetchTopicOffsets on every cluster the mapping's consumer side gives for the topic:
   * one entry per partition and cluster, each naming its `cluster`.
   */
  async fetchTopicOffsets(topic: string): Promise<ClusterTopicOffset[]> {
    return this.#clusters.topicOffsets(this.#current('fetchTopicOffsets'), topic);
  }

  /**
   * KafkaJS' fetchOffsets on every cluster the mapping's consumer side gives for each topic: a
   * partition's commit once per cluster, each naming its `cluster`.
   */
  async fetchOffsets(options: FetchOffsetsOptions): Promise<{ topic: string; partitions: ClusterCommittedOffset[] }[]> {
    return this.#clusters.committedOffsets(this.#current('fetchOffsets'), options);
  }
  createPartitions(): Promise<never> {
    return refuse('createPartitions', changedThroughManagement('`npx flotilla topics expand <topic> --partitions n`'));
  }
  deleteTopicRecords(): Promise<never> {
    return refuse('deleteTopicRecords', changedThroughManagement('records leave a topic by its retention only, as no operation deletes a record a consumer could still read'));
  }
  alterConfigs(): Promise<never> {
    return refuse('alterConfigs', changedThroughManagement('a topic\'s configs follow its tier and `npx flotilla topics create --retention-ms`'));
  }
  fetchTopicMetadata(): Promise<never> {
    return refuse('fetchTopicMetadata', perCluster);
  }
  fetchTopicOffsetsByTimestamp(): Promise<never> {
    return refuse('fetchTopicOffsetsByTimestamp', perCluster);
  }
  setOffsets(): Promise<never> {
    return refuse('setOffsets', perCluster);
  }
  resetOffsets(): Promise<never> {
    return refuse('resetOffsets', perCluster);
  }
  describeCluster(): Promise<never> {
    return refuse('describeCluster', perCluster);
  }
  listGroups(): Promise<never> {
    return refuse('listGroups', perCluster);
  }
  describeGroups(): Promise<never> {
    return refuse('describeGroups', perCluster);
  }
  deleteGroups(): Promise<never> {
    return refuse('deleteGroups', perCluster);
  }

  #management(call: string): ManagementEndpoint {
    const { managementUrl, token } = this.options;
    if (token === undefined) {
      throw new ValidationError(`admin.${call} needs a token: management creates and deletes topics for an application with the operator role; give new Flotilla({ token }) an API token of such an application`, { field: 'token' });
    }
    return { url: managementUrl, token };
  }

  /** Resolves once the mapping in force satisfies `done`; management publishes within a second. */
  async #until(done: (mapping: CompiledMapping) => boolean, timeoutMs: number, what: string): Promise<void> {
    const now = this.mapping.current();
    if (now !== undefined && done(now)) return;
    let waiter: ((mapping: CompiledMapping) => void) | undefined;
    let timer: NodeJS.Timeout | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        waiter = (mapping) => done(mapping) && resolve();
        this.#waiters.add(waiter);
        timer = setTimeout(() => reject(new UnavailableError(`management made the change, but ${what} did not arrive within ${timeoutMs} ms (mapping version in force: ${this.mapping.current()?.version ?? 'none'})`)), timeoutMs);
      });
    } finally {
      if (waiter) this.#waiters.delete(waiter);
      clearTimeout(timer);
    }
  }

  #current(call: string) {
    const mapping = this.mapping.current();
    if (!this.#connected || mapping === undefined) throw new ValidationError(`admin.${call}: call connect() first`);
    return mapping;
  }
}

function refuse(call: string, reason: string): Promise<never> {
  return Promise.reject(new ValidationError(`admin.${call} is not supported by the Flotilla admin: ${reason}`, { field: call }));
}
