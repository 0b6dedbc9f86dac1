// Which topic-partitions the application paused, with KafkaJS semantics: pausing a whole topic
// covers partitions assigned later, and resuming one partition of a paused topic exempts it.
// Both transports keep this themselves so a pause survives a rebalance and a new subscription.

export interface TopicPartitions {
  topic: string;
  partitions?: number[];
}

interface TopicPause {
  all: boolean;
  paused: Set<number>;
  /** Partitions resumed while the whole topic is paused. */
  resumed: Set<number>;
}

export class PauseState {
  private readonly topics = new Map<string, TopicPause>();

  pause(topicPartitions: readonly TopicPartitions[]): void {
    for (const { topic, partitions } of topicPartitions) {
      const state = this.stateOf(topic);
      if (partitions === undefined) {
        state.all = true;
        state.paused.clear();
        state.resumed.clear();
      } else {
        for (const partition of partitions) {
          state.paused.add(partition);
          state.resumed.delete(partition);
        }
      }
    }
  }

  resume(topicPartitions: readonly TopicPartitions[]): void {
    for (const { topic, partitions } of topicPartitions) {
      const state = this.topics.get(topic);
      if (!state) continue;
      if (partitions === undefined) {
        this.topics.delete(topic);
        continue;
      }
      for (const partition of partitions) {
        state.paused.delete(partition);
        if (state.all) state.resumed.add(partition);
      }
      if (!state.all && state.paused.size === 0) this.topics.delete(topic);
    }
  }

  isPaused(topic: string, partition: number): boolean {
    const state = this.topics.get(topic);
    if (!state) return false;
    return state.paused.has(partition) || (state.all && !state.resumed.has(partition));
  }

  /** Replays the state onto a fresh client, as the pause/resume calls that produce it. */
  replay(target: { pause(tps: TopicPartitions[]): void; resume(tps: TopicPartitions[]): void }): void {
    for (const [topic, state] of this.topics) {
      if (state.all) {
        target.pause([{ topic }]);
        if (state.resumed.size > 0) target.resume([{ topic, partitions: [...state.resumed] }]);
      }
      if (state.paused.size > 0) target.pause([{ topic, partitions: [...state.paused] }]);
    }
  }

  private stateOf(topic: string): TopicPause {
    let state = this.topics.get(topic);
    if (!state) this.topics.set(topic, (state = { all: false, paused: new Set(), resumed: new Set() }));
    return state;
  }
}
