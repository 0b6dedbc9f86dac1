// The partitions' lanes of one consumer and how their records reach the handler: one batch of a
// lane at a time, the next as soon as the handler returns, and a batch the handler failed again
// after a pause. Fetching is the client's business: the lanes say when a lane's fill changed
// (`syncFetch`) and ask whether the application paused a partition (`isPaused`).
import type { ConsumedBatch } from './transport';
import {
  clearQueue,
  laneKey,
  newLane,
  requeue,
  shouldThrottle,
  takeBatch,
  TOTAL_HIGH_WATER_BYTES,
  TOTAL_HIGH_WATER_RECORDS,
  TOTAL_LOW_WATER_BYTES,
  TOTAL_LOW_WATER_RECORDS,
  type Lane,
} from './partition-lane';

export type OnBatch = (batch: ConsumedBatch) => Promise<void>;

export interface LaneClient {
  /** Whether the application paused this partition. */
  isPaused(topic: string, partition: number): boolean;
  /** Brings the client's fetching of the lane's partition in line with `holdsFetch(lane)` and the pause. */
  syncFetch(lane: Lane): void;
  /** The partition's end offset as last fetched, if known. */
  highWatermark(lane: Lane): string | undefined;
}

/** How long a batch the handler failed waits before it is handed out again. */
export const REDELIVERY_DELAY_MS = 1_000;

export class PartitionLanes {
  private readonly lanes = new Map<string, Lane>();
  private readonly handlers = new Set<Promise<void>>();
  private onBatch: OnBatch | undefined;
  private closing = false;
  /** The lanes together hold the total high-water mark: every partition's fetching waits. */
  private full = false;

  constructor(
    private readonly client: LaneClient,
    private readonly redeliveryDelayMs = REDELIVERY_DELAY_MS,
  ) {}

  /** From now on batches go to `onBatch`, also those queued under the previous handler. */
  handTo(onBatch: OnBatch): void {
    this.onBatch = onBatch;
    for (const lane of this.lanes.values()) this.kick(lane);
  }

  get(topic: string, partition: number): Lane | undefined {
    return this.lanes.get(laneKey(topic, partition));
  }

  /** The partition's lane, made when it has none. */
  laneFor(topic: string, partition: number): Lane {
    const key = laneKey(topic, partition);
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = newLane(topic, partition);
      this.lanes.set(key, lane);
    }
    return lane;
  }

  values(): IterableIterator<Lane> {
    return this.lanes.values();
  }

  /** After records were queued (`enqueue`): checks the lane's fill and hands out its next batch. */
  filled(lane: Lane): void {
    this.throttle(lane);
    this.checkTotal();
    this.kick(lane);
  }

  /** Whether the lane's partition should not be fetched now: it, or all lanes together, hold too much. */
  holdsFetch(lane: Lane): boolean {
    return lane.throttled || this.full;
  }

  /** Forgets the lane (revoked, unsubscribed): what it queued is not delivered, a failing handler does not requeue. */
  drop(lane: Lane): void {
    lane.epoch += 1;
    clearQueue(lane);
    clearTimeout(lane.retry);
    lane.retry = undefined;
    const key = laneKey(lane.topic, lane.partition);
    if (this.lanes.get(key) === lane) this.lanes.delete(key);
    this.checkTotal();
  }

  /** Hands the lane's next batch to the handler, unless one is there already or the lane waits. */
  kick(lane: Lane): void {
    const onBatch = this.onBatch;
    if (lane.busy || lane.retry || lane.queue.length === 0 || !onBatch || this.closing) return;
    if (this.lanes.get(laneKey(lane.topic, lane.partition)) !== lane || this.client.isPaused(lane.topic, lane.partition)) return;
    const records = takeBatch(lane);
    const epoch = lane.epoch;
    const highWatermark = this.client.highWatermark(lane);
    const batch: ConsumedBatch = { topic: lane.topic, partition: lane.partition, records, ...(highWatermark === undefined ? {} : { highWatermark }) };
    lane.busy = true;
    const handled = Promise.resolve()
      .then(() => onBatch(batch))
      .then(
        () => {
          lane.busy = false;
          this.throttle(lane);
          if (this.full) this.checkTotal();
          this.kick(lane);
        },
        () => {
          lane.busy = false;
          if (lane.epoch !== epoch || this.closing) return;
          // Not handled means not read: the same records again, after a pause.
          requeue(lane, records);
          lane.retry = setTimeout(() => {
            lane.retry = undefined;
            this.kick(lane);
          }, this.redeliveryDelayMs);
        },
      );
    this.handlers.add(handled);
    void handled.finally(() => this.handlers.delete(handled));
  }

  /** Stops handing out batches; resolves once the handlers still running have returned. */
  async close(): Promise<void> {
    this.closing = true;
    for (const lane of this.lanes.values()) clearTimeout(lane.retry);
    await Promise.allSettled([...this.handlers]);
  }

  private throttle(lane: Lane): void {
    const throttled = shouldThrottle(lane);
    if (throttled === lane.throttled) return;
    lane.throttled = throttled;
    this.client.syncFetch(lane);
  }

  /**
   * Pauses every partition's fetching once the lanes together reach the total high-water mark,
   * and resumes them below the low one. A lane the application paused, or one paused by its own
   * marks, does not count: it must not hold the others back.
   */
  private checkTotal(): void {
    let records = 0;
    let bytes = 0;
    for (const lane of this.lanes.values()) {
      if (lane.throttled || this.client.isPaused(lane.topic, lane.partition)) continue;
      records += lane.queue.length;
      bytes += lane.queuedBytes;
    }
    const full = this.full
      ? records > TOTAL_LOW_WATER_RECORDS || bytes > TOTAL_LOW_WATER_BYTES
      : records >= TOTAL_HIGH_WATER_RECORDS || bytes >= TOTAL_HIGH_WATER_BYTES;
    if (full === this.full) return;
    this.full = full;
    for (const lane of this.lanes.values()) this.client.syncFetch(lane);
  }
}
