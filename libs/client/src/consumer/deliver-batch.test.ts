import type { ConsumedBatch } from '@flotilla/kafka';
import { describe, expect, it } from 'vitest';
import type { EachBatchPayload, EachMessagePayload, OffsetsByTopicPartition } from './consumer-types';
import { countHandled, deliverBatch, newProgress, toConsumerBatch, type BatchContext } from './deliver-batch';

function batch(offsets: number[], highWatermark = '99'): ConsumedBatch {
  return {
    topic: 't',
    partition: 3,
    highWatermark,
    records: offsets.map((offset) => ({ offset: String(offset), key: null, value: Buffer.from(`v${offset}`), headers: {}, timestamp: '0', attributes: 0 })),
  };
}

function context(overrides: Partial<BatchContext> = {}): BatchContext & { commits: OffsetsByTopicPartition[] } {
  const commits: OffsetsByTopicPartition[] = [];
  return {
    cluster: 'c1',
    isRunning: () => true,
    isStale: () => false,
    pause: () => () => {},
    autoCommit: true,
    // No autoCommitInterval or autoCommitThreshold: never due.
    commitDue: () => false,
    commit: async (offsets) => void commits.push(offsets),
    commits,
    ...overrides,
  };
}

describe('deliverBatch', () => {
  it('hands eachBatch the whole batch with its cluster, and counts all of it handled when it resolves nothing', async () => {
    const seen: EachBatchPayload[] = [];
    const progress = newProgress();
    await deliverBatch({ eachBatch: async (payload) => void seen.push(payload) }, batch([10, 11, 12]), context(), progress);
    expect(seen[0]?.batch).toMatchObject({ cluster: 'c1', topic: 't', partition: 3, highWatermark: '99' });
    expect(seen[0]?.batch.messages.map((m) => m.offset)).toEqual(['10', '11', '12']);
    expect(progress.resolved).toBe('12');
  });

  it('counts up to the offset eachBatch resolved when eachBatchAutoResolve is off', async () => {
    const progress = newProgress();
    await deliverBatch({ eachBatchAutoResolve: false, eachBatch: async ({ resolveOffset }) => resolveOffset('11') }, batch([10, 11, 12]), context(), progress);
    expect(progress.resolved).toBe('11');
    expect(countHandled(batch([10, 11, 12]).records, progress.resolved)).toBe(2);
  });

  it('counts nothing handled when eachBatchAutoResolve is off and eachBatch resolved nothing', async () => {
    const progress = newProgress();
    await deliverBatch({ eachBatchAutoResolve: false, eachBatch: async () => {} }, batch([10, 11]), context(), progress);
    expect(progress.resolved).toBeUndefined();
  });

  it('counts by offset when eachBatch resolves one that is not in the batch', () => {
    expect(countHandled(batch([10, 12, 14]).records, '13')).toBe(2);
  });

  it('commitOffsetsIfNecessary commits nothing while no autoCommitInterval or autoCommitThreshold is due, as in KafkaJS', async () => {
    const ctx = context();
    const uncommitted: OffsetsByTopicPartition[] = [];
    await deliverBatch(
      {
        eachBatchAutoResolve: false,
        eachBatch: async ({ resolveOffset, commitOffsetsIfNecessary, uncommittedOffsets }) => {
          resolveOffset('10');
          await commitOffsetsIfNecessary();
          uncommitted.push(uncommittedOffsets());
        },
      },
      batch([10, 11]),
      ctx,
      newProgress(),
    );
    expect(ctx.commits).toEqual([]);
    expect(uncommitted).toEqual([{ topics: [{ topic: 't', partitions: [{ partition: 3, offset: '11' }] }] }]);
  });

  it('commitOffsetsIfNecessary commits one past the resolved offset once due, and uncommittedOffsets says what is left', async () => {
    const ctx = context({ commitDue: (count) => count >= 1n });
    const uncommitted: OffsetsByTopicPartition[] = [];
    await deliverBatch(
      {
        eachBatchAutoResolve: false,
        eachBatch: async ({ resolveOffset, commitOffsetsIfNecessary, uncommittedOffsets }) => {
          resolveOffset('10');
          uncommitted.push(uncommittedOffsets());
          await commitOffsetsIfNecessary();
          await commitOffsetsIfNecessary();
          uncommitted.push(uncommittedOffsets());
        },
      },
      batch([10, 11]),
      ctx,
      newProgress(),
    );
    expect(ctx.commits).toEqual([{ topics: [{ topic: 't', partitions: [{ partition: 3, offset: '11' }] }] }]);
    expect(uncommitted).toEqual([{ topics: [{ topic: 't', partitions: [{ partition: 3, offset: '11' }] }] }, { topics: [] }]);
  });

  it('commitOffsetsIfNecessary commits the offsets it is given', async () => {
    const ctx = context({ autoCommit: false });
    const given = { topics: [{ topic: 't', partitions: [{ partition: 3, offset: '5' }] }] };
    await deliverBatch(
      {
        eachBatch: async ({ resolveOffset, commitOffsetsIfNecessary }) => {
          resolveOffset('10');
          await commitOffsetsIfNecessary();
          await commitOffsetsIfNecessary(given);
        },
      },
      batch([10]),
      ctx,
      newProgress(),
    );
    expect(ctx.commits).toEqual([given]);
  });

  it('gives eachMessage record after record and stops when the consumer stops', async () => {
    let stopped = false;
    const seen: EachMessagePayload[] = [];
    const progress = newProgress();
    await deliverBatch(
      {
        eachMessage: async (payload) => {
          seen.push(payload);
          if (payload.message.offset === '11') stopped = true;
        },
      },
      batch([10, 11, 12]),
      context({ isRunning: () => !stopped }),
      progress,
    );
    expect(seen.map((p) => [p.cluster, p.topic, p.partition, p.message.offset])).toEqual([
      ['c1', 't', 3, '10'],
      ['c1', 't', 3, '11'],
    ]);
    expect(progress.resolved).toBe('11');
  });

  it('after an eachMessage failure, keeps what succeeded and starts the next attempt at the failed record', async () => {
    const seen: string[] = [];
    let failed = false;
    const handler = {
      eachMessage: async ({ message }: EachMessagePayload) => {
        seen.push(message.offset);
        if (message.offset === '11' && !failed) {
          failed = true;
          throw new Error('handler failed');
        }
      },
    };
    const progress = newProgress();
    await expect(deliverBatch(handler, batch([10, 11, 12]), context(), progress)).rejects.toThrow('handler failed');
    expect(progress.resolved).toBe('10');
    await deliverBatch(handler, batch([10, 11, 12]), context(), progress);
    expect(seen).toEqual(['10', '11', '11', '12']);
    expect(progress.resolved).toBe('12');
  });
});

describe('toConsumerBatch', () => {
  it('answers the KafkaJS batch methods', () => {
    const b = batch([10, 11, 12], '20');
    const view = toConsumerBatch('c1', b, b.records);
    expect([view.isEmpty(), view.firstOffset(), view.lastOffset(), view.offsetLag(), view.offsetLagLow()]).toEqual([false, '10', '12', '7', '9']);
  });

  it('answers them for an empty batch as KafkaJS does', () => {
    const view = toConsumerBatch('c1', batch([], '20'), []);
    expect([view.isEmpty(), view.firstOffset(), view.lastOffset(), view.offsetLag(), view.offsetLagLow()]).toEqual([true, null, '19', '0', '0']);
  });
});

describe('deliverBatch with autoCommitThreshold', () => {
  it('commits as eachMessage goes once the threshold of uncommitted offsets is reached', async () => {
    const ctx = context({ commitDue: (count) => count >= 2n });
    await deliverBatch({ eachMessage: async () => {} }, batch([10, 11, 12, 13, 14]), ctx, newProgress());
    expect(ctx.commits.map((c) => c.topics[0]?.partitions[0]?.offset)).toEqual(['12', '14']);
  });
});
