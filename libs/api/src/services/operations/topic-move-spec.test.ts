import { describe, expect, it } from 'vitest';
import { clusterRow, topicRow } from '../../test-support/registry-rows';
import { partitionsOn, topicMoveSpec } from './topic-move-spec';

const cluster = (name: string, brokerCount: number) => clusterRow(name, { brokerCount });
const topic = (keyed: boolean, partitions: number) => topicRow('orders', { tier: 'high', keyed, partitions });
const options = { producerSwitchTimeoutMs: 5_000, releaseWhenDrained: true, staleGroupMs: 60_000, pollMs: 500 };

describe('partitionsOn', () => {
  it('keeps a keyed topic’s count, so every key keeps its partition number', () => {
    expect(partitionsOn(topic(true, 5), 3)).toBe(5);
  });
  it('rounds any other topic up to a multiple of the broker count', () => {
    expect(partitionsOn(topic(false, 5), 3)).toBe(6);
  });
});

describe('topicMoveSpec', () => {
  it('gives the target the topic’s retention, the tier’s replicas capped by its brokers, and the operator’s tail options', () => {
    const spec = topicMoveSpec({ topic: topic(false, 4), from: cluster('f1', 3), to: cluster('f2', 2), options, deleteSource: true, replaceStaleTarget: false });
    expect(spec).toEqual({
      topic: 'orders',
      from: { name: 'f1', bootstrap: ['f1:9092'] },
      to: { name: 'f2', bootstrap: ['f2:9092'] },
      keyed: false,
      partitions: 4,
      replicationFactor: 2,
      configs: { 'retention.ms': '3600000' },
      producerSwitchTimeoutMs: 5_000,
      retentionMs: 3_600_000,
      releaseWhenDrained: true,
      staleGroupMs: 60_000,
      pollMs: 500,
      deleteSource: true,
    });
  });

  it('rounds an expansion’s new count to the target’s brokers, keyed or not', () => {
    expect(topicMoveSpec({ topic: topic(true, 4), from: cluster('f1', 3), to: cluster('f2', 3), partitions: 7, options, deleteSource: true, replaceStaleTarget: false }).partitions).toBe(9);
  });

  it('asks the workflow to replace the target’s copy only where management found a stale one', () => {
    const base = { topic: topic(false, 3), from: cluster('f1', 3), to: cluster('f2', 3), options, deleteSource: false };
    expect(topicMoveSpec({ ...base, replaceStaleTarget: true }).replaceStaleTarget).toBe(true);
    expect('replaceStaleTarget' in topicMoveSpec({ ...base, replaceStaleTarget: false })).toBe(false);
  });
});
