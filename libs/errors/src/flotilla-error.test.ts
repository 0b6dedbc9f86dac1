import { describe, expect, it } from 'vitest';
import { ConflictError, FlotillaError, NotFoundError, UnavailableError, ValidationError } from './flotilla-error';

describe('FlotillaError', () => {
  it('names the resource and id in not-found and conflict messages', () => {
    const missing = new NotFoundError('cluster', 'fronting-kafka-9');
    const duplicate = new ConflictError('cluster', 'fronting-kafka-1');

    expect(missing.message).toBe('cluster "fronting-kafka-9" not found');
    expect(missing.code).toBe('NOT_FOUND');
    expect(duplicate.message).toBe('cluster "fronting-kafka-1" already exists');
    expect(duplicate.code).toBe('CONFLICT');
    expect(duplicate).toBeInstanceOf(FlotillaError);
    expect(duplicate.name).toBe('ConflictError');
    expect(new NotFoundError('topic', 'clicks', { field: 'source', hint: 'create it first' }).message).toBe('source: topic "clicks" not found; create it first');
  });

  it('marks only conditions that pass by themselves as retryable', () => {
    expect(new UnavailableError('cluster down').retryable).toBe(true);
    expect(new FlotillaError('BUFFER_FULL', 'buffer full').retryable).toBe(true);
    expect(new ValidationError('bad input').retryable).toBe(false);
    expect(new ConflictError('topic', 'foo', 'is being moved', { retryable: true }).retryable).toBe(true);
  });

  it('answers KafkaJS code that reads `retriable` as `retryable` does', () => {
    expect(new UnavailableError('cluster down').retriable).toBe(true);
    expect(new ValidationError('bad input').retriable).toBe(false);
    expect(new ConflictError('topic', 'foo', 'is being moved', { retryable: true }).retriable).toBe(true);
  });

  it('wraps unknown throws as INTERNAL and keeps the cause', () => {
    const original = new TypeError('boom');
    const wrapped = FlotillaError.from(original);

    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('boom');
    expect(wrapped.cause).toBe(original);
    expect(FlotillaError.from(wrapped)).toBe(wrapped);
    expect(FlotillaError.from('plain string').message).toBe('plain string');
  });
});
