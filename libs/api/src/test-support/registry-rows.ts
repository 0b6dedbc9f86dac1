// Registry rows for unit tests, with the defaults of a registered cluster or created topic.
import type { Cluster, Topic } from '@flotilla/db';

export function clusterRow(name: string, fields: Partial<Cluster> = {}): Cluster {
  return { name, role: 'fronting', tier: 'medium', bootstrap: [`${name}:9092`], saslBootstrap: null, brokerCount: 3, zone: null, state: 'active', capacityBytesPerSec: null, createdAt: new Date(0), updatedAt: new Date(0), ...fields };
}

export function topicRow(name: string, fields: Partial<Topic> = {}): Topic {
  return { name, tier: 'medium', partitions: 3, replicas: 2, retentionMs: 3_600_000, keyed: false, bytesInPerSec: 0, consumers: 1, owner: null, createdAt: new Date(0), updatedAt: new Date(0), ...fields };
}
