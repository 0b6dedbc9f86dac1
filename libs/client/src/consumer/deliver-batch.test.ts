import type { ConsumedBatch } from '@flotilla/kafka';
import { describe, expect, it } from 'vitest';
import type { EachBatchPayload, EachMessagePayload } from './consumer-types';
import { deliverBatch, type BatchContext } from './deliver-batch';

function batch(offsets: number[]): ConsumedBatch {
  return {
    topic: 't',
    partition: 3,
    highWatermark: '99',
    records: offsets.map((offset) => ({ offset: String(offset), key: null, value: Buffer.from(`v${offset}`), headers: {}, timestamp: '0', attributes: 0 })),
  };
}

const running: BatchContext = { cluster: 'c1', isRunning: () => true, isStale: () => false, pause: () => () => {} };

describe('deliverBatch', () => {
  it('hands eachBatch the whole batch with its cluster, and counts all of it handled when it resolves nothing', async () => {
    const seen: EachBatchPayload[] = [];
    const delivered = await deliverBatch({ eachBatch: async (payload) => void seen.push(payload) }, batch([10, 11, 12]), running);
    expect(seen[0]?.batch).toMatchObject({ cluster: 'c1', topic: 't', partition: 3, highWatermark: '99' });
    expect(seen[0]?.batch.messages.map((m) => m.offset)).toEqual(['10', '11', '12']);
    expect(delivered).toEqual({ resolved: '12', handled: 3 });
  });

  it('counts up to the offset eachBatch resolved', async () => {
    const delivered = await deliverBatch({ eachBatch: async ({ resolveOffset }) => resolveOffset('11') }, batch([10, 11, 12]), running);
    expect(delivered).toEqual({ resolved: '11', handled: 2 });
  });

  it('counts by offset when eachBatch resolves one that is not in the batch', async () => {
    const delivered = await deliverBatch({ eachBatch: async ({ resolveOffset }) => resolveOffset('13') }, batch([10, 12, 14]), running);
    expect(delivered).toEqual({ resolved: '13', handled: 2 });
  });

  it('gives eachMessage record after record and stops when the consumer stops', async () => {
    let stopped = false;
    const seen: EachMessagePayload[] = [];
    const delivered = await deliverBatch(
      {
        eachMessage: async (payload) => {
          seen.push(payload);
          if (payload.message.offset === '11') stopped = true;
        },
      },
      batch([10, 11, 12]),
      { ...running, isRunning: () => !stopped },
    );
    expect(seen.map((p) => [p.cluster, p.topic, p.partition, p.message.offset])).toEqual([
      ['c1', 't', 3, '10'],
      ['c1', 't', 3, '11'],
    ]);
    expect(delivered).toEqual({ resolved: '11', handled: 2 });
  });

  it('reports nothing handled for an empty batch or a consumer already stopped', async () => {
    expect(await deliverBatch({ eachBatch: async () => {} }, batch([]), running)).toBeUndefined();
    expect(await deliverBatch({ eachMessage: async () => {} }, batch([1]), { ...running, isRunning: () => false })).toBeUndefined();
  });

  it('passes a handler failure on, so nothing of the batch counts as read', async () => {
    const failure = new Error('handler failed');
    await expect(
      deliverBatch(
        {
          eachMessage: async () => {
            throw failure;
          },
        },
        batch([1]),
        running,
      ),
    ).rejects.toBe(failure);
  });
});
