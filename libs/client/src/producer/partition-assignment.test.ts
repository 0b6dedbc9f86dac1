// Partitions chosen as a request goes out: requested, murmur2 by key, or one sticky partition for
// a request's keyless records, balanced by what is in flight.
import { describe, expect, it } from 'vitest';
import { partitionForKey } from '../partitioning/murmur2';
import { PartitionAssignment, RUN } from './partition-assignment';
import { SendCall } from './send-call';
import { pendingRecord } from '../test-support/pending-records';

describe('PartitionAssignment', () => {
  it('gives a request its requested and keyed partitions and one sticky partition for its keyless records, in runs per call and partition', () => {
    const assignment = new PartitionAssignment(5);
    const call = new SendCall();
    const key = Buffer.from('customer-7');
    const batch = [
      pendingRecord('t', 10, { call }),
      pendingRecord('t', 10, { call }),
      pendingRecord('t', 10, { call, key }),
      pendingRecord('t', 10, { call, requested: 5 }),
      pendingRecord('t', 10),
    ];
    const runs = assignment.assign('c/t', batch, 8, 30);
    const sticky = batch[0]!.partition;
    const keyed = partitionForKey(key, 8);
    expect(batch.map((r) => r.partition)).toEqual([sticky, sticky, keyed, 5, sticky]);
    // [first index, partition, count] per run: a new call starts a run even on the same partition.
    // The sticky partition is random, so one time in eight the keyed record shares it and joins
    // the first run.
    const triples = Array.from({ length: runs.length / RUN }, (_, r) => runs.slice(r * RUN, r * RUN + RUN));
    expect(triples[0]).toEqual([0, sticky, keyed === sticky ? 3 : 2]);
    expect(triples.at(-1)).toEqual([4, sticky, 1]);
  });

  it('moves keyless requests off a partition once its share is full, to one with nothing in flight', () => {
    const assignment = new PartitionAssignment(60_000);
    const first = [pendingRecord('t', 20 * 1024)];
    const firstRuns = assignment.assign('c/t', first, 2, 20 * 1024);
    // The first request filled its partition's share (16 KiB) and is still in flight there.
    const second = [pendingRecord('t', 100)];
    assignment.assign('c/t', second, 2, 100);
    expect(second[0]!.partition).not.toBe(first[0]!.partition);
    assignment.unload('c/t', firstRuns);
  });
});
