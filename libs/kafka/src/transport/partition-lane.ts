// One partition's records between the poll loop and the handler: a queue, the bounds a batch is
// cut to, and the marks at which the partition's fetching pauses and resumes. Pure.
import type { ConsumedRecord, TopicPartitionOffset } from './transport';

/**
 * A batch is whatever the lane holds when its handler is free, up to these bounds. Records pile up
 * while the handler awaits its commit, so batches grow with the load and one commit covers more
 * records: a handler that commits each batch keeps up with fetching only if a batch may hold
 * several fetches' worth (one fetch brings up to 1 MiB per partition). A trickle still goes out
 * record by record, at once.
 */
export const MAX_BATCH_RECORDS = 5_000;
export const MAX_BATCH_BYTES = 4 * 1024 * 1024;
/**
 * Queued records (or bytes) of one partition at which its fetching pauses until the handler
 * catches up, and below which it resumes. Pausing is dear: librdkafka discards what it prefetched
 * for the partition and, on resume, takes a few hundred milliseconds to deliver again. So the
 * marks sit far above what one poll brings (a fetch response holds up to 1 MiB per partition),
 * and the low mark leaves the handler enough to work on while the fetch restarts.
 */
export const LANE_HIGH_WATER_RECORDS = 100_000;
export const LANE_HIGH_WATER_BYTES = 32 * 1024 * 1024;
export const LANE_LOW_WATER_RECORDS = LANE_HIGH_WATER_RECORDS / 2;
export const LANE_LOW_WATER_BYTES = LANE_HIGH_WATER_BYTES / 2;
/**
 * Queued records (or bytes) of all lanes of a consumer at which every partition's fetching
 * pauses, and below which it resumes: what bounds a consumer's memory when its handlers are
 * slower than fetching (with partitionsConsumedConcurrently 1, every lane waits for one handler).
 * Lanes the application paused do not count, nor lanes paused by their own marks.
 */
export const TOTAL_HIGH_WATER_RECORDS = 2 * LANE_HIGH_WATER_RECORDS;
export const TOTAL_HIGH_WATER_BYTES = 2 * LANE_HIGH_WATER_BYTES;
export const TOTAL_LOW_WATER_RECORDS = TOTAL_HIGH_WATER_RECORDS / 2;
export const TOTAL_LOW_WATER_BYTES = TOTAL_HIGH_WATER_BYTES / 2;

export interface Lane {
  readonly topic: string;
  readonly partition: number;
  queue: ConsumedRecord[];
  /** Key and value bytes of `queue`. */
  queuedBytes: number;
  /** A batch of this lane is in its handler. */
  busy: boolean;
  /** Fetching paused because the queue is full, independent of the application's pause. */
  throttled: boolean;
  /** What the client was last told, to call pause/resume only on a change. */
  fetchPaused: boolean;
  /** A seek is waiting for the poll loop; records polled until then belong to the old position. */
  seeking: TopicPartitionOffset | undefined;
  /** Bumped by seek and revoke, so a handler that fails afterwards does not requeue stale records. */
  epoch: number;
  /** A failed batch waits for this timer before it is handed out again. */
  retry: NodeJS.Timeout | undefined;
}

export function newLane(topic: string, partition: number): Lane {
  return { topic, partition, queue: [], queuedBytes: 0, busy: false, throttled: false, fetchPaused: false, seeking: undefined, epoch: 0, retry: undefined };
}

export function laneKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

export function enqueue(lane: Lane, record: ConsumedRecord): void {
  lane.queue.push(record);
  lane.queuedBytes += bytesOf(record);
}

/** Puts a batch that was not handled back in front, to be handed out again. */
export function requeue(lane: Lane, records: readonly ConsumedRecord[]): void {
  lane.queue.unshift(...records);
  for (const record of records) lane.queuedBytes += bytesOf(record);
}

export function clearQueue(lane: Lane): void {
  lane.queue = [];
  lane.queuedBytes = 0;
}

/** The lane's next batch: its oldest records, within MAX_BATCH_RECORDS and MAX_BATCH_BYTES (at least one). */
export function takeBatch(lane: Lane): ConsumedRecord[] {
  let count = 0;
  let bytes = 0;
  const limit = Math.min(lane.queue.length, MAX_BATCH_RECORDS);
  while (count < limit) {
    const size = bytesOf(lane.queue[count]!);
    if (count > 0 && bytes + size > MAX_BATCH_BYTES) break;
    bytes += size;
    count += 1;
  }
  lane.queuedBytes -= bytes;
  return lane.queue.splice(0, count);
}

/**
 * Whether the lane's fetching should be paused: from the high-water mark until it has drained
 * below the low-water mark, so a lane near one mark does not flap between pause and resume.
 */
export function shouldThrottle(lane: Lane): boolean {
  return lane.throttled
    ? lane.queue.length > LANE_LOW_WATER_RECORDS || lane.queuedBytes > LANE_LOW_WATER_BYTES
    : lane.queue.length >= LANE_HIGH_WATER_RECORDS || lane.queuedBytes >= LANE_HIGH_WATER_BYTES;
}

function bytesOf(record: ConsumedRecord): number {
  return (record.key?.length ?? 0) + (record.value?.length ?? 0);
}
