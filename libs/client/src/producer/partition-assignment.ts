// Chooses each record's partition when its request is about to go out, and keeps the records in
// flight per partition that the sticky partitioner balances keyless requests by.
import { StickyPartitioner } from '../partitioning/sticky-partitioner';
import type { PendingRecord } from './pending-record';

/** The Java producer's default batch.size: keyless records move on after this much to one partition. */
const STICKY_BATCH_BYTES = 16 * 1024;

/**
 * Runs are a request's stretches of one call's records on one partition, as `RUN` numbers each:
 * the index of the first record, the partition, the count. A keyless send is one run; each run
 * is acknowledged in one step and counted in flight in one step.
 */
export const RUN = 3;

export class PartitionAssignment {
  /** Records in flight per `cluster/topic` and partition: the sticky partitioner's load. */
  private readonly inFlight = new Map<string, number[]>();
  private readonly partitioner: StickyPartitioner;

  constructor(lingerMs: number) {
    // A keyless batch is complete, and the next one goes elsewhere, once its partition got
    // STICKY_BATCH_BYTES or the linger passed (its request has gone out by then). Small sends in
    // quick succession therefore fill one partition's batch instead of one record each.
    this.partitioner = new StickyPartitioner({
      batchBytes: STICKY_BATCH_BYTES,
      lingerMs,
      load: (stickyKey, partition) => this.inFlight.get(stickyKey)?.[partition] ?? 0,
    });
  }

  /**
   * Sets every record's `partition` (the requested one, murmur2 of the key, or the sticky one
   * that the request's keyless records share, asked once with their bytes), counts the records
   * in flight there and returns the request's runs. `unload` them once the request settled.
   */
  assign(stickyKey: string, batch: readonly PendingRecord[], partitions: number, keylessBytes: number): number[] {
    let sticky: number | undefined;
    const runs: number[] = [];
    let run = -RUN;
    let runCall: PendingRecord['call'] | undefined;
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i]!;
      const partition = p.requested ?? (p.key === null ? (sticky ??= this.partitioner.partition(stickyKey, null, partitions, keylessBytes)) : this.partitioner.partition(stickyKey, p.key, partitions));
      p.partition = partition;
      if (p.call === runCall && partition === runs[run + 1]) runs[run + 2]! += 1;
      else {
        run = runs.push(i, partition, 1) - RUN;
        runCall = p.call;
      }
    }
    this.load(stickyKey, runs, 1);
    return runs;
  }

  unload(stickyKey: string, runs: readonly number[]): void {
    this.load(stickyKey, runs, -1);
  }

  private load(stickyKey: string, runs: readonly number[], sign: 1 | -1): void {
    let counts = this.inFlight.get(stickyKey);
    if (!counts) this.inFlight.set(stickyKey, (counts = []));
    for (let r = 0; r < runs.length; r += RUN) {
      const partition = runs[r + 1]!;
      counts[partition] = (counts[partition] ?? 0) + sign * runs[r + 2]!;
    }
  }
}
