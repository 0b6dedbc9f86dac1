// KIP-480's sticky partitioner: records without a key all go to one partition per topic until
// that partition's batch is complete, then to another one. Spreading them record by record
// would send many small batches; sticking fills batches, which roughly halves broker CPU and
// latency at the same throughput. Keyed records ignore all of this and use murmur2.
//
// Like KIP-794's adaptive partitioning, the next partition is one with the least load (records
// the producer still has in flight there) when the producer reports load: a random choice
// sometimes stacks several in-flight batches on one partition while another idles, and that
// partition's turn then bounds the throughput.
import { ValidationError } from '@flotilla/errors';
import { partitionForKey } from './murmur2';
import type { Partitioner } from './partitioner';

export interface StickyPartitionerOptions {
  /**
   * Also switch after this many bytes went to the sticky partition (like the Java producer's
   * batch.size under KIP-794), for producers that do not report batch completion. Counted from
   * the `recordBytes` passed to `partition`; unset, only `onBatchSent` switches.
   */
  readonly batchBytes?: number;
  /**
   * Also switch once more than this many milliseconds passed since the sticky partition was
   * chosen: its batch has gone out by then (the producer's linger), even if it stayed small.
   * Unset, time never switches.
   */
  readonly lingerMs?: number;
  /** Milliseconds clock for `lingerMs`; injectable for tests. Defaults to Date.now. */
  readonly now?: () => number;
  /** Uniform in [0, 1); injectable so tests are deterministic. Defaults to Math.random. */
  readonly random?: () => number;
  /**
   * The load of a partition of `topic` (e.g. records in flight there). When given, the next
   * partition is the least loaded other than the one just left, at random among equals.
   */
  readonly load?: (topic: string, partition: number) => number;
}

interface Sticky {
  partition: number;
  /** Bytes sent to `partition` since it was chosen. */
  bytes: number;
  /** When `partition` was chosen (`now()`). */
  since: number;
  /** The batch on `partition` is complete; the next non-keyed record picks another partition. */
  complete: boolean;
}

export class StickyPartitioner implements Partitioner {
  private readonly sticky = new Map<string, Sticky>();
  private readonly batchBytes: number;
  private readonly lingerMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly load: ((topic: string, partition: number) => number) | undefined;

  constructor(options: StickyPartitionerOptions = {}) {
    const { batchBytes, lingerMs, now = Date.now, random = Math.random, load } = options;
    if (batchBytes !== undefined && !(Number.isInteger(batchBytes) && batchBytes > 0)) {
      throw new ValidationError(`batchBytes: expected a positive integer, got ${String(batchBytes)}`, { field: 'batchBytes' });
    }
    if (lingerMs !== undefined && !(Number.isFinite(lingerMs) && lingerMs >= 0)) {
      throw new ValidationError(`lingerMs: expected a non-negative number, got ${String(lingerMs)}`, { field: 'lingerMs' });
    }
    this.batchBytes = batchBytes ?? Number.POSITIVE_INFINITY;
    this.lingerMs = lingerMs ?? Number.POSITIVE_INFINITY;
    this.now = now;
    this.random = random;
    this.load = load;
  }

  /** `recordBytes` feeds the optional `batchBytes` threshold; it is ignored for keyed records. */
  partition(topic: string, key: Buffer | null, partitionCount: number, recordBytes = 0): number {
    if (!(Number.isInteger(partitionCount) && partitionCount > 0)) {
      throw new ValidationError(`partitionCount of topic "${topic}": expected a positive integer, got ${String(partitionCount)}`, {
        field: 'partitionCount',
      });
    }
    if (key !== null) return partitionForKey(key, partitionCount);

    let state = this.sticky.get(topic);
    // A topic can come back with fewer partitions (recreated, or moved to another cluster):
    // the old choice may not exist there.
    if (state === undefined || state.complete || state.partition >= partitionCount || this.lingered(state)) {
      const previous = state?.partition;
      state = { partition: this.pick(topic, partitionCount, previous), bytes: 0, since: this.now(), complete: false };
      this.sticky.set(topic, state);
    }
    state.bytes += recordBytes;
    // The record that crosses the threshold still joins the current batch; the next one moves.
    if (state.bytes >= this.batchBytes) state.complete = true;
    return state.partition;
  }

  /** More than `lingerMs` since the partition was chosen (never without `lingerMs`: no clock read). */
  private lingered(state: Sticky): boolean {
    return this.lingerMs !== Number.POSITIVE_INFINITY && this.now() - state.since > this.lingerMs;
  }

  onBatchSent(topic: string, partition?: number): void {
    const state = this.sticky.get(topic);
    if (state === undefined) return;
    // A late completion of an earlier batch must not cut short the batch now being filled.
    if (partition !== undefined && partition !== state.partition) return;
    state.complete = true;
  }

  /** Forgets a topic's choice, e.g. when the producer stops writing it. */
  forget(topic: string): void {
    this.sticky.delete(topic);
  }

  /**
   * A partition other than `previous` when there is a choice (landing on the same partition
   * again would merge two batches' worth of records into one partition's turn and skew the
   * spread): the least loaded one when load is known, uniformly random among equals.
   */
  private pick(topic: string, partitionCount: number, previous: number | undefined): number {
    if (partitionCount === 1) return 0;
    const excluded = previous !== undefined && previous < partitionCount ? previous : -1;
    if (this.load === undefined) {
      if (excluded < 0) return this.randomBelow(partitionCount);
      const other = this.randomBelow(partitionCount - 1);
      return other >= excluded ? other + 1 : other;
    }
    // Reservoir sampling over the least-loaded candidates: one pass, no allocation.
    let best = Number.POSITIVE_INFINITY;
    let chosen = 0;
    let ties = 0;
    for (let p = 0; p < partitionCount; p++) {
      if (p === excluded) continue;
      const load = this.load(topic, p);
      if (load < best) {
        best = load;
        chosen = p;
        ties = 1;
      } else if (load === best && this.randomBelow(++ties) === 0) {
        chosen = p;
      }
    }
    return chosen;
  }

  private randomBelow(n: number): number {
    // min() guards a random source that returns exactly 1.
    return Math.min(Math.floor(this.random() * n), n - 1);
  }
}
