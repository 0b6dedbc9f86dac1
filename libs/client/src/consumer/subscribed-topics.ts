// What subscribe() checks before it resolves, as KafkaJS' subscribe does with
// allowAutoTopicCreation off: every named topic is placed by the mapping and exists on each
// cluster the mapping reads it from. A RegExp also matches the topics that exist on the clusters
// of `__default__` (the mapping lists only the topics it places elsewhere), read once at
// subscribe as KafkaJS matches a RegExp against the topics that exist when it subscribes.
import { ValidationError } from '@flotilla/errors';
import type { ClusterRef, CompiledMapping } from '@flotilla/mapping';

/** The topics on a cluster, or undefined when it cannot be asked now (down: not a reason to fail). */
export type ListTopics = (cluster: ClusterRef) => Promise<readonly string[] | undefined>;

/**
 * The subscription's patterns with each RegExp followed by the `__default__` topics it matched;
 * rejects with a ValidationError naming a topic the mapping cannot place or a cluster lacks.
 */
export async function checkSubscription(mapping: CompiledMapping, patterns: readonly (string | RegExp)[], listTopics: ListTopics): Promise<(string | RegExp)[]> {
  const listed = new Map<string, Promise<readonly string[] | undefined>>();
  const topicsOf = (cluster: ClusterRef): Promise<readonly string[] | undefined> => {
    let topics = listed.get(cluster.name);
    if (!topics) listed.set(cluster.name, (topics = listTopics(cluster).catch(() => undefined)));
    return topics;
  };
  const result: (string | RegExp)[] = [];
  for (const pattern of patterns) {
    result.push(pattern);
    if (typeof pattern === 'string') {
      const clusters = mapping.resolve('consumer', pattern);
      if (!clusters || clusters.length === 0) {
        throw new ValidationError(`subscribe: topic "${pattern}" is not placed on any cluster by mapping version ${mapping.version} (no entry for it and no __default__)`, {
          field: 'topics',
        });
      }
      for (const cluster of clusters) {
        const topics = await topicsOf(cluster);
        if (topics && !topics.includes(pattern)) {
          throw new ValidationError(
            `subscribe: topic "${pattern}" does not exist on cluster "${cluster.name}", which mapping version ${mapping.version} reads it from; ` +
              'Flotilla never creates topics on subscribe (allowAutoTopicCreation): create it through management',
            { field: 'topics' },
          );
        }
      }
      continue;
    }
    const explicit = new Set(mapping.topics('consumer'));
    for (const cluster of mapping.defaultFor('consumer') ?? []) {
      for (const topic of (await topicsOf(cluster)) ?? []) {
        // Kafka's internal topics (__consumer_offsets) are never an application's, as in KafkaJS.
        if (topic.startsWith('__') || explicit.has(topic) || !matches(pattern, topic)) continue;
        if (!result.includes(topic)) result.push(topic);
      }
    }
  }
  return result;
}

function matches(pattern: RegExp, topic: string): boolean {
  // A /g or /y RegExp keeps state between test() calls; match from the start each time.
  pattern.lastIndex = 0;
  return pattern.test(topic);
}
