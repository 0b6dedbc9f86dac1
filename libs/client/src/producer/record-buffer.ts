// The producer's bounded buffer ("fail but never block"): every accepted record holds its bytes
// here until a cluster acknowledged it or it failed for good. Admission is all or nothing; a
// full buffer refuses at once (BufferFullError) or, under drop-oldest, evicts the oldest records
// that are not in flight (RecordDroppedError to their callers).
import { BufferFullError, RecordDroppedError } from '../errors/client-errors';
import type { PendingRecord } from './pending-record';
import type { ProducerMetrics } from './producer-metrics';
import type { BufferLimits } from './producer-types';

export const DEFAULT_BUFFER: BufferLimits = { maxBytes: 64 * 1024 * 1024, maxRecords: 100_000, onFull: 'error' };

/** Takes the oldest record waiting (not in flight) out of its queue; undefined when none waits. */
export type EvictOldest = () => { record: PendingRecord; cluster: string } | undefined;

export class RecordBuffer {
  readonly limits: BufferLimits;
  private bytes = 0;
  private records = 0;
  private readonly emptyWaiters: (() => void)[] = [];

  constructor(
    limits: Partial<BufferLimits> | undefined,
    private readonly metrics?: Pick<ProducerMetrics, 'rejected' | 'dropped' | 'bufferedBytes' | 'bufferedRecords'>,
  ) {
    this.limits = { ...DEFAULT_BUFFER, ...limits };
  }

  /**
   * Takes `records` of `bytes` in, or throws BufferFullError and takes nothing. Under drop-oldest,
   * first evicts what `evictOldest` gives until they fit.
   */
  admit(records: number, bytes: number, evictOldest: EvictOldest): void {
    if (!this.fits(records, bytes)) this.makeRoom(records, bytes, evictOldest);
    this.bytes += bytes;
    this.records += records;
    this.updateGauges();
  }

  /** Records acknowledged or failed for good give their room back. */
  release(records: number, bytes: number): void {
    this.bytes -= bytes;
    this.records -= records;
    this.updateGauges();
    if (this.records === 0) for (const waiter of this.emptyWaiters.splice(0)) waiter();
  }

  /** Resolves once every record admitted so far is released. */
  whenEmpty(): Promise<void> {
    if (this.records === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }

  usage(): { bytes: number; records: number; limits: BufferLimits } {
    return { bytes: this.bytes, records: this.records, limits: this.limits };
  }

  private fits(records: number, bytes: number): boolean {
    return this.records + records <= this.limits.maxRecords && this.bytes + bytes <= this.limits.maxBytes;
  }

  private makeRoom(records: number, bytes: number, evictOldest: EvictOldest): void {
    if (records > this.limits.maxRecords || bytes > this.limits.maxBytes || this.limits.onFull === 'error') this.refuse(records, bytes);
    while (!this.fits(records, bytes)) {
      const oldest = evictOldest();
      if (!oldest) this.refuse(records, bytes);
      const { record, cluster } = oldest;
      this.release(1, record.size);
      this.metrics?.dropped.inc({ cluster, topic: record.topic });
      record.call.fail(new RecordDroppedError(record.topic, 'the producer buffer was full (policy drop-oldest)'));
    }
  }

  private refuse(records: number, bytes: number): never {
    this.metrics?.rejected.inc(records);
    throw new BufferFullError({ records: this.records, bytes: this.bytes, maxRecords: this.limits.maxRecords, maxBytes: this.limits.maxBytes, adding: { records, bytes } });
  }

  private updateGauges(): void {
    this.metrics?.bufferedBytes.set(this.bytes);
    this.metrics?.bufferedRecords.set(this.records);
  }
}
