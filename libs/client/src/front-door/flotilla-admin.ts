// What `flotilla.admin()` gives: the topics the mapping lists and where each one goes, read from
// the live mapping. Topics and clusters are changed through management (which creates the topic
// on its clusters, publishes the mapping and audits the change), never by an application on one
// cluster behind its back; so the KafkaJS admin calls that change them, or that read one cluster's
// state, are refused at once with the reason instead of doing something partial.
import { ValidationError } from '@flotilla/errors';
import type { MappingSource } from '../mapping-source';

/** Where one topic's records go and are read from under the mapping in force. */
export interface TopicPlacement {
  readonly topic: string;
  /** Clusters a producer sends the topic's records to. */
  readonly producesTo: readonly string[];
  /** Clusters a consumer reads the topic from. */
  readonly consumesFrom: readonly string[];
  readonly mappingVersion: number;
}

const changedThroughManagement =
  'topics and clusters are changed through management, e.g. `npx flotilla topics create <topic>`, which creates the topic on its clusters and publishes the mapping';
const perCluster = 'it reads one cluster and a Flotilla topic may live on several; use management (`npx flotilla topics describe <topic>`)';

export class FlotillaAdmin {
  #connected = false;

  constructor(private readonly mapping: MappingSource) {}

  /** Resolves once a mapping is known (from management or the disk cache). */
  async connect(): Promise<void> {
    await this.mapping.start({ onMapping: () => undefined });
    this.#connected = true;
  }

  async disconnect(): Promise<void> {
    this.#connected = false;
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

  createTopics(): Promise<never> {
    return refuse('createTopics', changedThroughManagement);
  }
  deleteTopics(): Promise<never> {
    return refuse('deleteTopics', changedThroughManagement);
  }
  createPartitions(): Promise<never> {
    return refuse('createPartitions', changedThroughManagement);
  }
  deleteTopicRecords(): Promise<never> {
    return refuse('deleteTopicRecords', changedThroughManagement);
  }
  alterConfigs(): Promise<never> {
    return refuse('alterConfigs', changedThroughManagement);
  }
  fetchTopicMetadata(): Promise<never> {
    return refuse('fetchTopicMetadata', perCluster);
  }
  fetchTopicOffsets(): Promise<never> {
    return refuse('fetchTopicOffsets', perCluster);
  }
  fetchOffsets(): Promise<never> {
    return refuse('fetchOffsets', perCluster);
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

  #current(call: string) {
    const mapping = this.mapping.current();
    if (!this.#connected || mapping === undefined) throw new ValidationError(`admin.${call}: call connect() first`);
    return mapping;
  }
}

function refuse(call: string, reason: string): Promise<never> {
  return Promise.reject(new ValidationError(`admin.${call} is not supported by the Flotilla admin: ${reason}`, { field: call }));
}
