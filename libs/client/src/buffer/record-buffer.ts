// The producer's bounded buffer ("fail but never block"): every record stays here from send()
// until a cluster acknowledges it, so an outage or a mapping change can re-send what was not
// acknowledged. Limits are checked all-or-nothing per call, so a caller never has half a batch
// accepted; when full, the caller gets the reason at once, or the oldest waiting records are
// evicted (drop-oldest) and handed back to be rejected.
//
// Each destination (an opaque key such as "cluster/topic") has a FIFO queue of pending records,
// kept in acceptance order whatever happens to them (taken, released, retargeted), so the
// producer takes the next N of a destination in O(N). A second list holds every pending record
// by age, so drop-oldest finds its victims in O(victims), skipping nothing that is in flight.
import { ValidationError } from '@flotilla/errors';
import type { BufferLimitKind, BufferOverflow, BufferUsage } from './buffer-overflow';
import { LinkedList, type ListNode } from './linked-list';

export type BufferFullPolicy = 'error' | 'drop-oldest';

export interface RecordBufferOptions {
  /** Bytes of all records held (pending and in flight). */
  readonly maxBytes: number;
  readonly maxRecords: number;
  /** 'error': refuse the new records. 'drop-oldest': evict the oldest pending ones instead. */
  readonly onFull: BufferFullPolicy;
}

export interface NewBufferEntry<T> {
  readonly value: T;
  /** What the record counts against maxBytes (key, value and headers). */
  readonly bytes: number;
  readonly destination: string;
}

/** A record in the buffer; the handle to pass back to take, release, remove. */
export interface BufferEntry<T> {
  readonly value: T;
  readonly bytes: number;
  readonly destination: string;
  /** Acceptance order across the whole buffer; each destination's queue is sorted by it. */
  readonly seq: number;
  readonly state: BufferEntryState;
}

/** 'removed' covers acknowledged, failed for good, evicted and cleared alike. */
export type BufferEntryState = 'pending' | 'in-flight' | 'removed';

export type AddResult<T> =
  | {
      readonly ok: true;
      /** The new entries, in input order. */
      readonly entries: readonly BufferEntry<T>[];
      /** Pending entries evicted to make room (drop-oldest), oldest first: reject their sends. */
      readonly evicted: readonly BufferEntry<T>[];
    }
  | { readonly ok: false; readonly overflow: BufferOverflow & { readonly limit: BufferLimitKind } };

class Entry<T> implements BufferEntry<T> {
  state: BufferEntryState = 'pending';
  /** Node in the destination's pending queue, while pending. */
  queueNode: ListNode<Entry<T>> | undefined;
  /** Node in the buffer-wide age list, while pending. */
  ageNode: ListNode<Entry<T>> | undefined;

  constructor(
    readonly owner: RecordBuffer<T>,
    readonly value: T,
    readonly bytes: number,
    public destination: string,
    readonly seq: number,
  ) {}
}

export class RecordBuffer<T> {
  private readonly limits: RecordBufferOptions;
  private readonly queues = new Map<string, LinkedList<Entry<T>>>();
  private readonly byAge = new LinkedList<Entry<T>>();
  private readonly inFlight = new Set<Entry<T>>();
  private nextSeq = 1;
  private usedBytes = 0;
  private usedRecords = 0;
  private inFlightBytesTotal = 0;
  private droppedTotal = 0;

  constructor(options: RecordBufferOptions) {
    for (const field of ['maxBytes', 'maxRecords'] as const) {
      const limit = options[field];
      if (!(Number.isSafeInteger(limit) && limit > 0)) {
        throw new ValidationError(`${field}: expected a positive integer, got ${String(limit)}`, { field });
      }
    }
    if (options.onFull !== 'error' && options.onFull !== 'drop-oldest') {
      throw new ValidationError(`onFull: expected "error" or "drop-oldest", got ${JSON.stringify(options.onFull)}`, { field: 'onFull' });
    }
    this.limits = { maxBytes: options.maxBytes, maxRecords: options.maxRecords, onFull: options.onFull };
  }

  /** Records held, pending and in flight. */
  get records(): number {
    return this.usedRecords;
  }

  get bytes(): number {
    return this.usedBytes;
  }

  get inFlightRecords(): number {
    return this.inFlight.size;
  }

  get inFlightBytes(): number {
    return this.inFlightBytesTotal;
  }

  /** Entries evicted by drop-oldest since the buffer was created. */
  get dropped(): number {
    return this.droppedTotal;
  }

  usage(): BufferUsage {
    return { records: this.usedRecords, bytes: this.usedBytes };
  }

  /**
   * Adds every entry or none. Under 'drop-oldest' it evicts the oldest pending entries first
   * when that makes room; it never evicts in-flight entries, and evicts nothing when even
   * evicting every pending entry would not be enough.
   */
  tryAdd(entries: readonly NewBufferEntry<T>[]): AddResult<T> {
    let addBytes = 0;
    entries.forEach((entry, i) => {
      if (!(Number.isSafeInteger(entry.bytes) && entry.bytes >= 0)) {
        throw new ValidationError(`entries[${i}].bytes: expected a non-negative integer, got ${String(entry.bytes)}`, {
          field: `entries[${i}].bytes`,
        });
      }
      addBytes += entry.bytes;
    });
    const adding = { records: entries.length, bytes: addBytes };

    const over = this.exceeded(this.usedRecords, this.usedBytes, adding);
    let evicted: Entry<T>[] = [];
    if (over !== undefined) {
      // Without the pending entries, only the in-flight ones would be left to make room around.
      const stillOver =
        this.limits.onFull === 'drop-oldest' ? this.exceeded(this.inFlight.size, this.inFlightBytesTotal, adding) : over;
      if (stillOver !== undefined) return { ok: false, overflow: this.overflow(adding, stillOver) };
      evicted = this.evictUntilFits(adding);
    }

    const added = entries.map((entry) => {
      const added = new Entry(this, entry.value, entry.bytes, entry.destination, this.nextSeq++);
      added.queueNode = this.queueOf(entry.destination).push(added);
      added.ageNode = this.byAge.push(added);
      return added;
    });
    this.usedRecords += adding.records;
    this.usedBytes += adding.bytes;
    return { ok: true, entries: added, evicted };
  }

  /**
   * Marks the next pending entries of `destination` in flight and returns them in FIFO order:
   * at most `maxRecords`, and no more than `maxBytes` together, except that the first entry is
   * always taken so an entry larger than `maxBytes` cannot block its queue.
   */
  take(destination: string, maxRecords: number, maxBytes = Number.POSITIVE_INFINITY): BufferEntry<T>[] {
    const queue = this.queues.get(destination);
    const taken: Entry<T>[] = [];
    if (queue === undefined) return taken;
    let bytes = 0;
    for (let node = queue.head; node !== undefined && taken.length < maxRecords; node = queue.head) {
      const entry = node.value;
      if (taken.length > 0 && bytes + entry.bytes > maxBytes) break;
      bytes += entry.bytes;
      this.unlinkPending(entry);
      entry.state = 'in-flight';
      this.inFlight.add(entry);
      this.inFlightBytesTotal += entry.bytes;
      taken.push(entry);
    }
    return taken;
  }

  /** The pending entries of `destination`, oldest first. Do not change the buffer while iterating. */
  pending(destination: string): IterableIterator<BufferEntry<T>> {
    const queue = this.queues.get(destination);
    return queue === undefined ? [][Symbol.iterator]() : queue.values();
  }

  pendingCount(destination: string): number {
    return this.queues.get(destination)?.size ?? 0;
  }

  /** Destinations that have pending entries. */
  destinations(): IterableIterator<string> {
    return this.queues.keys();
  }

  /**
   * Returns in-flight entries to pending (their send failed and will be retried), each in its
   * acceptance-order place in its destination's queue: ahead of anything accepted after it.
   */
  release(entries: Iterable<BufferEntry<T>>): void {
    const released: Entry<T>[] = [];
    for (const handle of entries) {
      const entry = this.own(handle, 'release');
      if (entry.state !== 'in-flight') continue;
      this.inFlight.delete(entry);
      this.inFlightBytesTotal -= entry.bytes;
      entry.state = 'pending';
      released.push(entry);
    }
    released.sort(bySeq);
    this.mergeIntoAgeList(released);
    for (const [destination, group] of groupByDestination(released)) this.mergeIntoQueue(destination, group);
  }

  /**
   * Takes entries out of the buffer for good (acknowledged, or failed and rejected), freeing
   * their space. Entries already removed are skipped, so a late duplicate settlement is harmless.
   */
  remove(entries: Iterable<BufferEntry<T>>): number {
    let removed = 0;
    for (const handle of entries) {
      const entry = this.own(handle, 'remove');
      if (entry.state === 'removed') continue;
      this.drop(entry);
      removed += 1;
    }
    return removed;
  }

  /**
   * Moves the entries `matches` selects to a new destination (a topic moved, a cluster failed
   * over). Pending entries join the new destination's queue in acceptance order, interleaved
   * with what is already there; in-flight entries change destination now and join that queue
   * if released. Returns how many entries changed destination.
   */
  retarget(matches: (entry: BufferEntry<T>) => boolean, newDestination: string | ((entry: BufferEntry<T>) => string)): number {
    const target = typeof newDestination === 'string' ? () => newDestination : newDestination;
    let moved = 0;
    for (const entry of this.inFlight) {
      if (!matches(entry)) continue;
      const destination = target(entry);
      if (destination === entry.destination) continue;
      entry.destination = destination;
      moved += 1;
    }
    // The age list is in acceptance order, so each group comes out already sorted.
    const movedPending: Entry<T>[] = [];
    for (const entry of this.byAge.values()) {
      if (!matches(entry)) continue;
      const destination = target(entry);
      if (destination === entry.destination) continue;
      this.unlinkFromQueue(entry);
      entry.destination = destination;
      movedPending.push(entry);
    }
    for (const [destination, group] of groupByDestination(movedPending)) this.mergeIntoQueue(destination, group);
    return moved + movedPending.length;
  }

  /** Removes every entry, pending and in flight, oldest first: for a shutdown that rejects them all. */
  clear(): BufferEntry<T>[] {
    const all = [...this.inFlight, ...this.byAge.values()].sort(bySeq);
    for (const entry of all) this.drop(entry);
    return all;
  }

  private exceeded(records: number, bytes: number, adding: BufferUsage): BufferLimitKind | undefined {
    if (records + adding.records > this.limits.maxRecords) return 'maxRecords';
    if (bytes + adding.bytes > this.limits.maxBytes) return 'maxBytes';
    return undefined;
  }

  private overflow(adding: BufferUsage, limit: BufferLimitKind): BufferOverflow & { readonly limit: BufferLimitKind } {
    const { maxRecords, maxBytes } = this.limits;
    return { records: this.usedRecords, bytes: this.usedBytes, maxRecords, maxBytes, adding, limit };
  }

  private evictUntilFits(adding: BufferUsage): Entry<T>[] {
    const evicted: Entry<T>[] = [];
    while (this.exceeded(this.usedRecords, this.usedBytes, adding) !== undefined) {
      // Cannot run out: tryAdd checked that the in-flight entries alone leave room.
      const oldest = this.byAge.head!.value;
      this.drop(oldest);
      evicted.push(oldest);
    }
    this.droppedTotal += evicted.length;
    return evicted;
  }

  private drop(entry: Entry<T>): void {
    if (entry.state === 'pending') this.unlinkPending(entry);
    else if (entry.state === 'in-flight') {
      this.inFlight.delete(entry);
      this.inFlightBytesTotal -= entry.bytes;
    }
    entry.state = 'removed';
    this.usedRecords -= 1;
    this.usedBytes -= entry.bytes;
  }

  private unlinkPending(entry: Entry<T>): void {
    this.unlinkFromQueue(entry);
    if (entry.ageNode !== undefined) this.byAge.remove(entry.ageNode);
    entry.ageNode = undefined;
  }

  private unlinkFromQueue(entry: Entry<T>): void {
    const node = entry.queueNode;
    if (node === undefined) return;
    const queue = node.list;
    queue?.remove(node);
    entry.queueNode = undefined;
    // Empty queues go, so destinations() lists only destinations with work.
    if (queue !== undefined && queue.size === 0) this.queues.delete(entry.destination);
  }

  private queueOf(destination: string): LinkedList<Entry<T>> {
    let queue = this.queues.get(destination);
    if (queue === undefined) this.queues.set(destination, (queue = new LinkedList()));
    return queue;
  }

  /** Merges entries sorted by seq into the destination's queue, keeping it sorted: O(queue + entries). */
  private mergeIntoQueue(destination: string, sorted: readonly Entry<T>[]): void {
    const queue = this.queueOf(destination);
    let cursor = queue.head;
    for (const entry of sorted) {
      while (cursor !== undefined && cursor.value.seq < entry.seq) cursor = cursor.next;
      entry.queueNode = queue.insertBefore(cursor, entry);
    }
  }

  /**
   * Same merge into the age list. Released entries are usually older than everything pending,
   * so the cursor rarely moves past the head.
   */
  private mergeIntoAgeList(sorted: readonly Entry<T>[]): void {
    let cursor = this.byAge.head;
    for (const entry of sorted) {
      while (cursor !== undefined && cursor.value.seq < entry.seq) cursor = cursor.next;
      entry.ageNode = this.byAge.insertBefore(cursor, entry);
    }
  }

  private own(handle: BufferEntry<T>, operation: string): Entry<T> {
    if (!(handle instanceof Entry) || handle.owner !== this) {
      throw new ValidationError(`${operation}: entry ${handle.seq} does not belong to this buffer`, { field: 'entries' });
    }
    return handle as Entry<T>;
  }
}

function bySeq(a: BufferEntry<unknown>, b: BufferEntry<unknown>): number {
  return a.seq - b.seq;
}

/** Groups entries by destination, each group keeping the input order. */
function groupByDestination<T>(entries: readonly Entry<T>[]): Map<string, Entry<T>[]> {
  const groups = new Map<string, Entry<T>[]>();
  for (const entry of entries) {
    const group = groups.get(entry.destination);
    if (group === undefined) groups.set(entry.destination, [entry]);
    else group.push(entry);
  }
  return groups;
}
