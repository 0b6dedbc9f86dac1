import { describe, expect, it } from 'vitest';
import { KafkaJSConnectionError } from 'kafkajs';
import { toFlotillaError } from './kafka-errors';

describe('toFlotillaError', () => {
  it('turns a rejected topic name inside an aggregate error into a non-retryable validation error', () => {
    // The shape kafkajs throws from createTopics (its typings do not export these classes).
    const perTopic = Object.assign(new Error('bad name'), { type: 'INVALID_TOPIC_EXCEPTION', topic: 'a b', retriable: false });
    const aggregate = Object.assign(new Error('Topic creation errors'), { name: 'KafkaJSAggregateError', errors: [perTopic] });
    const error = toFlotillaError(aggregate, 'create topic "a b"');
    expect(error.code).toBe('VALIDATION');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe('create topic "a b": invalid topic name (bad name)');
  });

  it('treats a connection failure as retryable unavailability', () => {
    const error = toFlotillaError(new KafkaJSConnectionError('Connection refused'), 'connect to Kafka at 127.0.0.1:1');
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });
});
