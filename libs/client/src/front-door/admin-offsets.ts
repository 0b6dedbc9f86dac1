// KafkaJS' `fetchTopicOffsets` and `fetchOffsets` over every cluster the mapping's consumer side
// gives for a topic: during a move or after a failover a topic is read from two clusters, so each
// entry says which cluster it is from and a partition may appear once per cluster. The clusters
// are asked through a kafkajs admin whatever the transport (node-rdkafka has no call for a
// group's commits), one per cluster, kept until the admin disconnects.
import { ValidationError } from '@flotilla/errors';
import { connectAdmin, type KafkaAdmin, type SaslCredentials } from '@flotilla/kafka';
import { clusterEndpoint } from '../cluster-endpoint';
import type { ClusterRef, CompiledMapping } from '@flotilla/mapping';

/** KafkaJS' `{ partition, offset, high, low }` of one partition, on the cluster named. */
export interface ClusterTopicOffset {
  readonly cluster: string;
  readonly partition: number;
  readonly offset: string;
  readonly high: string;
  readonly low: string;
}

/** KafkaJS' `{ partition, offset, metadata }` of one partition, on the cluster named. */
export interface ClusterCommittedOffset {
  readonly cluster: string;
  readonly partition: number;
  readonly offset: string;
  readonly metadata: string | null;
}

/** KafkaJS' fetchOffsets options; `topics` is needed, as the mapping says where each topic is read. */
export interface FetchOffsetsOptions {
  groupId: string;
  topics: readonly string[];
  /** Only false: resolving offsets would reset the group's commits on every cluster. */
  resolveOffsets?: boolean | undefined;
}

export class ClusterAdmins {
  readonly #admins = new Map<string, Promise<KafkaAdmin>>();

  constructor(
    private readonly clientId: string,
    private readonly sasl?: SaslCredentials | undefined,
  ) {}

  async topicOffsets(mapping: CompiledMapping, topic: string): Promise<ClusterTopicOffset[]> {
    const perCluster = await Promise.all(
      mapping.consumerSources(topic).map(async (cluster) => (await this.#admin(cluster)).topicOffsets(topic).then((offsets) => offsets.map((o) => ({ cluster: cluster.name, ...o })))),
    );
    return perCluster.flat();
  }

  async committedOffsets(mapping: CompiledMapping, options: FetchOffsetsOptions): Promise<{ topic: string; partitions: ClusterCommittedOffset[] }[]> {
    if (typeof options !== 'object' || options === null || !Array.isArray(options.topics)) {
      throw new ValidationError('fetchOffsets: give topics: the Flotilla admin reads each topic from the clusters the mapping names for it, so it cannot list every topic of a group', { field: 'topics' });
    }
    if (options.resolveOffsets === true) {
      throw new ValidationError('fetchOffsets: resolveOffsets is not supported: it resets the group\'s commits, which on a topic read from several clusters would be a reset on each; use the consumer\'s seek', { field: 'resolveOffsets' });
    }
    return Promise.all(
      options.topics.map(async (topic) => {
        const perCluster = await Promise.all(
          mapping.consumerSources(topic).map(async (cluster) =>
            (await this.#admin(cluster)).committedOffsets(options.groupId, topic).then((offsets) => offsets.map((o) => ({ cluster: cluster.name, ...o }))),
          ),
        );
        return { topic, partitions: perCluster.flat() };
      }),
    );
  }

  async close(): Promise<void> {
    const admins = [...this.#admins.values()];
    this.#admins.clear();
    await Promise.all(admins.map((admin) => admin.then((a) => a.close()).catch(() => undefined)));
  }

  /** One admin per cluster name and address: a mapping that moves a cluster gets a new one. */
  #admin(cluster: ClusterRef): Promise<KafkaAdmin> {
    const key = `${cluster.name}=${cluster.bootstrap.join(',')}`;
    let admin = this.#admins.get(key);
    if (admin === undefined) {
      admin = connectAdmin({ ...clusterEndpoint(cluster, this.sasl), clientId: this.clientId });
      // A failed connection is not kept: the next call tries again.
      admin.catch(() => this.#admins.delete(key));
      this.#admins.set(key, admin);
    }
    return admin;
  }
}
