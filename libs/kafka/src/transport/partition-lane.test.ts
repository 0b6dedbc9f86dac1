import { describe, expect, it } from 'vitest';
import {
  LANE_HIGH_WATER_RECORDS,
  LANE_LOW_WATER_RECORDS,
  MAX_BATCH_BYTES,
  MAX_BATCH_RECORDS,
  clearQueue,
  enqueue,
  newLane,
  requeue,
  shouldThrottle,
  takeBatch,
} from './partition-lane';
import type { ConsumedRecord } from './transport';

function record(offset: number, valueBytes = 10): ConsumedRecord {
  return { offset: String(offset), key: Buffer.from('k'), value: Buffer.alloc(valueBytes), headers: {}, timestamp: '0', attributes: 0 };
}

function laneWith(count: number, valueBytes = 10) {
  const lane = newLane('t', 0);
  for (let i = 0; i < count; i++) enqueue(lane, record(i, valueBytes));
  return lane;
}

describe('partition lane', () => {
  it('counts key and value bytes as records come and go', () => {
    const lane = laneWith(3);
    expect(lane.queuedBytes).toBe(33);
    const batch = takeBatch(lane);
    expect(batch.map((r) => r.offset)).toEqual(['0', '1', '2']);
    expect(lane.queuedBytes).toBe(0);
    requeue(lane, batch);
    expect(lane.queue.map((r) => r.offset)).toEqual(['0', '1', '2']);
    expect(lane.queuedBytes).toBe(33);
    clearQueue(lane);
    expect([lane.queue.length, lane.queuedBytes]).toEqual([0, 0]);
  });

  it('puts a failed batch back in front of what arrived meanwhile, in offset order', () => {
    const lane = laneWith(2);
    const batch = takeBatch(lane);
    enqueue(lane, record(2));
    requeue(lane, batch);
    expect(lane.queue.map((r) => r.offset)).toEqual(['0', '1', '2']);
  });

  it('cuts a batch at MAX_BATCH_RECORDS, oldest first', () => {
    const lane = laneWith(MAX_BATCH_RECORDS + 7, 0);
    expect(takeBatch(lane)).toHaveLength(MAX_BATCH_RECORDS);
    expect(lane.queue.map((r) => r.offset)).toEqual(Array.from({ length: 7 }, (_, i) => String(MAX_BATCH_RECORDS + i)));
  });

  it('cuts a batch at MAX_BATCH_BYTES, but always hands out at least one record', () => {
    const big = laneWith(3, MAX_BATCH_BYTES / 2);
    // Each record is half the bound plus its one-byte key: one fits, two do not.
    expect(takeBatch(big)).toHaveLength(1);
    const huge = laneWith(2, MAX_BATCH_BYTES * 2);
    expect(takeBatch(huge)).toHaveLength(1);
    expect(huge.queuedBytes).toBe(MAX_BATCH_BYTES * 2 + 1);
  });

  it('throttles from the high-water mark until the queue drained below the low-water mark', () => {
    const lane = laneWith(LANE_HIGH_WATER_RECORDS - 1, 0);
    expect(shouldThrottle(lane)).toBe(false);
    enqueue(lane, record(-1, 0));
    expect(shouldThrottle(lane)).toBe(true);
    lane.throttled = true;
    lane.queue.splice(0, lane.queue.length - LANE_LOW_WATER_RECORDS - 1);
    expect(shouldThrottle(lane)).toBe(true);
    lane.queue.pop();
    expect(shouldThrottle(lane)).toBe(false);
  });
});
