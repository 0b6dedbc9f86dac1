import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { createTopicRequests, deleteTopicNames } from './admin-topics';

describe('createTopics options as management requests', () => {
  it('turns KafkaJS topic configs into topics.create requests, with KafkaJS\' timeout by default', () => {
    expect(
      createTopicRequests({
        topics: [
          { topic: 'a', numPartitions: 3, replicationFactor: -1, configEntries: [{ name: 'retention.ms', value: '60000' }] },
          { topic: 'b', numPartitions: -1, replicaAssignment: [] },
        ],
        waitForLeaders: true,
      }),
    ).toEqual({ requests: [{ name: 'a', partitions: 3, retentionMs: 60_000 }, { name: 'b' }], timeoutMs: 5_000 });
    expect(createTopicRequests({ topics: [{ topic: 'c' }], validateOnly: false, timeout: 9_000 }).timeoutMs).toBe(9_000);
  });

  it.each([
    [{ topics: [{ topic: 'a', replicationFactor: 3 }] }, /topics\.0\.replicationFactor.*tier's replicas/],
    [{ topics: [{ topic: 'a', configEntries: [{ name: 'cleanup.policy', value: 'compact' }] }] }, /only retention\.ms is supported.*"cleanup\.policy"/],
    [{ topics: [{ topic: 'a', configEntries: [{ name: 'retention.ms', value: '-1' }] }] }, /retention\.ms must be a positive whole number.*"-1"/],
    [{ topics: [{ topic: 'a', replicaAssignment: [{ partition: 0, replicas: [1] }] }] }, /management places partitions/],
    [{ topics: [{ topic: 'a' }], validateOnly: true }, /validateOnly.*no dry run/],
    [{ topics: [{ topic: 'a' }, { topic: 'a' }] }, /topic "a" is given more than once/],
    [{ topics: [] }, /topics/],
  ])('refuses what the registry decides, naming the field: %j', (options, message) => {
    const attempt = () => createTopicRequests(options as Parameters<typeof createTopicRequests>[0]);
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(message);
  });
});

describe('deleteTopics options', () => {
  it('gives the names and the timeout; refuses a name twice', () => {
    expect(deleteTopicNames({ topics: ['a', 'b'], timeout: 1_000 })).toEqual({ names: ['a', 'b'], timeoutMs: 1_000 });
    expect(() => deleteTopicNames({ topics: ['a', 'a'] })).toThrow(/topic "a" is given more than once/);
  });
});
