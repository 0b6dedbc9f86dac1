import { ConflictError, FlotillaError, UnavailableError, ValidationError } from '@flotilla/errors';
import { UnknownTopicError } from '@flotilla/mapping';
import { describe, expect, it } from 'vitest';
import { BufferFullError } from './client-errors';
import { KafkaJSError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded } from './kafkajs-errors';

const full = new BufferFullError({ records: 10, bytes: 100, maxRecords: 10, maxBytes: 1_000, adding: { records: 1, bytes: 10 } });

describe('KafkaJS error classes, matched by meaning', () => {
  it('KafkaJSError is every error the client throws on purpose, and nothing else', () => {
    for (const error of [new ValidationError('bad'), new UnavailableError('down'), full, new UnknownTopicError('t', 'producer', 3)]) {
      expect(error).toBeInstanceOf(KafkaJSError);
      expect(typeof (error as KafkaJSError).retriable).toBe('boolean');
    }
    expect(new Error('plain')).not.toBeInstanceOf(KafkaJSError);
    expect(new TypeError('x')).not.toBeInstanceOf(KafkaJSError);
  });

  it('KafkaJSNonRetriableError is exactly those with retriable false', () => {
    expect(new ValidationError('bad')).toBeInstanceOf(KafkaJSNonRetriableError);
    expect(new ConflictError('topic', 'a')).toBeInstanceOf(KafkaJSNonRetriableError);
    expect(new UnknownTopicError('t', 'consumer', 3)).toBeInstanceOf(KafkaJSNonRetriableError);
    expect(new UnavailableError('down')).not.toBeInstanceOf(KafkaJSNonRetriableError);
    expect(full).not.toBeInstanceOf(KafkaJSNonRetriableError);
  });

  it('made as in KafkaJS, each has its name and retriable, and is a FlotillaError', () => {
    const base = new KafkaJSError('broker went away');
    expect(base).toMatchObject({ name: 'KafkaJSError', message: 'broker went away', retriable: true, code: 'UNAVAILABLE' });
    expect(new KafkaJSError(new Error('no'), { retriable: false })).toBeInstanceOf(KafkaJSNonRetriableError);
    const nonRetriable = new KafkaJSNonRetriableError('bad record');
    expect(nonRetriable).toMatchObject({ name: 'KafkaJSNonRetriableError', retriable: false });
    expect(nonRetriable).toBeInstanceOf(FlotillaError);
  });

  it('KafkaJSNumberOfRetriesExceeded wraps the last failure and is only itself', () => {
    const cause = new Error('handler failed');
    const exceeded = new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 300 });
    expect(exceeded).toMatchObject({ name: 'KafkaJSNumberOfRetriesExceeded', message: 'handler failed', retriable: false, retryCount: 5, retryTime: 300, cause });
    expect(exceeded).toBeInstanceOf(KafkaJSNonRetriableError);
    expect(exceeded).toBeInstanceOf(KafkaJSError);
    expect(new ValidationError('bad')).not.toBeInstanceOf(KafkaJSNumberOfRetriesExceeded);
  });
});
