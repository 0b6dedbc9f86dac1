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

  it('finds the protocol error behind exhausted retries: an unknown topic is invalid input, a denied one forbidden', () => {
    const unknown = Object.assign(new Error('This server does not host this topic-partition'), { type: 'UNKNOWN_TOPIC_OR_PARTITION', retriable: true });
    const exhausted = Object.assign(new Error('This server does not host this topic-partition'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: unknown });
    expect(toFlotillaError(exhausted, 'send to topic "t"')).toMatchObject({ code: 'VALIDATION', retryable: false, message: 'send to topic "t": unknown topic (This server does not host this topic-partition)' });
    const denied = Object.assign(new Error('Not authorized to access topics'), { type: 'TOPIC_AUTHORIZATION_FAILED' });
    expect(toFlotillaError(denied, 'send to topic "t"')).toMatchObject({ code: 'FORBIDDEN', retryable: false });
  });

  it('treats a connection failure as retryable unavailability', () => {
    const error = toFlotillaError(new KafkaJSConnectionError('Connection refused'), 'connect to Kafka at 127.0.0.1:1');
    expect(error.code).toBe('UNAVAILABLE');
    expect(error.retryable).toBe(true);
  });
});
