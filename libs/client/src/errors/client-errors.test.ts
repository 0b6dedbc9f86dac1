import { FlotillaError, ValidationError } from '@flotilla/errors';
import { UnknownTopicError as MappingUnknownTopicError } from '@flotilla/mapping';
import { describe, expect, it } from 'vitest';
import { BufferFullError, InvalidRecordError, RecordDroppedError, UnknownTopicError } from './client-errors';

describe('BufferFullError', () => {
  it('says which limit refused, with usage and limit, and that nothing was accepted', () => {
    const error = new BufferFullError({ records: 10_000, bytes: 5_000, maxRecords: 10_000, maxBytes: 1 << 20, adding: { records: 1, bytes: 10 } });
    expect(error.message).toBe('producer buffer full: 10000/10000 records (limit maxRecords); records were not accepted');
    expect(error).toBeInstanceOf(FlotillaError);
    expect(error.code).toBe('BUFFER_FULL');
    expect(error.retryable).toBe(true);
    expect(error.limit).toBe('maxRecords');
    expect(error.usage).toEqual({ records: 10_000, bytes: 5_000 });
    expect(error.limits).toEqual({ maxRecords: 10_000, maxBytes: 1 << 20 });
    expect(error.adding).toEqual({ records: 1, bytes: 10 });
  });

  it('names the byte limit when bytes are what ran out, and what did not fit', () => {
    const error = new BufferFullError({ records: 3, bytes: 900, maxRecords: 100, maxBytes: 1000, adding: { records: 2, bytes: 200 } });
    expect(error.message).toBe('producer buffer full: 900/1000 bytes (limit maxBytes), 200 more requested; records were not accepted');
    expect(error.limit).toBe('maxBytes');
  });

  it('keeps a limit the buffer already determined', () => {
    const error = new BufferFullError({ records: 100, bytes: 1000, maxRecords: 100, maxBytes: 1000, adding: { records: 1, bytes: 1 }, limit: 'maxBytes' });
    expect(error.limit).toBe('maxBytes');
  });

  it('is not retryable when the records could never fit, and says so', () => {
    const error = new BufferFullError({ records: 0, bytes: 0, maxRecords: 100, maxBytes: 1000, adding: { records: 1, bytes: 5000 } });
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('producer buffer cannot hold 5000 bytes at once (limit maxBytes = 1000); records were not accepted');
  });
});

describe('RecordDroppedError', () => {
  it('names the topic and why, and invites a retry', () => {
    const error = new RecordDroppedError('orders');
    expect(error.message).toBe('record for topic "orders" was dropped before delivery: the producer buffer was full (policy drop-oldest)');
    expect(error.topic).toBe('orders');
    expect(error.code).toBe('BUFFER_FULL');
    expect(error.retryable).toBe(true);
  });
});

describe('InvalidRecordError', () => {
  it('names the field, what was expected and what was found', () => {
    const error = new InvalidRecordError('messages[3].value', 'Buffer, string or null', 42);
    expect(error.message).toBe('messages[3].value: expected Buffer, string or null, got number');
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.field).toBe('messages[3].value');
    expect(error.code).toBe('VALIDATION');
    expect(error.retryable).toBe(false);
  });

  it.each([
    [undefined, 'undefined'],
    [null, 'null'],
    [[1], 'an array'],
    [{ a: 1 }, 'an object'],
    [Object.create(null), 'an object'],
    [new Date(0), 'an instance of Date'],
    [Buffer.from('x'), 'a Buffer'],
  ])('describes %o as %s without printing it', (value, kind) => {
    expect(new InvalidRecordError('messages[0].key', 'Buffer, string or null', value).message).toBe(
      `messages[0].key: expected Buffer, string or null, got ${kind}`,
    );
  });
});

describe('UnknownTopicError', () => {
  it('is the mapping library\'s class, so one catch covers both layers', () => {
    expect(UnknownTopicError).toBe(MappingUnknownTopicError);
  });
});
