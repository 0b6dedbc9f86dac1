import type { Placement } from '@flotilla/db';
import { ConflictError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { clusterRow, topicRow } from '../../test-support/registry-rows';
import { failoverTopics, type FailoverTopicsInput } from './failover-topics';

const MB = 1_000_000;
const failed = clusterRow('f1', { state: 'failed', brokerCount: 3 });
const placed = (topic: string, cluster: string, side: 'producer' | 'consumer'): Placement => ({ topic, cluster, side, createdAt: new Date(0) });

function input(fields: Partial<FailoverTopicsInput>): FailoverTopicsInput {
  return {
    failed,
    pool: [clusterRow('f2', { capacityBytesPerSec: 10 * MB }), clusterRow('f3', { capacityBytesPerSec: 20 * MB })],
    topics: [topicRow('orders', { bytesInPerSec: MB })],
    placements: [placed('orders', 'f1', 'producer'), placed('orders', 'f1', 'consumer'), placed('orders', 'c1', 'consumer')],
    used: new Map(),
    capacity: (cluster) => cluster.capacityBytesPerSec ?? 0,
    force: false,
    ...fields,
  };
}

describe('failoverTopics', () => {
  it('sends a topic to the standby with the most room, read on both during the failover and on the standby after', () => {
    const [orders] = failoverTopics(input({}));
    expect(orders).toMatchObject({
      topic: 'orders',
      standby: { name: 'f3', bootstrap: ['f3:9092'] },
      consumersDuring: ['f1', 'c1', 'f3'],
      consumersAfter: ['c1', 'f3'],
      homePartitions: 3,
      homeReplicationFactor: 2,
    });
  });

  it('counts the topics already given a standby, so the next one goes where room is left', () => {
    const topics = [topicRow('a', { bytesInPerSec: 6 * MB }), topicRow('b', { bytesInPerSec: MB })];
    const used = new Map([['f3', 8 * MB]]);
    expect(failoverTopics(input({ topics, used })).map((t) => [t.topic, t.standby.name])).toEqual([
      ['a', 'f3'],
      ['b', 'f2'],
    ]);
    expect(used.get('f3')).toBe(8 * MB + 12 * MB);
  });

  it('refuses a topic no standby has room for, naming the pool to grow and --force; forced, the roomiest takes it', () => {
    const topics = [topicRow('huge', { bytesInPerSec: 15 * MB })];
    const refused = (): unknown => failoverTopics(input({ topics }));
    expect(refused).toThrow(ConflictError);
    expect(refused).toThrow('cannot fail over: topic "huge" needs 30000000 bytes/s out and the roomiest standby, "f3", has 20000000 left; add a cluster to the medium pool, or fail over with --force to overload it');
    expect(failoverTopics(input({ topics, force: true })).map((t) => t.standby.name)).toEqual(['f3']);
  });

  it('keeps a keyed topic’s partition count on a standby with another broker count', () => {
    const pool = [clusterRow('f2', { brokerCount: 2, capacityBytesPerSec: 10 * MB })];
    const [keyed] = failoverTopics(input({ pool, topics: [topicRow('orders', { keyed: true, partitions: 3 })] }));
    const [unkeyed] = failoverTopics(input({ pool, topics: [topicRow('orders', { partitions: 3 })] }));
    expect([keyed?.partitions, unkeyed?.partitions]).toEqual([3, 4]);
  });
});
