// The kafkajs internals kafkajs-wire.ts relies on: an upgrade of kafkajs fails here first.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaRefusal, clusterOf, encoder } from './kafkajs-wire';

describe('kafkajs internals', () => {
  it('are those of kafkajs 2.2.4: the private cluster factory and the protocol encoder', () => {
    expect((createRequire(import.meta.url)('kafkajs/package.json') as { version: string }).version).toBe('2.2.4');
    const cluster = clusterOf(new Kafka({ brokers: ['127.0.0.1:1'], logLevel: logLevel.NOTHING }));
    for (const method of ['connect', 'disconnect', 'refreshMetadata', 'findControllerBroker', 'findBroker'] as const) expect(typeof cluster[method]).toBe('function');
    expect(cluster.brokerPool).toMatchObject({ metadata: null });
    expect(encoder().writeUVarIntString('ab').writeUVarIntArray([encoder().writeInt8(7)]).buffer.toString('hex')).toBe('036162' + '0207');
  });

  it('names Kafka error codes, also those newer than kafkajs', () => {
    expect(new KafkaRefusal(31, null)).toMatchObject({ type: 'CLUSTER_AUTHORIZATION_FAILED', message: 'CLUSTER_AUTHORIZATION_FAILED' });
    expect(new KafkaRefusal(93, 'Too few iterations')).toMatchObject({ type: 'UNACCEPTABLE_CREDENTIAL', message: 'UNACCEPTABLE_CREDENTIAL: Too few iterations' });
    expect(new KafkaRefusal(999, null).type).toBe('error code 999');
  });
});
