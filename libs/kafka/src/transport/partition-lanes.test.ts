import { describe, expect, it, vi } from 'vitest';
import { enqueue, LANE_HIGH_WATER_RECORDS, TOTAL_HIGH_WATER_RECORDS, TOTAL_LOW_WATER_RECORDS, type Lane } from './partition-lane';
import { PartitionLanes, type LaneClient } from './partition-lanes';
import type { ConsumedBatch, ConsumedRecord } from './transport';

function record(offset: number): ConsumedRecord {
  return { offset: String(offset), key: null, value: null, headers: {}, timestamp: '0', attributes: 0 };
}

function fill(lanes: PartitionLanes, lane: Lane, from: number, count: number): void {
  for (let i = 0; i < count; i++) enqueue(lane, record(from + i));
  lanes.filled(lane);
}

function client(overrides: Partial<LaneClient> = {}): LaneClient & { synced: boolean[] } {
  const synced: boolean[] = [];
  return { synced, isPaused: () => false, syncFetch: (lane) => synced.push(lane.throttled), highWatermark: () => '100', ...overrides };
}

const offsets = (batch: ConsumedBatch) => batch.records.map((r) => Number(r.offset));

describe('PartitionLanes', () => {
  it('hands a lane one batch at a time and the next as soon as the handler returns', async () => {
    const lanes = new PartitionLanes(client());
    const batches: ConsumedBatch[] = [];
    let release!: () => void;
    lanes.handTo(async (batch) => {
      batches.push(batch);
      if (batches.length === 1) await new Promise<void>((resolve) => (release = resolve));
    });
    const lane = lanes.laneFor('t', 0);
    fill(lanes, lane, 0, 2);
    fill(lanes, lane, 2, 3);
    await vi.waitFor(() => expect(batches).toHaveLength(1));
    expect(batches[0]).toEqual({ topic: 't', partition: 0, records: [record(0), record(1)], highWatermark: '100' });
    release();
    await vi.waitFor(() => expect(batches).toHaveLength(2));
    expect(offsets(batches[1]!)).toEqual([2, 3, 4]);
  });

  it('hands a batch the handler failed out again, first, after the redelivery delay', async () => {
    const lanes = new PartitionLanes(client(), 5);
    const seen: number[][] = [];
    lanes.handTo(async (batch) => {
      seen.push(offsets(batch));
      if (seen.length === 1) {
        fill(lanes, lane, 2, 1);
        throw new Error('handler failed');
      }
    });
    const lane = lanes.laneFor('t', 0);
    fill(lanes, lane, 0, 2);
    await vi.waitFor(() => expect(seen).toEqual([[0, 1], [0, 1, 2]]));
  });

  it('does not requeue a failed batch of a lane that was dropped meanwhile', async () => {
    const lanes = new PartitionLanes(client(), 1);
    const seen: number[][] = [];
    let fail!: (error: Error) => void;
    lanes.handTo((batch) => {
      seen.push(offsets(batch));
      return new Promise<void>((_, reject) => (fail = reject));
    });
    const lane = lanes.laneFor('t', 0);
    fill(lanes, lane, 0, 1);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    lanes.drop(lane);
    fail(new Error('revoked'));
    await vi.waitFor(() => expect(lane.busy).toBe(false));
    expect(lane.queue).toEqual([]);
    expect(lanes.get('t', 0)).toBeUndefined();
  });

  it('holds back a partition the application paused', async () => {
    let paused = true;
    const lanes = new PartitionLanes(client({ isPaused: () => paused }));
    const seen: number[][] = [];
    lanes.handTo(async (batch) => void seen.push(offsets(batch)));
    const lane = lanes.laneFor('t', 0);
    fill(lanes, lane, 0, 1);
    // A lane handed out is busy at once; a held one keeps its records.
    expect([lane.busy, lane.queue.length]).toEqual([false, 1]);
    paused = false;
    lanes.kick(lane);
    await vi.waitFor(() => expect(seen).toEqual([[0]]));
  });

  it('asks the client to pause fetching when a lane fills up and to resume when the handler caught up', async () => {
    const fetch = client();
    const lanes = new PartitionLanes(fetch);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    lanes.handTo(() => held);
    const lane = lanes.laneFor('t', 0);
    fill(lanes, lane, 0, 1);
    fill(lanes, lane, 1, LANE_HIGH_WATER_RECORDS);
    expect(fetch.synced).toEqual([true]);
    release();
    await vi.waitFor(() => expect(fetch.synced).toEqual([true, false]));
  });

  it('holds every partition\'s fetching while the lanes together hold too much, each under its own mark', async () => {
    const fetch = client();
    const lanes = new PartitionLanes(fetch);
    const waiting: (() => void)[] = [];
    lanes.handTo(() => new Promise<void>((resolve) => waiting.push(resolve)));
    const perLane = TOTAL_HIGH_WATER_RECORDS / 4;
    const all = [0, 1, 2, 3].map((partition) => lanes.laneFor('t', partition));
    // Each lane's first record goes to its handler at once; the rest queue behind it.
    for (const lane of all) fill(lanes, lane, 0, 1);
    for (const [i, lane] of all.entries()) fill(lanes, lane, 1, i === 3 ? perLane - 1 : perLane);
    expect(all.some((lane) => lanes.holdsFetch(lane))).toBe(false);
    fill(lanes, all[3]!, perLane + 1, 2);
    expect(all.map((lane) => lanes.holdsFetch(lane))).toEqual([true, true, true, true]);
    expect(all.some((lane) => lane.throttled)).toBe(false);
    // The handler works through batches until the lanes hold less than the low mark.
    await vi.waitFor(() => {
      for (const release of waiting.splice(0)) release();
      expect(all.reduce((sum, lane) => sum + lane.queue.length, 0)).toBeLessThanOrEqual(TOTAL_LOW_WATER_RECORDS);
    });
    expect(all.some((lane) => lanes.holdsFetch(lane))).toBe(false);
  });

  it('does not count a partition the application paused towards the total', () => {
    const lanes = new PartitionLanes(client({ isPaused: (_, partition) => partition === 0 }));
    lanes.handTo(() => new Promise<void>(() => undefined));
    const paused = lanes.laneFor('t', 0);
    const other = lanes.laneFor('t', 1);
    fill(lanes, other, 0, 1);
    fill(lanes, paused, 0, TOTAL_HIGH_WATER_RECORDS - 1);
    fill(lanes, other, 1, 2);
    expect(lanes.holdsFetch(other)).toBe(false);
  });

  it('hands nothing out after close, and close waits for the handlers still running', async () => {
    const lanes = new PartitionLanes(client());
    let release!: () => void;
    const seen: number[][] = [];
    lanes.handTo(async (batch) => {
      seen.push(offsets(batch));
      await new Promise<void>((resolve) => (release = resolve));
    });
    const lane = lanes.laneFor('t', 0);
    fill(lanes, lane, 0, 1);
    await vi.waitFor(() => expect(seen).toHaveLength(1));
    fill(lanes, lane, 1, 1);
    let closed = false;
    const closing = lanes.close().then(() => (closed = true));
    await Promise.resolve();
    expect(closed).toBe(false);
    release();
    await closing;
    expect(seen).toEqual([[0]]);
  });
});
