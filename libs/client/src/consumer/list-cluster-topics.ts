// A cluster's topics from its own metadata, for subscriptions by pattern: read where and as whom
// the consumer reads (the authenticated listener with the application's credential, if it has one).
import { connectAdmin, type SaslCredentials } from '@flotilla/kafka';
import type { ClusterRef } from '@flotilla/mapping';
import { clusterEndpoint } from '../cluster-endpoint';

const TOPIC_LIST_TIMEOUT_MS = 3_000;

/** Lists a cluster's topics; undefined when it does not answer in time. */
export function clusterTopicLister(sasl: SaslCredentials | undefined): (cluster: ClusterRef) => Promise<readonly string[] | undefined> {
  return async (cluster) => {
    const admin = await connectAdmin({ ...clusterEndpoint(cluster, sasl), connectionTimeoutMs: 1_000, requestTimeoutMs: TOPIC_LIST_TIMEOUT_MS, retries: 0 }).catch(() => undefined);
    if (!admin) return undefined;
    try {
      return await admin.listTopics();
    } catch {
      return undefined;
    } finally {
      await admin.close().catch(() => undefined);
    }
  };
}
