import { ValidationError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { KAFKA_OPERATIONS, resourceForTopic, topicAccess, topicOfResource, verbFor, type KafkaOperation } from './index';

describe('Kafka operations as verbs on resources (ARCHITECTURE.md §6)', () => {
  it('maps produce to PUT, consume to GET and administration to POST or DELETE', () => {
    expect(Object.fromEntries(KAFKA_OPERATIONS.map((operation) => [operation, verbFor(operation)]))).toEqual({
      produce: 'PUT',
      consume: 'GET',
      create: 'POST',
      alter: 'POST',
      delete: 'DELETE',
    });
  });

  it('names a topic as /topics/<name> and reads the name back', () => {
    expect(resourceForTopic('orders')).toBe('/topics/orders');
    expect(resourceForTopic('payments.eu-1_v2')).toBe('/topics/payments.eu-1_v2');
    expect(topicOfResource('/topics/orders')).toBe('orders');
    expect(topicOfResource('/topics/orders/x')).toBeUndefined();
    expect(topicOfResource('/clusters/x')).toBeUndefined();
  });

  it('builds the request the proxy authorizes for a produce', () => {
    expect(topicAccess('billing', 'produce', 'payments')).toEqual({
      application: 'billing',
      verb: 'PUT',
      resource: '/topics/payments',
    });
  });

  it('refuses a topic Kafka would refuse, naming the field and the rule', () => {
    for (const topic of ['', '..', 'a/b', 'orders!']) {
      const error = catchError(() => resourceForTopic(topic));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ field: 'topic' });
    }
    expect(() => resourceForTopic('a/b')).toThrow('invalid topic name "a/b", expected only the characters a-z A-Z 0-9 . _ -');
  });

  it('refuses an unknown operation instead of guessing a verb', () => {
    expect(() => verbFor('read' as KafkaOperation)).toThrow(
      'operation: unknown Kafka operation "read", expected one of produce, consume, create, alter, delete',
    );
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
