import { describe, expect, it } from 'vitest';
import { PauseState, type TopicPartitions } from './pause-state';

describe('PauseState', () => {
  it('pauses a whole topic, including partitions it does not know yet, except those resumed one by one', () => {
    const state = new PauseState();
    state.pause([{ topic: 't' }]);
    state.resume([{ topic: 't', partitions: [2] }]);
    expect([0, 1, 2, 7].map((p) => state.isPaused('t', p))).toEqual([true, true, false, true]);
    expect(state.isPaused('other', 0)).toBe(false);
    state.resume([{ topic: 't' }]);
    expect(state.isPaused('t', 0)).toBe(false);
  });

  it('replays itself onto a fresh client as the calls that rebuild the same state', () => {
    const state = new PauseState();
    state.pause([{ topic: 'a' }, { topic: 'b', partitions: [1, 3] }]);
    state.resume([{ topic: 'a', partitions: [0] }, { topic: 'b', partitions: [3] }]);
    const rebuilt = new PauseState();
    const calls: string[] = [];
    const log = (verb: string) => (tps: TopicPartitions[]) => {
      calls.push(`${verb} ${JSON.stringify(tps)}`);
      if (verb === 'pause') rebuilt.pause(tps);
      else rebuilt.resume(tps);
    };
    state.replay({ pause: log('pause'), resume: log('resume') });
    for (const topic of ['a', 'b']) {
      for (const partition of [0, 1, 2, 3]) expect(rebuilt.isPaused(topic, partition)).toBe(state.isPaused(topic, partition));
    }
    expect(calls).toEqual(['pause [{"topic":"a"}]', 'resume [{"topic":"a","partitions":[0]}]', 'pause [{"topic":"b","partitions":[1]}]']);
  });
});
