// The producer's one batching layer: the only place that lingers and cuts requests. Per topic of
// one cluster lane, it cuts the records waiting into requests of at most maxBatchRecords and
// maxBatchBytes, and holds a request that fills neither for up to the linger, for later sends to
// fill. The transports below send what they are handed, at once.
import { ValidationError } from '@flotilla/errors';
import type { PendingRecord } from './pending-record';

/**
 * Bytes Kafka's record format (v2) adds to each record beyond its key, value and headers: its
 * length, attributes, timestamp and offset deltas, key and value lengths and header count
 * (10-17 bytes for records under 2 MB), with room to spare. Counted per record against
 * maxBatchBytes, so a request that fits is one record batch on the wire rather than one and a
 * few records left over.
 */
export const RECORD_OVERHEAD_BYTES = 20;

/**
 * What one partition's record batch may hold, encoded: the broker's default message.max.bytes
 * (1,048,588) less the batch header (61), the topic name (up to 249 bytes) and slack for the
 * last record's lengths. A request cut to it is one record batch the broker accepts, and 1,000
 * records of 1 KiB still go as one request.
 */
const ONE_RECORD_BATCH_BYTES = 1_048_588 - 500;

export interface BatchLimits {
  /** Records per request to one topic. */
  readonly maxBatchRecords: number;
  /**
   * Bytes per request to one topic: keys, values and headers plus RECORD_OVERHEAD_BYTES per
   * record; a single larger record still goes alone.
   */
  readonly maxBatchBytes: number;
}

export interface BatcherOptions extends BatchLimits {
  /** How long a request that fills no limit waits for more records; 0 sends at once. */
  readonly lingerMs: number;
}

export const DEFAULT_BATCH_LIMITS: BatchLimits = { maxBatchRecords: 1_000, maxBatchBytes: ONE_RECORD_BATCH_BYTES };

/** The batching limits with their defaults; zero or NaN would send nothing (or spin), so they are refused. */
export function batchLimitsOf(options: Partial<Record<keyof BatchLimits, number | undefined>>): BatchLimits {
  const limits = { ...DEFAULT_BATCH_LIMITS };
  for (const field of Object.keys(DEFAULT_BATCH_LIMITS) as (keyof BatchLimits)[]) {
    const value = options[field];
    if (value === undefined) continue;
    if (!(Number.isInteger(value) && value > 0)) throw new ValidationError(`${field}: expected a positive integer, got ${String(value)}`, { field });
    limits[field] = value;
  }
  return limits;
}

/** A request cut from the head of a topic's queue. */
export interface BatchShape {
  /** Its records: at most maxBatchRecords and, past the first record, maxBatchBytes. */
  count: number;
  /** Their sizes summed (what acknowledging the request releases from the buffer). */
  bytes: number;
  /** Those of its keyless records without a requested partition, which share the sticky partition. */
  keylessBytes: number;
}

/** Receives each request cut: `whole` when it is the topic's whole queue (the same array). */
export type OnRequest = (batch: PendingRecord[], shape: BatchShape, whole: boolean) => void;

export class Batcher {
  /** Per topic, until when the records left in its queue wait for more. */
  private readonly holdUntil = new Map<string, number>();

  constructor(private readonly options: BatcherOptions) {}

  /**
   * Cuts requests from the head of `queue` while `canSend()` allows, handing each to `onRequest`
   * (which takes them out of the queue's count; a partial cut is spliced off here). Returns
   * until when what is left is held for the linger, or +Infinity when nothing is held.
   */
  cut(topic: string, queue: PendingRecord[], canSend: () => boolean, onRequest: OnRequest, now: () => number): number {
    const { lingerMs, maxBatchRecords, maxBatchBytes } = this.options;
    let cut = false;
    while (queue.length > 0 && canSend()) {
      const shape = batchAt(queue, maxBatchRecords, maxBatchBytes);
      const whole = shape.count === queue.length;
      // A request that fills no limit waits, at most the linger, for later sends' records: sent
      // at once, each small send (and what is left of one cut to size) would add a small
      // request, and the sticky partitioner would pile those on the least loaded partition.
      if (whole && lingerMs > 0 && shape.count < maxBatchRecords) {
        const at = now();
        // A remainder cut off just now waits afresh: the records before it just went out.
        if (cut || !this.holdUntil.has(topic)) this.holdUntil.set(topic, at + lingerMs);
        const until = this.holdUntil.get(topic)!;
        if (until > at) return until;
        this.holdUntil.delete(topic);
      }
      cut = !whole;
      onRequest(whole ? queue : queue.splice(0, shape.count), shape, whole);
      if (whole) break;
    }
    return Number.POSITIVE_INFINITY;
  }

  /** The topic's records left (re-routed elsewhere): its hold no longer applies. */
  forget(topic: string): void {
    this.holdUntil.delete(topic);
  }

  clear(): void {
    this.holdUntil.clear();
  }
}

/**
 * The request at the head of `queue`, in one pass over its records. It ends before a record
 * whose send asked for another compression than the first's: one request, one codec.
 */
export function batchAt(queue: readonly PendingRecord[], maxRecords: number, maxBytes: number): BatchShape {
  const limit = Math.min(queue.length, maxRecords);
  const compression = queue[0]?.call.compression;
  let bytes = 0;
  /** `bytes` with the record format's overhead per record: what maxBytes bounds. */
  let wireBytes = 0;
  let keylessBytes = 0;
  let count = 0;
  for (; count < limit; count++) {
    const { size, key, requested, call } = queue[count]!;
    if (call.compression !== compression) break;
    wireBytes += size + RECORD_OVERHEAD_BYTES;
    if (count > 0 && wireBytes > maxBytes) break;
    bytes += size;
    if (key === null && requested === undefined) keylessBytes += size;
  }
  return { count, bytes, keylessBytes };
}
