// Everything the producer has for one cluster: its transport (connected in the background, with
// backoff), the records waiting per topic in acceptance order, the records in flight, and the
// pump that hands the batcher's requests on once the cluster is reachable.
import type { ProducerTransport } from '@flotilla/kafka';
import type { ClusterRef } from '@flotilla/mapping';
import { Backoff, retry, type BackoffPolicy } from '@flotilla/retry';
import { Batcher, type BatchShape, type BatcherOptions } from './batcher';
import type { PendingRecord } from './pending-record';

export interface LaneOptions extends BatcherOptions {
  /** Records in flight to the cluster at most; the rest wait in the lane's queues. */
  readonly maxInFlightRecords: number;
}

/** What a lane asks of the producer it belongs to. */
export interface LaneOwner {
  /** Whether another cluster still has records of `topic` in flight: the lane must not start it. */
  blocked(topic: string, cluster: string): boolean;
  /** Sends a request the batcher cut (its records already counted in the lane's `inFlight`). */
  dispatch(lane: ClusterLane, topic: string, batch: PendingRecord[], shape: BatchShape): void;
}

/** Back-off between connect attempts while the cluster cannot be reached. */
const CONNECT_BACKOFF: BackoffPolicy = { initialMs: 200, maxMs: 5_000 };
/** Back-off after a failed request (outage, timeout) before the lane sends again. */
const SEND_BACKOFF: BackoffPolicy = { initialMs: 100, maxMs: 2_000 };
/** How soon a lane looks again at records held back by another cluster's in-flight records. */
const BLOCKED_RECHECK_MS = 5;

/** The lane's pump timer while it waits for a microtask (nothing to clear). */
const MICROTASK = Symbol('microtask');

export class ClusterLane {
  /** Records waiting (not in flight), per topic, in acceptance order. */
  readonly queues = new Map<string, PendingRecord[]>();
  waiting = 0;
  inFlight = 0;
  closed = false;
  private ready = false;
  private readonly batcher: Batcher;
  private readonly sendBackoff = new Backoff(SEND_BACKOFF);
  /** Not before this (Date.now()) does the lane send again after a failed request. */
  private retryAt = 0;
  /** Ends the connect attempts when the lane closes. */
  private readonly closing = new AbortController();
  private timer: NodeJS.Timeout | typeof MICROTASK | undefined;
  /** Pumps once the batcher's earliest hold is over. */
  private holdTimer: NodeJS.Timeout | undefined;
  /** Per topic, settles once the latest request has been handed to the transport. */
  private readonly issuing = new Map<string, Promise<void>>();
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    readonly cluster: ClusterRef,
    readonly transport: ProducerTransport,
    private readonly options: LaneOptions,
    private readonly owner: LaneOwner,
  ) {
    this.batcher = new Batcher(options);
  }

  /** Connects in the background, retrying with back-off until connected or closed; pumps once connected. */
  async connect(): Promise<void> {
    try {
      await retry(() => this.transport.connect(), { backoff: CONNECT_BACKOFF, signal: this.closing.signal, ref: false });
    } catch {
      return; // Closed before the cluster answered.
    }
    this.ready = true;
    this.pump();
  }

  /** Adds a send's records for `topic`; they carry the highest sequence numbers yet, so they go last. */
  append(topic: string, records: PendingRecord[]): void {
    const queue = this.queues.get(topic);
    if (queue === undefined || queue.length === 0) this.queues.set(topic, records);
    else for (const record of records) queue.push(record);
    this.waiting += records.length;
    this.schedulePump();
  }

  /** Inserts keeping the queue in acceptance order (a re-queued record goes back in place). */
  enqueue(record: PendingRecord): void {
    this.waiting += 1;
    let queue = this.queues.get(record.topic);
    if (!queue) this.queues.set(record.topic, (queue = []));
    if (queue.length === 0 || queue[queue.length - 1]!.seq < record.seq) queue.push(record);
    else {
      let lo = 0;
      let hi = queue.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (queue[mid]!.seq < record.seq) lo = mid + 1;
        else hi = mid;
      }
      queue.splice(lo, 0, record);
    }
    this.schedulePump();
  }

  /** Takes a topic's waiting records out of the lane (to route them elsewhere). */
  take(topic: string): PendingRecord[] {
    const queue = this.queues.get(topic) ?? [];
    this.queues.delete(topic);
    this.batcher.forget(topic);
    this.waiting -= queue.length;
    return queue;
  }

  /** Takes the oldest waiting record of the queue whose head is `queue`'s (drop-oldest eviction). */
  shift(queue: PendingRecord[]): PendingRecord | undefined {
    const record = queue.shift();
    if (record) this.waiting -= 1;
    return record;
  }

  /**
   * Hands `batch` to the transport after the topic's earlier requests (the transport keeps call
   * order per partition; a later request must not overtake one still looking up metadata), once
   * `assign` chose its partitions from the topic's partition count. Resolves with the offsets.
   */
  async send(topic: string, batch: readonly PendingRecord[], assign: (partitions: number) => void): Promise<number[]> {
    const previous = this.issuing.get(topic);
    let issued!: () => void;
    const handedOver = new Promise<void>((resolve) => (issued = resolve));
    this.issuing.set(topic, handedOver);
    try {
      if (previous) await previous;
      assign(await this.transport.partitionCount(topic));
      // A request holds one compression (batchAt); None, the common case, passes no options.
      const compression = batch[0]?.call.compression ?? 0;
      const sending = compression === 0 ? this.transport.send(topic, batch) : this.transport.send(topic, batch, { compression });
      issued();
      return await sending;
    } finally {
      issued();
      if (this.issuing.get(topic) === handedOver) this.issuing.delete(topic);
    }
  }

  /**
   * `count` records in flight settled: acknowledged, rejected for good (bad input), or not
   * delivered for now (outage, timeout), after which the lane backs off before sending again.
   */
  settled(count: number, outcome: 'acknowledged' | 'rejected' | 'unavailable'): void {
    this.inFlight -= count;
    if (outcome === 'acknowledged') this.sendBackoff.reset();
    else if (outcome === 'unavailable') this.retryAt = Date.now() + this.sendBackoff.next();
    if (this.inFlight === 0) for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  /** Resolves once nothing is in flight. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops sending and closes the transport; returns the records still waiting, taken out of the lane. */
  close(): PendingRecord[] {
    this.closed = true;
    this.closing.abort();
    if (this.timer && this.timer !== MICROTASK) clearTimeout(this.timer);
    this.timer = undefined;
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.batcher.clear();
    const waiting: PendingRecord[] = [];
    for (const queue of this.queues.values()) for (const record of queue) waiting.push(record);
    this.queues.clear();
    this.waiting = 0;
    void this.transport.disconnect().catch(() => undefined);
    return waiting;
  }

  schedulePump(delayMs = 0): void {
    if (this.timer || this.closed) return;
    // Once the current job's microtasks ran: every record of the send() call is queued by then,
    // and so are those of the calls the same acknowledgement set off. Not on a later turn of the
    // event loop, which waits behind whatever else is due (a burst of delivery reports can hold
    // it for tens of milliseconds): a send() waits for no clock.
    if (delayMs <= 0) {
      this.timer = MICROTASK;
      queueMicrotask(() => {
        // Closed meanwhile (close clears it): nothing to pump.
        if (this.timer !== MICROTASK) return;
        this.timer = undefined;
        this.pump();
      });
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pump();
    }, delayMs);
  }

  /** Hands on every request the batcher cuts now, within the in-flight bound. */
  pump(): void {
    if (!this.ready || this.closed) return;
    const wait = this.retryAt - Date.now();
    if (wait > 0) return this.schedulePump(wait);
    const name = this.cluster.name;
    let blocked = false;
    let now = 0;
    const clock = (): number => (now ||= Date.now());
    let nextHold = Number.POSITIVE_INFINITY;
    const canSend = (): boolean => this.inFlight < this.options.maxInFlightRecords;
    for (const [topic, queue] of this.queues) {
      if (!canSend()) break;
      if (queue.length === 0) {
        this.queues.delete(topic);
        continue;
      }
      if (this.owner.blocked(topic, name)) {
        blocked = true;
        continue;
      }
      const heldUntil = this.batcher.cut(topic, queue, canSend, (batch, shape, whole) => {
        if (whole) this.queues.delete(topic);
        this.waiting -= batch.length;
        this.inFlight += batch.length;
        this.owner.dispatch(this, topic, batch, shape);
      }, clock);
      nextHold = Math.min(nextHold, heldUntil);
    }
    if (blocked) this.schedulePump(BLOCKED_RECHECK_MS);
    // What is held goes once its wait is over, unless a later send's records took it along.
    clearTimeout(this.holdTimer);
    this.holdTimer =
      nextHold === Number.POSITIVE_INFINITY
        ? undefined
        : setTimeout(() => {
            this.holdTimer = undefined;
            this.pump();
          }, nextHold - clock());
  }
}
