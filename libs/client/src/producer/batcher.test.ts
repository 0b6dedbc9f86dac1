// The one batching layer: how requests are cut to size and how long a request that fills no
// limit lingers.
import { describe, expect, it } from 'vitest';
import { Batcher, batchAt, batchLimitsOf, RECORD_OVERHEAD_BYTES, type BatchShape } from './batcher';
import { pendingRecord } from '../test-support/pending-records';
import type { PendingRecord } from './pending-record';

function cutAll(batcher: Batcher, queue: PendingRecord[], now: number, canSend: () => boolean = () => true): { requests: number[]; shapes: BatchShape[]; wholes: boolean[]; heldUntil: number } {
  const requests: number[] = [];
  const shapes: BatchShape[] = [];
  const wholes: boolean[] = [];
  const heldUntil = batcher.cut('t', queue, canSend, (batch, shape, whole) => {
    requests.push(batch.length);
    shapes.push(shape);
    wholes.push(whole);
  }, () => now);
  return { requests, shapes, wholes, heldUntil };
}

const records = (n: number, size = 100): PendingRecord[] => Array.from({ length: n }, () => pendingRecord('t', size));

describe('batchAt', () => {
  it('cuts at maxRecords and at maxBytes counting the record overhead, a single larger record going alone', () => {
    expect(batchAt(records(10), 4, 1_000_000).count).toBe(4);
    // 100 + 20 bytes a record: 8 fit in 1,000 (960), a 9th would not.
    expect(batchAt(records(10), 100, 1_000).count).toBe(8);
    expect(batchAt(records(3, 5_000), 100, 1_000)).toEqual({ count: 1, bytes: 5_000, keylessBytes: 5_000 });
    expect(RECORD_OVERHEAD_BYTES).toBe(20);
  });

  it('counts only keyless records without a requested partition toward the sticky share', () => {
    const queue = [pendingRecord('t', 10), pendingRecord('t', 20, { key: Buffer.from('k') }), pendingRecord('t', 30, { requested: 2 })];
    expect(batchAt(queue, 10, 1_000)).toEqual({ count: 3, bytes: 60, keylessBytes: 10 });
  });
});

describe('Batcher', () => {
  it('holds a request that fills no limit for the linger, then hands the whole queue over', () => {
    const batcher = new Batcher({ lingerMs: 5, maxBatchRecords: 10, maxBatchBytes: 1_000_000 });
    const queue = records(3);
    expect(cutAll(batcher, queue, 1_000)).toMatchObject({ requests: [], heldUntil: 1_005 });
    // Records that join within the linger wait with the first; the hold does not restart.
    queue.push(...records(2));
    expect(cutAll(batcher, queue, 1_003)).toMatchObject({ requests: [], heldUntil: 1_005 });
    expect(cutAll(batcher, queue, 1_005)).toMatchObject({ requests: [5], wholes: [true], heldUntil: Number.POSITIVE_INFINITY });
  });

  it('sends a full request at once and holds what is left of the cut afresh', () => {
    const batcher = new Batcher({ lingerMs: 5, maxBatchRecords: 4, maxBatchBytes: 1_000_000 });
    const queue = records(10);
    const { requests, wholes, heldUntil } = cutAll(batcher, queue, 2_000);
    expect(requests).toEqual([4, 4]);
    expect(wholes).toEqual([false, false]);
    expect(queue).toHaveLength(2);
    expect(heldUntil).toBe(2_005);
  });

  it('with no linger hands over whatever waits at once', () => {
    const batcher = new Batcher({ lingerMs: 0, maxBatchRecords: 4, maxBatchBytes: 1_000_000 });
    expect(cutAll(batcher, records(6), 0)).toMatchObject({ requests: [4, 2], wholes: [false, true], heldUntil: Number.POSITIVE_INFINITY });
  });

  it('cuts no more once the caller has no room in flight', () => {
    const batcher = new Batcher({ lingerMs: 0, maxBatchRecords: 2, maxBatchBytes: 1_000_000 });
    let room = 2;
    const queue = records(6);
    const { requests } = cutAll(batcher, queue, 0, () => room-- > 0);
    expect(requests).toEqual([2, 2]);
    expect(queue).toHaveLength(2);
  });

  it('forgets a topic whose records left, so their successors wait a full linger', () => {
    const batcher = new Batcher({ lingerMs: 5, maxBatchRecords: 10, maxBatchBytes: 1_000_000 });
    expect(cutAll(batcher, records(1), 0).heldUntil).toBe(5);
    batcher.forget('t');
    expect(cutAll(batcher, records(1), 4).heldUntil).toBe(9);
  });
});

describe('batchLimitsOf', () => {
  it("defaults to 1,000 records and what one record batch within the broker's message.max.bytes holds, and refuses limits that would send nothing", () => {
    expect(batchLimitsOf({})).toEqual({ maxBatchRecords: 1_000, maxBatchBytes: 1_048_088 });
    expect(batchLimitsOf({ maxBatchBytes: 4_096 })).toEqual({ maxBatchRecords: 1_000, maxBatchBytes: 4_096 });
    expect(() => batchLimitsOf({ maxBatchRecords: 0 })).toThrow('maxBatchRecords: expected a positive integer, got 0');
    expect(() => batchLimitsOf({ maxBatchBytes: 1.5 })).toThrow('maxBatchBytes: expected a positive integer, got 1.5');
  });
});
