// What the application paused, KafkaJS' way: a topic as a whole, or some of its partitions. Kept
// by the consumer (not only by each cluster's transport) so that a lane opened later, a batch
// already handed out, and paused() all see the same thing.
import type { TopicPartitions } from './consumer-types';

export class PausedTopics {
  readonly #paused = new Map<string, Set<number> | 'all'>();

  pause(topics: readonly TopicPartitions[]): void {
    for (const { topic, partitions } of topics) {
      const current = this.#paused.get(topic);
      if (!partitions || current === 'all') this.#paused.set(topic, 'all');
      else this.#paused.set(topic, new Set([...(current ?? []), ...partitions]));
    }
  }

  /** `assigned`: the topic's partitions assigned now, for resuming some of a wholly paused topic. */
  resume(topics: readonly TopicPartitions[], assigned: (topic: string) => number[]): void {
    for (const { topic, partitions } of topics) {
      const current = this.#paused.get(topic);
      if (!partitions || current === undefined) this.#paused.delete(topic);
      else if (current !== 'all') {
        for (const partition of partitions) current.delete(partition);
        if (current.size === 0) this.#paused.delete(topic);
      } else {
        // Resuming some partitions of a wholly paused topic: the others stay paused.
        const rest = assigned(topic).filter((p) => !partitions.includes(p));
        if (rest.length === 0) this.#paused.delete(topic);
        else this.#paused.set(topic, new Set(rest));
      }
    }
  }

  isPaused(topic: string, partition: number): boolean {
    const paused = this.#paused.get(topic);
    return paused === 'all' || (paused !== undefined && paused.has(partition));
  }

  /** The pauses of `topics`, as a transport takes them. */
  of(topics: readonly string[]): TopicPartitions[] {
    return topics.flatMap((topic) => {
      const partitions = this.#paused.get(topic);
      return partitions === undefined ? [] : [partitions === 'all' ? { topic } : { topic, partitions: [...partitions] }];
    });
  }

  /** KafkaJS' `paused()`: a topic paused as a whole lists the partitions `assigned` gives. */
  list(assigned: (topic: string) => number[]): TopicPartitions[] {
    return [...this.#paused].map(([topic, partitions]) => ({
      topic,
      partitions: [...(partitions === 'all' ? assigned(topic) : partitions)].sort((a, b) => a - b),
    }));
  }
}
