import { describe, expect, it } from 'vitest';
import { KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSCreateTopicError, KafkaJSProtocolError } from 'kafkajs';
import { toFlotillaError } from './kafka-errors';

describe('toFlotillaError', () => {
  it('turns a rejected topic name inside an aggregate error into a non-retryable validation error', () => {
    const protocol = new KafkaJSProtocolError({ message: 'bad name', type: 'INVALID_TOPIC_EXCEPTION', code: 17, retriable: false });
    const aggregate = new KafkaJSAggregateError('Topic creation errors', [new KafkaJSCreateTopicError(protocol, 'a b')]);
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
