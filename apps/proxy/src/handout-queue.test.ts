import { describe, expect, it } from 'vitest';
import { HandoutQueue, type OfferedBatch } from './handout-queue';

type Record = { offset: string };

function batch(cluster: string, partition: number, offsets: number[], resolved: string[] = []): OfferedBatch<Record> {
  return { cluster, partition, messages: offsets.map((offset) => ({ offset: String(offset) })), resolveOffset: (offset) => void resolved.push(offset) };
}

/** Whether a promise has settled by now. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('HandoutQueue', () => {
  it('hands out up to max records in order, resolving each batch as far as it was taken, and lets its handler go once all of it was', async () => {
    const queue = new HandoutQueue<Record>();
    const resolved: string[] = [];
    const first = queue.offer(batch('c1', 0, [10, 11, 12], resolved));
    const second = queue.offer(batch('c1', 1, [5, 6]));
    expect(queue.waiting).toBe(5);
    expect(queue.take(2).map((r) => [r.partition, r.message.offset])).toEqual([[0, '10'], [0, '11']]);
    expect(resolved).toEqual(['11']);
    expect(await settled(first)).toBe(false);
    expect(queue.take(2).map((r) => [r.partition, r.message.offset])).toEqual([[0, '12'], [1, '5']]);
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(false);
    expect(queue.given()).toEqual([{ cluster: 'c1', partition: 0, offset: '13' }, { cluster: 'c1', partition: 1, offset: '6' }]);
    expect(queue.take(100)).toHaveLength(1);
    expect(await settled(second)).toBe(true);
    expect(queue.take(100)).toEqual([]);
  });

  it('wakes a waiting fetch when records come, and lets it go after its time otherwise', async () => {
    const queue = new HandoutQueue<Record>();
    const startedAt = Date.now();
    await queue.waitForRecords(50);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(45);
    const waiting = queue.waitForRecords(10_000);
    void queue.offer(batch('c1', 0, [1]));
    await waiting;
    expect(queue.take(10)).toHaveLength(1);
    const aborted = new AbortController();
    const wait = queue.waitForRecords(10_000, aborted.signal);
    aborted.abort();
    await wait;
  });

  it('gives batches back without handing them out: a rebalance, a closing instance', async () => {
    const queue = new HandoutQueue<Record>();
    const resolved: string[] = [];
    const one = queue.offer(batch('c1', 0, [1, 2], resolved));
    const other = queue.offer(batch('c2', 0, [1]));
    queue.take(1);
    expect(queue.release((b) => b.cluster === 'c1')).toBe(1);
    expect(await settled(one)).toBe(true);
    expect(resolved).toEqual(['1']);
    expect(await settled(other)).toBe(false);
    const waiting = queue.waitForRecords(10_000);
    queue.close();
    await waiting;
    expect(await settled(other)).toBe(true);
    // Closed: a batch offered now is given back at once.
    expect(await settled(queue.offer(batch('c1', 0, [3])))).toBe(true);
    expect(queue.take(10)).toEqual([]);
  });

  it('forgets what was given of partitions the consumer no longer has', () => {
    const queue = new HandoutQueue<Record>();
    void queue.offer(batch('c1', 0, [1]));
    void queue.offer(batch('c1', 1, [1]));
    void queue.offer(batch('c2', 1, [1]));
    queue.take(10);
    queue.forget('c1', (partition) => partition === 0);
    expect(queue.given().map((g) => `${g.cluster}/${g.partition}`)).toEqual(['c1/0', 'c2/1']);
  });
});
