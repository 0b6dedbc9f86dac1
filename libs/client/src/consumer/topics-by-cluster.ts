// Which topics a consumer reads on which cluster: its subscriptions (names and patterns)
// resolved against one mapping version. Pure.
import type { CompiledMapping } from '@flotilla/mapping';

export interface Subscription {
  readonly pattern: string | RegExp;
  readonly fromBeginning: boolean;
}

/**
 * Cluster → the subscribed topics the mapping has consumers read there, each list sorted. A
 * pattern matches the topics the mapping lists for consumers; a name is taken as it is.
 */
export function topicsByCluster(mapping: CompiledMapping, subscriptions: readonly Subscription[]): Map<string, string[]> {
  const topics = new Set<string>();
  for (const { pattern } of subscriptions) {
    if (typeof pattern === 'string') topics.add(pattern);
    else for (const topic of mapping.topics('consumer')) if (pattern.test(topic)) topics.add(topic);
  }
  const byCluster = new Map<string, string[]>();
  for (const topic of [...topics].sort()) {
    for (const cluster of mapping.resolve('consumer', topic) ?? []) {
      byCluster.set(cluster.name, [...(byCluster.get(cluster.name) ?? []), topic]);
    }
  }
  return byCluster;
}
