// The bounded buffer: all-or-nothing admission, the error policy, drop-oldest, and flush.
import { describe, expect, it } from 'vitest';
import { BufferFullError, RecordDroppedError } from '../errors/client-errors';
import { RecordBuffer } from './record-buffer';
import { pendingRecord } from '../test-support/pending-records';
import type { PendingRecord } from './pending-record';

const nothingToEvict = () => undefined;

describe('RecordBuffer', () => {
  it('admits within both limits and refuses a whole call that does not fit, taking none of it', () => {
    const buffer = new RecordBuffer({ maxRecords: 10, maxBytes: 1_000 });
    buffer.admit(8, 500, nothingToEvict);
    expect(() => buffer.admit(3, 10, nothingToEvict)).toThrow(BufferFullError);
    expect(() => buffer.admit(1, 600, nothingToEvict)).toThrow('producer buffer full: 500/1000 bytes (limit maxBytes), 600 more requested; records were not accepted');
    expect(buffer.usage()).toMatchObject({ records: 8, bytes: 500 });
    buffer.admit(2, 500, nothingToEvict);
    expect(buffer.usage()).toMatchObject({ records: 10, bytes: 1_000 });
  });

  it('says a call larger than the whole buffer can never fit, and does not invite a retry', () => {
    const buffer = new RecordBuffer({ maxRecords: 10, maxBytes: 1_000, onFull: 'drop-oldest' });
    const error = (() => {
      try {
        buffer.admit(11, 1, nothingToEvict);
      } catch (caught) {
        return caught as BufferFullError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(BufferFullError);
    expect(error?.retryable).toBe(false);
    expect(error?.message).toContain('cannot hold 11 records at once');
  });

  it('under drop-oldest evicts the oldest waiting records until the call fits, failing their calls with RecordDroppedError', async () => {
    const buffer = new RecordBuffer({ maxRecords: 3, maxBytes: 1_000, onFull: 'drop-oldest' });
    const waiting: PendingRecord[] = [pendingRecord('t', 10), pendingRecord('t', 10), pendingRecord('t', 10)];
    const outcomes = waiting.map((record) => record.call.start(1).catch((error: unknown) => error));
    buffer.admit(3, 30, nothingToEvict);
    buffer.admit(2, 20, () => {
      const record = waiting.shift();
      return record && { record, cluster: 'one' };
    });
    expect(buffer.usage()).toMatchObject({ records: 3, bytes: 30 });
    const [first, second] = await Promise.all(outcomes.slice(0, 2));
    expect(first).toBeInstanceOf(RecordDroppedError);
    expect(second).toBeInstanceOf(RecordDroppedError);
    expect(waiting).toHaveLength(1);
  });

  it('under drop-oldest refuses when nothing waiting can be evicted (all of it in flight)', () => {
    const buffer = new RecordBuffer({ maxRecords: 2, maxBytes: 1_000, onFull: 'drop-oldest' });
    buffer.admit(2, 20, nothingToEvict);
    expect(() => buffer.admit(1, 10, nothingToEvict)).toThrow(BufferFullError);
  });

  it('resolves whenEmpty once everything admitted so far is released', async () => {
    const buffer = new RecordBuffer(undefined);
    await buffer.whenEmpty();
    buffer.admit(3, 30, nothingToEvict);
    let empty = false;
    const flushed = buffer.whenEmpty().then(() => (empty = true));
    buffer.release(2, 20);
    await new Promise((resolve) => setImmediate(resolve));
    expect(empty).toBe(false);
    buffer.release(1, 10);
    await flushed;
    expect(buffer.usage()).toMatchObject({ records: 0, bytes: 0, limits: { maxRecords: 100_000, maxBytes: 64 * 1024 * 1024, onFull: 'error' } });
  });
});
