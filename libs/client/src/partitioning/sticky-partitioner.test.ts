import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { partitionForKey } from './murmur2';
import { StickyPartitioner } from './sticky-partitioner';

/** mulberry32: a seeded uniform source, so distribution checks give the same verdict every run. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('StickyPartitioner', () => {
  it('maps keyed records by murmur2, like the Java client, whatever the batches do', () => {
    const partitioner = new StickyPartitioner({ random: seededRandom(1) });
    for (let i = 0; i < 200; i++) {
      const key = Buffer.from(`order-${i}`);
      expect(partitioner.partition('orders', key, 12)).toBe(partitionForKey(key, 12));
      if (i % 7 === 0) partitioner.onBatchSent('orders');
    }
    // Java hashes an empty key; only a null key is "no key".
    expect(partitioner.partition('orders', Buffer.alloc(0), 12)).toBe(partitionForKey(Buffer.alloc(0), 12));
  });

  it('keeps non-keyed records on one partition until the batch is sent, then moves to another', () => {
    const partitioner = new StickyPartitioner({ random: seededRandom(2) });
    const first = partitioner.partition('clicks', null, 6);
    for (let i = 0; i < 100; i++) expect(partitioner.partition('clicks', null, 6)).toBe(first);

    partitioner.onBatchSent('clicks');
    const second = partitioner.partition('clicks', null, 6);
    expect(second).not.toBe(first);
    for (let i = 0; i < 100; i++) expect(partitioner.partition('clicks', null, 6)).toBe(second);
  });

  it('keyed records in between do not end the sticky batch', () => {
    const partitioner = new StickyPartitioner({ random: seededRandom(3) });
    const sticky = partitioner.partition('mixed', null, 8);
    partitioner.partition('mixed', Buffer.from('k1'), 8);
    partitioner.partition('mixed', Buffer.from('k2'), 8);
    expect(partitioner.partition('mixed', null, 8)).toBe(sticky);
  });

  it('sticks per topic: one topic completing its batch leaves the other where it was', () => {
    const partitioner = new StickyPartitioner({ random: seededRandom(4) });
    const a = partitioner.partition('a', null, 10);
    const b = partitioner.partition('b', null, 10);
    partitioner.onBatchSent('a');
    expect(partitioner.partition('a', null, 10)).not.toBe(a);
    expect(partitioner.partition('b', null, 10)).toBe(b);
  });

  it('ignores a late completion for a partition it already left', () => {
    const partitioner = new StickyPartitioner({ random: seededRandom(5) });
    const first = partitioner.partition('t', null, 4);
    partitioner.onBatchSent('t', first);
    const second = partitioner.partition('t', null, 4);
    partitioner.onBatchSent('t', first);
    expect(partitioner.partition('t', null, 4)).toBe(second);
    partitioner.onBatchSent('t', second);
    expect(partitioner.partition('t', null, 4)).not.toBe(second);
  });

  it('with lingerMs, moves on once more than the linger passed since the partition was chosen', () => {
    let now = 1_000;
    const partitioner = new StickyPartitioner({ lingerMs: 5, now: () => now, random: seededRandom(9) });
    const first = partitioner.partition('ticks', null, 4);
    now += 5;
    // Still within the linger: the batch is still filling.
    expect(partitioner.partition('ticks', null, 4)).toBe(first);
    now += 1;
    const second = partitioner.partition('ticks', null, 4);
    expect(second).not.toBe(first);
    // The clock restarts with the new choice.
    now += 5;
    expect(partitioner.partition('ticks', null, 4)).toBe(second);
    expect(() => new StickyPartitioner({ lingerMs: -1 })).toThrow('lingerMs: expected a non-negative number, got -1');
  });

  it('with batchBytes, moves on after that many bytes even without onBatchSent', () => {
    const partitioner = new StickyPartitioner({ batchBytes: 1000, random: seededRandom(6) });
    const first = partitioner.partition('t', null, 3, 400);
    expect(partitioner.partition('t', null, 3, 400)).toBe(first);
    // Crosses 1000: this record still completes the current batch.
    expect(partitioner.partition('t', null, 3, 400)).toBe(first);
    expect(partitioner.partition('t', null, 3, 400)).not.toBe(first);
  });

  it('uses partition 0 of a single-partition topic every time', () => {
    const partitioner = new StickyPartitioner({ random: seededRandom(7) });
    for (let i = 0; i < 50; i++) {
      expect(partitioner.partition('one', null, 1)).toBe(0);
      partitioner.onBatchSent('one');
    }
  });

  it('picks again when the topic has fewer partitions than the sticky choice', () => {
    // random() = 0.99 picks the last partition of 10.
    const partitioner = new StickyPartitioner({ random: () => 0.99 });
    expect(partitioner.partition('moved', null, 10)).toBe(9);
    expect(partitioner.partition('moved', null, 3)).toBe(2);
  });

  it('rejects a partition count that is not a positive integer', () => {
    const partitioner = new StickyPartitioner();
    expect(() => partitioner.partition('t', null, 0)).toThrow('partitionCount of topic "t": expected a positive integer, got 0');
    expect(() => new StickyPartitioner({ batchBytes: -1 })).toThrow('batchBytes: expected a positive integer, got -1');
  });

  it('spreads batches evenly: every partition gets about its share', () => {
    const partitions = 12;
    const batches = 24_000;
    const partitioner = new StickyPartitioner({ random: seededRandom(8) });
    const counts = new Array<number>(partitions).fill(0);
    for (let b = 0; b < batches; b++) {
      const p = partitioner.partition('spread', null, partitions);
      counts[p] = (counts[p] ?? 0) + 1;
      partitioner.onBatchSent('spread');
    }
    const share = batches / partitions;
    for (const count of counts) {
      expect(count).toBeGreaterThan(share * 0.9);
      expect(count).toBeLessThan(share * 1.1);
    }
  });

  it('with load reported, moves to the least-loaded other partition', () => {
    const inFlight = [0, 0, 0, 0];
    const partitioner = new StickyPartitioner({ random: seededRandom(9), load: (_topic, p) => inFlight[p]! });
    // Five batches in flight at once, none acknowledged yet: no partition holds a second one
    // before every partition holds one (a random choice often stacks two while one idles).
    const chosen: number[] = [];
    for (let b = 0; b < 4; b++) {
      const p = partitioner.partition('adaptive', null, 4);
      chosen.push(p);
      inFlight[p]! += 1000;
      partitioner.onBatchSent('adaptive', p);
    }
    expect([...chosen].sort()).toEqual([0, 1, 2, 3]);
    // Partition 2 is slow (still 3,000 in flight), the others drained: 2 is never chosen next.
    inFlight.splice(0, 4, 0, 0, 3000, 0);
    for (let b = 0; b < 50; b++) {
      const p = partitioner.partition('adaptive', null, 4);
      expect(p).not.toBe(2);
      partitioner.onBatchSent('adaptive', p);
    }
  });

  it('with load reported, still never stays on the partition it just left, and spreads among equals', () => {
    const partitioner = new StickyPartitioner({ random: seededRandom(10), load: () => 0 });
    const counts = [0, 0, 0];
    let previous = partitioner.partition('equal', null, 3);
    partitioner.onBatchSent('equal');
    for (let b = 0; b < 3000; b++) {
      const p = partitioner.partition('equal', null, 3);
      expect(p).not.toBe(previous);
      counts[p]! += 1;
      previous = p;
      partitioner.onBatchSent('equal');
    }
    for (const count of counts) expect(count).toBeGreaterThan(900);
  });

  it('property: a batch stays on one partition, the next batch moves, every choice is in range', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('record' as const), keyed: fc.boolean(), key: fc.uint8Array({ maxLength: 12 }) }),
      fc.record({ kind: fc.constant('sent' as const) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.integer(), fc.array(op, { maxLength: 200 }), (count, seed, ops) => {
        const partitioner = new StickyPartitioner({ random: seededRandom(seed) });
        let current: number | undefined;
        let batchEnded = false;
        for (const step of ops) {
          if (step.kind === 'sent') {
            partitioner.onBatchSent('t');
            if (current !== undefined) batchEnded = true;
            continue;
          }
          if (step.keyed) {
            const key = Buffer.from(step.key);
            expect(partitioner.partition('t', key, count)).toBe(partitionForKey(key, count));
            continue;
          }
          const p = partitioner.partition('t', null, count);
          expect(Number.isInteger(p) && p >= 0 && p < count).toBe(true);
          if (current !== undefined && !batchEnded) expect(p).toBe(current);
          if (batchEnded && count > 1) expect(p).not.toBe(current);
          current = p;
          batchEnded = false;
        }
      }),
    );
  });

  it('property: over many batches every partition is used, for any seed and partition count', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 24 }), fc.integer(), (count, seed) => {
        const partitioner = new StickyPartitioner({ random: seededRandom(seed) });
        const used = new Set<number>();
        for (let b = 0; b < count * 60; b++) {
          used.add(partitioner.partition('t', null, count));
          partitioner.onBatchSent('t');
        }
        return used.size === count;
      }),
    );
  });
});
