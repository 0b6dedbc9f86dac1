// The records an HTTP consumer's batch handlers hold until a client takes them. Each batch's
// handler waits in offer() until every record of it was handed out (or the batch is given back), so
// the consumer fetches no further than clients take: the queue never holds more than the batches
// of the handlers running at once. Taking a record resolves its offset (the consumer goes on after
// it) and notes it as given, which a commit without offsets commits.

export interface OfferedBatch<M extends { readonly offset: string }> {
  readonly cluster: string;
  readonly partition: number;
  readonly messages: readonly M[];
  /** Marks the records up to `offset` handled: the consumer reads on after it. */
  readonly resolveOffset: (offset: string) => void;
}

export interface Handed<M> {
  readonly cluster: string;
  readonly partition: number;
  readonly message: M;
}

/** A partition's next offset to read, as Kafka commits it. */
export interface GivenOffset {
  readonly cluster: string;
  readonly partition: number;
  readonly offset: string;
}

interface Held<M extends { readonly offset: string }> {
  readonly batch: OfferedBatch<M>;
  /** Index of the next record to hand out. */
  next: number;
  readonly done: () => void;
}

export const partitionKey = (cluster: string, partition: number): string => `${cluster}/${partition}`;

export class HandoutQueue<M extends { readonly offset: string }> {
  #held: Held<M>[] = [];
  readonly #wakers = new Set<() => void>();
  readonly #given = new Map<string, GivenOffset>();
  #closed = false;

  /** Resolves once every record of `batch` was handed out, or it was given back (release, close). */
  offer(batch: OfferedBatch<M>): Promise<void> {
    if (this.#closed || batch.messages.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.#held.push({ batch, next: 0, done: resolve });
      for (const wake of [...this.#wakers]) wake();
    });
  }

  /** Records waiting to be taken. */
  get waiting(): number {
    return this.#held.reduce((sum, held) => sum + held.batch.messages.length - held.next, 0);
  }

  /** Up to `max` records, oldest batch first; each batch's records in offset order. */
  take(max: number): Handed<M>[] {
    const taken: Handed<M>[] = [];
    while (taken.length < max && this.#held.length > 0) {
      const head = this.#held[0]!;
      const { cluster, partition, messages } = head.batch;
      const end = Math.min(messages.length, head.next + max - taken.length);
      for (let i = head.next; i < end; i++) taken.push({ cluster, partition, message: messages[i]! });
      head.next = end;
      const last = messages[end - 1]!.offset;
      head.batch.resolveOffset(last);
      this.#given.set(partitionKey(cluster, partition), { cluster, partition, offset: (BigInt(last) + 1n).toString() });
      if (head.next === messages.length) {
        this.#held.shift();
        head.done();
      }
    }
    return taken;
  }

  /** Resolves when records wait, after `timeoutMs`, when `signal` aborts, or when the queue closes. */
  async waitForRecords(timeoutMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#held.length > 0 || this.#closed || signal?.aborted) return;
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.#wakers.delete(finish);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      signal?.addEventListener('abort', finish, { once: true });
      this.#wakers.add(finish);
    });
  }

  /**
   * Gives back the held batches `which` selects (all by default): their handlers return with what
   * was handed out resolved, and the consumer reads the rest again. A rebalance must not wait on
   * a client that is not fetching.
   */
  release(which: (batch: OfferedBatch<M>) => boolean = () => true): number {
    const released = this.#held.filter((held) => which(held.batch));
    this.#held = this.#held.filter((held) => !which(held.batch));
    for (const held of released) held.done();
    return released.length;
  }

  /** Per partition, the offset after the last record handed out. */
  given(): GivenOffset[] {
    return [...this.#given.values()];
  }

  /** Forgets what was given of `cluster`'s partitions that `keep` refuses (no longer this consumer's). */
  forget(cluster: string, keep: (partition: number) => boolean): void {
    for (const [key, given] of this.#given) if (given.cluster === cluster && !keep(given.partition)) this.#given.delete(key);
  }

  /** Gives every batch back, wakes every waiter and takes no more batches. */
  close(): void {
    this.#closed = true;
    this.release();
    for (const wake of [...this.#wakers]) wake();
  }
}
