// One cluster's lane: background connect with back-off, order of waiting records, the in-flight
// bound, order of hand-over per topic, back-off after a failed request, close.
import { describe, expect, it, vi } from 'vitest';
import type { ClusterRef } from '@flotilla/mapping';
import { ClusterLane, type LaneOwner } from './cluster-lane';
import { FakeProducerTransport } from '../test-support/fake-producer-transport';
import { pendingRecord } from '../test-support/pending-records';
import type { PendingRecord } from './pending-record';

const cluster = { name: 'one', bootstrap: ['127.0.0.1:1'] } as unknown as ClusterRef;

function lane(options: { maxInFlightRecords?: number; lingerMs?: number; blocked?: boolean } = {}) {
  const transport = new FakeProducerTransport();
  const dispatched: { topic: string; records: PendingRecord[] }[] = [];
  const owner: LaneOwner = {
    blocked: () => options.blocked ?? false,
    dispatch: (_lane, topic, batch) => dispatched.push({ topic, records: batch }),
  };
  const made = new ClusterLane(cluster, transport, { lingerMs: options.lingerMs ?? 0, maxBatchRecords: 3, maxBatchBytes: 1_000_000, maxInFlightRecords: options.maxInFlightRecords ?? 100 }, owner);
  return { lane: made, transport, dispatched };
}

describe('ClusterLane', () => {
  it('keeps records waiting until the cluster is connected, retrying connect with back-off', async () => {
    const { lane: l, transport, dispatched } = lane();
    transport.failConnects = 1;
    l.append('t', [pendingRecord('t')]);
    const connected = l.connect();
    await new Promise((resolve) => setImmediate(resolve));
    expect(dispatched).toHaveLength(0);
    await connected;
    expect(transport.connectAttempts).toBe(2);
    expect(dispatched.map((d) => d.records.length)).toEqual([1]);
    expect(l.inFlight).toBe(1);
    expect(l.waiting).toBe(0);
  });

  it('puts a re-queued record back in acceptance order', () => {
    const { lane: l } = lane();
    const [a, b, c] = [pendingRecord('t'), pendingRecord('t'), pendingRecord('t')];
    l.append('t', [a!, c!]);
    l.enqueue(b!);
    expect(l.queues.get('t')!.map((r) => r.seq)).toEqual([a!.seq, b!.seq, c!.seq]);
    expect(l.waiting).toBe(3);
  });

  it('puts no more than maxInFlightRecords in flight, and sends the rest as records settle', async () => {
    const { lane: l, dispatched } = lane({ maxInFlightRecords: 4 });
    await l.connect();
    l.append('t', Array.from({ length: 9 }, () => pendingRecord('t')));
    await new Promise((resolve) => setImmediate(resolve));
    expect(dispatched.map((d) => d.records.length)).toEqual([3, 3]);
    l.settled(3, 'acknowledged');
    l.pump();
    expect(dispatched.map((d) => d.records.length)).toEqual([3, 3, 3]);
  });

  it('starts no topic another cluster still has in flight', async () => {
    const { lane: l, dispatched } = lane({ blocked: true });
    await l.connect();
    l.append('t', [pendingRecord('t')]);
    l.pump();
    expect(dispatched).toHaveLength(0);
    l.close();
  });

  it('hands a topic\'s requests to the transport in the order they were cut', async () => {
    const { lane: l, transport } = lane();
    let slow!: (count: number) => void;
    const counts = [new Promise<number>((resolve) => (slow = resolve)), Promise.resolve(4)];
    vi.spyOn(transport, 'partitionCount').mockImplementation(() => counts.shift()!);
    const first = l.send('t', [pendingRecord('t', 1, { value: Buffer.from('first') })], () => undefined);
    const second = l.send('t', [pendingRecord('t', 1, { value: Buffer.from('second') })], () => undefined);
    await new Promise((resolve) => setImmediate(resolve));
    expect(transport.sends).toHaveLength(0);
    slow(4);
    await vi.waitFor(() => expect(transport.sends).toHaveLength(2));
    expect(transport.sends.map((s) => String(s.records[0]!.value))).toEqual(['first', 'second']);
    transport.sends.forEach((s, i) => s.resolve([i]));
    expect(await first).toEqual([0]);
    expect(await second).toEqual([1]);
  });

  it('backs off after a request that was not delivered, and not after one rejected for good', async () => {
    const { lane: l, dispatched } = lane();
    await l.connect();
    l.append('t', [pendingRecord('t')]);
    await new Promise((resolve) => setImmediate(resolve));
    l.settled(1, 'rejected');
    l.append('t', [pendingRecord('t')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(dispatched).toHaveLength(2);
    l.settled(1, 'unavailable');
    l.append('t', [pendingRecord('t')]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(dispatched).toHaveLength(2);
    await vi.waitFor(() => expect(dispatched).toHaveLength(3), { timeout: 1_000 });
    l.close();
  });

  it('on close gives back what waits, closes the transport, and is idle once its flight settled', async () => {
    const { lane: l, transport } = lane();
    l.append('t', [pendingRecord('t'), pendingRecord('t')]);
    l.inFlight = 1;
    const waiting = l.close();
    expect(waiting).toHaveLength(2);
    expect(l.waiting).toBe(0);
    expect(transport.disconnected).toBe(true);
    let idle = false;
    const settled = l.idle().then(() => (idle = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(idle).toBe(false);
    l.settled(1, 'acknowledged');
    await settled;
  });
});
