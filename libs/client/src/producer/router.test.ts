// Routing: records go to their topic's sink cluster, move when a new mapping version sends the
// topic elsewhere, and a topic is never in flight on two clusters at once.
import { describe, expect, it } from 'vitest';
import { compileMapping, type ClusterRef, type CompiledMapping } from '@flotilla/mapping';
import { ClusterLane } from './cluster-lane';
import { Router } from './router';
import { FakeProducerTransport } from '../test-support/fake-producer-transport';
import { pendingRecord } from '../test-support/pending-records';
import type { PendingRecord } from './pending-record';

function mappingSending(version: number, sinks: Record<string, string>, bootstrapOf: (cluster: string) => string = (c) => `${c}:9092`): CompiledMapping {
  const clusters = Object.fromEntries(['one', 'two'].map((name) => [name, { bootstrap: [bootstrapOf(name)], role: 'fronting' as const, tier: 'medium' as const }]));
  const producers = Object.fromEntries(Object.entries(sinks).map(([topic, sink]) => [topic, { where: [{ sink }] }]));
  return compileMapping({ version, clusters, producers, consumers: { __default__: [{ vip: 'one' }] }, handoffs: {} });
}

function router() {
  const lanes: ClusterLane[] = [];
  const unroutable: { record: PendingRecord; error: Error }[] = [];
  const made = new Router({
    openLane: (cluster: ClusterRef) => {
      // Never connected: what waits stays in the queues for the test to see.
      const transport = new FakeProducerTransport();
      transport.failConnects = Number.POSITIVE_INFINITY;
      const lane = new ClusterLane(cluster, transport, { lingerMs: 0, maxBatchRecords: 10, maxBatchBytes: 1_000_000, maxInFlightRecords: 100 }, { blocked: () => false, dispatch: () => undefined });
      lanes.push(lane);
      return lane;
    },
    unroutable: (record, error) => unroutable.push({ record, error }),
  });
  return { router: made, lanes, unroutable };
}

const seqs = (lane: ClusterLane | undefined, topic: string): number[] => (lane?.queues.get(topic) ?? []).map((r) => r.seq);

describe('Router', () => {
  it('puts a record on its topic\'s sink and fails one the mapping no longer places', () => {
    const { router: r, unroutable } = router();
    const mapping = mappingSending(1, { orders: 'one' });
    const record = pendingRecord('orders');
    r.route(mapping, record, undefined);
    expect([...r.all()].map((lane) => [lane.cluster.name, seqs(lane, 'orders')])).toEqual([['one', [record.seq]]]);
    r.route(mapping, pendingRecord('unknown'), undefined);
    expect(unroutable[0]?.error.message).toBe('topic "unknown" is no longer in the mapping (version 1)');
    for (const lane of r.removeAll()) lane.close();
  });

  it('on a new version moves the waiting records of a moved topic to its new sink, in acceptance order, and closes the lane no longer used', async () => {
    const { router: r, lanes } = router();
    const before = mappingSending(1, { orders: 'one', audit: 'one' });
    const records = [pendingRecord('orders'), pendingRecord('audit'), pendingRecord('orders')];
    for (const record of records) r.route(before, record, undefined);
    r.onMapping(mappingSending(2, { orders: 'two', audit: 'one' }));
    const [one, two] = lanes;
    expect(seqs(one, 'orders')).toEqual([]);
    expect(seqs(one, 'audit')).toEqual([records[1]!.seq]);
    expect(seqs(two, 'orders')).toEqual([records[0]!.seq, records[2]!.seq]);
    // A changed bootstrap replaces the lane: its records go to a fresh one, the old one closes.
    r.onMapping(mappingSending(3, { orders: 'two', audit: 'one' }, (c) => (c === 'one' ? 'moved:9092' : `${c}:9092`)));
    await new Promise((resolve) => setImmediate(resolve));
    expect(one!.closed).toBe(true);
    expect(seqs(lanes[2], 'audit')).toEqual([records[1]!.seq]);
    expect(lanes[2]!.cluster.bootstrap).toEqual(['moved:9092']);
    for (const lane of r.removeAll()) lane.close();
  });

  it('keeps a topic from starting on a cluster while another still has its records in flight, and reports records in flight off target', () => {
    const { router: r } = router();
    r.countInFlight('orders', 'one', 3);
    expect(r.blocked('orders', 'two')).toBe(true);
    expect(r.blocked('orders', 'one')).toBe(false);
    expect(r.inFlightOffTarget(mappingSending(2, { orders: 'two' }))).toBe(true);
    expect(r.inFlightOffTarget(mappingSending(2, { orders: 'one' }))).toBe(false);
    r.countInFlight('orders', 'one', -3);
    expect(r.blocked('orders', 'two')).toBe(false);
    expect(r.inFlightOffTarget(mappingSending(2, { orders: 'two' }))).toBe(false);
  });

  it('gives the oldest waiting record across every lane for eviction', () => {
    const { router: r } = router();
    const mapping = mappingSending(1, { orders: 'one', audit: 'two' });
    const oldest = pendingRecord('audit');
    const newer = pendingRecord('orders');
    r.route(mapping, newer, undefined);
    r.route(mapping, oldest, undefined);
    expect(r.takeOldest()).toEqual({ record: oldest, cluster: 'two' });
    expect(r.takeOldest()).toEqual({ record: newer, cluster: 'one' });
    expect(r.takeOldest()).toBeUndefined();
    for (const lane of r.removeAll()) lane.close();
  });
});
