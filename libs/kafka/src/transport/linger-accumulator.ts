// Collects the records of concurrent send() calls to one topic for up to `lingerMs` (or until a
// size bound) and sends them as one request, then hands every caller exactly its own results.
// kafkajs has no linger of its own; librdkafka has, so only the kafkajs transport needs this.
//
// One batch is in flight at a time, so batches reach the broker in the order the calls were
// made, and a call whose batch failed is rejected before any later batch carrying the rest of
// its records is sent: those records are then left out rather than written without their peers.
// Batches that closed while one was in flight go out together (within the size bounds) when it
// returns: under load requests grow instead of queueing up, whatever the linger. The next batch
// is handed to `send` before the returned batch's callers hear back, so its request is on its
// way while they go on (typically to make the next send() call), not after them.

export interface LingerOptions {
  lingerMs: number;
  maxBatchRecords: number;
  /**
   * Estimated bytes per partition (see `partitionOf`) of one request: keeps each partition's
   * record batch under the broker's limit, while a request may carry several partitions.
   */
  maxBatchBytes: number;
  /** Estimated bytes of one request over all its partitions (the broker caps a request's size). */
  maxRequestBytes: number;
}

/**
 * Closed batches merge only when their oldest calls were made within this of each other: a
 * request's deadline is its oldest call's, and a call made just now must not time out early
 * (and be written twice on retry) because it joined a backlog's near-expired call.
 */
const MERGE_DEADLINE_SKEW_MS = 1_000;

/** Sends one batch; resolves with one result per record in input order, or rejects for all. */
export type SendBatch<R, D> = (records: R[], deadline: number) => Promise<D[]>;

interface Call<D> {
  /** Filled as the call's batches return; undefined while none has, or when one batch held all of it. */
  results: D[] | undefined;
  readonly count: number;
  remaining: number;
  settled: boolean;
  readonly deadline: number;
  readonly resolve: (results: D[]) => void;
  readonly reject: (error: unknown) => void;
}

interface Slice<R, D> {
  readonly call: Call<D>;
  /** Index in the call's records of this slice's first record. */
  readonly start: number;
  readonly records: R[];
}

/** A batch handed to `send`, not yet settled. */
interface Sending<R, D> {
  readonly slices: readonly Slice<R, D>[];
  readonly count: number;
  readonly request: Promise<D[]>;
}

interface Batch<R, D> {
  readonly slices: Slice<R, D>[];
  count: number;
  /** Estimated bytes by partition number (small integers: an array, cheaper per record than a Map). */
  readonly bytes: number[];
  total: number;
}

export class LingerAccumulator<R, D> {
  private open: Batch<R, D> | undefined;
  private cancelLinger: (() => void) | undefined;
  private readonly ready: Batch<R, D>[] = [];
  private pumping: Promise<void> | undefined;

  constructor(
    private readonly options: LingerOptions,
    private readonly sizeOf: (record: R) => number,
    private readonly send: SendBatch<R, D>,
    /** The partition a record goes to; without it the byte bound applies to the whole request. */
    private readonly partitionOf: (record: R) => number = () => 0,
  ) {}

  /** Resolves with one result per record, in order, once every batch holding them was sent. */
  add(records: readonly R[], deadline: number): Promise<D[]> {
    if (records.length === 0) return Promise.resolve([]);
    return new Promise<D[]>((resolve, reject) => {
      const call: Call<D> = { results: undefined, count: records.length, remaining: records.length, settled: false, deadline, resolve, reject };
      let slice: Slice<R, D> | undefined;
      records.forEach((record, index) => {
        const size = this.sizeOf(record);
        const partition = this.partitionOf(record);
        const current = this.open;
        if (
          current &&
          current.count > 0 &&
          (current.count >= this.options.maxBatchRecords ||
            (current.bytes[partition] ?? 0) + size > this.options.maxBatchBytes ||
            current.total + size > this.options.maxRequestBytes)
        ) {
          this.close();
        }
        const batch = this.open ?? this.openBatch();
        if (!slice || batch.slices[batch.slices.length - 1] !== slice) {
          slice = { call, start: index, records: [] };
          batch.slices.push(slice);
        }
        slice.records.push(record);
        batch.count += 1;
        batch.bytes[partition] = (batch.bytes[partition] ?? 0) + size;
        batch.total += size;
      });
      // A full batch waits for nothing (else it would wait for the linger or the next call).
      if (this.open && this.open.count >= this.options.maxBatchRecords) this.close();
    });
  }

  /** Sends what is waiting without lingering further; resolves when nothing is left in flight. */
  async flush(): Promise<void> {
    this.close();
    while (this.pumping) await this.pumping;
  }

  private openBatch(): Batch<R, D> {
    const batch: Batch<R, D> = { slices: [], count: 0, bytes: [], total: 0 };
    this.open = batch;
    // Zero linger still coalesces the calls made in the same tick.
    if (this.options.lingerMs > 0) {
      const timer = setTimeout(() => this.close(), this.options.lingerMs);
      this.cancelLinger = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.close());
      this.cancelLinger = () => clearImmediate(immediate);
    }
    return batch;
  }

  private close(): void {
    this.cancelLinger?.();
    this.cancelLinger = undefined;
    if (this.open) this.ready.push(this.open);
    this.open = undefined;
    this.pump();
  }

  private pump(): void {
    if (this.pumping || this.ready.length === 0) return;
    this.pumping = this.drain().finally(() => {
      this.pumping = undefined;
      // A batch closed while the last send was settling would otherwise wait for the next call.
      this.pump();
    });
  }

  private async drain(): Promise<void> {
    for (let sending = this.start(this.next()); sending; ) {
      const { slices, request } = sending;
      let results: D[] | undefined;
      try {
        results = await request;
        if (results.length !== sending.count) throw new Error(`sent ${sending.count} records but got ${results.length} results`);
      } catch (error) {
        results = undefined;
        for (const { call } of slices) fail(call, error);
      }
      // After a failure's calls are failed, so the next batch leaves out the rest of their records;
      // before a success's callers hear back, so the next request waits at the client's per-broker
      // queue rather than behind whatever their continuations do (a new send, say).
      sending = this.start(this.next());
      if (results) settle(slices, results);
    }
  }

  /** The oldest closed batch, joined by those behind it as far as the size bounds allow. */
  private next(): Batch<R, D> | undefined {
    const batch = this.ready.shift();
    while (batch && this.ready.length > 0) {
      const following = this.ready[0]!;
      if (batch.count + following.count > this.options.maxBatchRecords || batch.total + following.total > this.options.maxRequestBytes || !this.fitsBytes(batch, following)) break;
      // Calls join batches in order: a batch's first slice holds its oldest call.
      if (following.slices[0]!.call.deadline - batch.slices[0]!.call.deadline > MERGE_DEADLINE_SKEW_MS) break;
      this.ready.shift();
      for (const slice of following.slices) batch.slices.push(slice);
      batch.count += following.count;
      batch.total += following.total;
      following.bytes.forEach((bytes, partition) => (batch.bytes[partition] = (batch.bytes[partition] ?? 0) + bytes));
    }
    return batch;
  }

  private fitsBytes(batch: Batch<R, D>, following: Batch<R, D>): boolean {
    // every(), like forEach(), visits only the partitions present (it skips an array's holes).
    return following.bytes.every((bytes, partition) => (batch.bytes[partition] ?? 0) + bytes <= this.options.maxBatchBytes);
  }

  /** Hands the batch's live records to `send`; undefined when there is nothing to send. */
  private start(batch: Batch<R, D> | undefined): Sending<R, D> | undefined {
    for (; batch; batch = this.next()) {
      const slices = batch.slices.filter((slice) => !slice.call.settled);
      if (slices.length === 0) continue;
      const records = concatenated(slices);
      // Calls join batches in order, so the first live slice holds the earliest deadline.
      const deadline = Math.min(...slices.map((slice) => slice.call.deadline));
      let request: Promise<D[]>;
      try {
        request = this.send(records, deadline);
      } catch (error) {
        request = Promise.reject(error);
      }
      return { slices, count: records.length, request };
    }
    return undefined;
  }
}

/** Hands each call of a sent batch its results; a call is resolved once all its records have them. */
function settle<R, D>(slices: readonly Slice<R, D>[], results: D[]): void {
  let next = 0;
  for (const { call, start, records: own } of slices) {
    if (call.settled) {
      next += own.length;
      continue;
    }
    if (own.length === call.count) {
      // The whole call went in this batch: its results are a run of the batch's, uncopied when
      // the batch is the call alone.
      call.settled = true;
      call.resolve(own.length === results.length ? results : results.slice(next, next + own.length));
      next += own.length;
      continue;
    }
    call.results ??= new Array<D>(call.count);
    for (let i = 0; i < own.length; i++) call.results[start + i] = results[next++] as D;
    call.remaining -= own.length;
    if (call.remaining === 0) {
      call.settled = true;
      call.resolve(call.results);
    }
  }
}

/**
 * The slices' records in order: the one slice's own array when there is one (a send of a call
 * that fills a batch by itself), else one copy. Array.prototype.flatMap took 70 ns per record.
 */
function concatenated<R, D>(slices: readonly Slice<R, D>[]): R[] {
  if (slices.length === 1) return slices[0]!.records;
  const records: R[] = [];
  for (const slice of slices) for (const record of slice.records) records.push(record);
  return records;
}

function fail<D>(call: Call<D>, error: unknown): void {
  if (call.settled) return;
  call.settled = true;
  call.reject(error);
}
