import { describe, expect, it } from 'vitest';
import { PausedTopics } from './paused-topics';

const assigned = () => [0, 1, 2];

describe('PausedTopics', () => {
  it('pauses a topic as a whole or some partitions, and lists them as KafkaJS paused() does', () => {
    const paused = new PausedTopics();
    paused.pause([{ topic: 'a' }, { topic: 'b', partitions: [2, 0] }]);
    expect(paused.list(assigned)).toEqual([
      { topic: 'a', partitions: [0, 1, 2] },
      { topic: 'b', partitions: [0, 2] },
    ]);
    expect([paused.isPaused('a', 1), paused.isPaused('b', 1), paused.isPaused('b', 2)]).toEqual([true, false, true]);
    expect(paused.of(['a', 'b', 'c'])).toEqual([{ topic: 'a' }, { topic: 'b', partitions: [2, 0] }]);
  });

  it('resuming some partitions of a wholly paused topic keeps the others paused', () => {
    const paused = new PausedTopics();
    paused.pause([{ topic: 'a' }]);
    paused.resume([{ topic: 'a', partitions: [1] }], assigned);
    expect(paused.list(assigned)).toEqual([{ topic: 'a', partitions: [0, 2] }]);
    paused.resume([{ topic: 'a', partitions: [0, 2] }], assigned);
    expect(paused.list(assigned)).toEqual([]);
  });

  it('resuming a topic as a whole clears it, whatever was paused', () => {
    const paused = new PausedTopics();
    paused.pause([{ topic: 'a', partitions: [1] }]);
    paused.resume([{ topic: 'a' }], assigned);
    expect(paused.isPaused('a', 1)).toBe(false);
  });
});
