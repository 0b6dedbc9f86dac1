// The producer's events over a transport that acknowledges at once: KafkaJS' names and event
// shape, a remover that removes, unknown names refused, and Flotilla's mapping events.
import { UnavailableError } from '@flotilla/errors';
import type { ProducerTransport, ProducerTransportOptions, TransportFactory, TransportRecord } from '@flotilla/kafka';
import { compileMapping, type CompiledMapping } from '@flotilla/mapping';
import type { MappingListener, MappingSource } from '../mapping-source';
import { describe, expect, it } from 'vitest';
import { staticMappingSource } from '../mapping-source/static-mapping-source';
import type { InstrumentationEvent } from '../consumer/consumer-events';
import { MultiClusterProducer } from './multi-cluster-producer';
import { ProducerEvents } from './producer-events';

function acknowledging(): TransportFactory {
  let offset = 0;
  const producer = (_options: ProducerTransportOptions): ProducerTransport => ({
    kind: 'kafkajs',
    connect: async () => undefined,
    disconnect: async () => undefined,
    partitionCount: async () => 1,
    send: async (_topic: string, records: readonly TransportRecord[]) => records.map(() => offset++),
  });
  return {
    kind: 'kafkajs',
    producer,
    consumer: () => {
      throw new Error('produce only');
    },
  };
}

function producer(options: { acks?: -1 | 1 } = {}): MultiClusterProducer {
  return new MultiClusterProducer({
    clientId: 'events',
    mapping: staticMappingSource({
      version: 3,
      clusters: { one: { bootstrap: ['127.0.0.1:1'], role: 'fronting', tier: 'medium' } },
      producers: { __default__: { where: [{ sink: 'one' }] } },
      consumers: { __default__: [{ vip: 'one' }] },
      handoffs: {},
    }),
    transport: acknowledging(),
    lingerMs: 0,
    ...options,
  });
}

describe('producer events', () => {
  it('emits connect, mapping.version, request_queue_size, request and disconnect with KafkaJS names and shape', async () => {
    const p = producer();
    const seen: InstrumentationEvent<unknown>[] = [];
    for (const name of Object.values(p.events)) p.on(name, (event) => void seen.push(event));
    await p.connect();
    await p.send({ topic: 't', messages: [{ value: 'a' }, { value: 'bb' }] });
    await p.disconnect({ timeoutMs: 1_000 });
    expect(seen.map((e) => e.type)).toEqual(['mapping.version', 'producer.connect', 'producer.network.request_queue_size', 'producer.network.request', 'producer.disconnect']);
    expect(seen.map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
    expect(seen[0]!.payload).toEqual({ version: 3 });
    expect(seen[2]!.payload).toMatchObject({ broker: '127.0.0.1:1', clientId: 'events', queueSize: 2 });
    expect(seen[3]!.payload).toMatchObject({ broker: '127.0.0.1:1', apiName: 'Produce', apiKey: 0, size: 3, cluster: 'one', topic: 't', records: 2 });
    expect(typeof (seen[3]!.payload as { duration: unknown }).duration).toBe('number');
  });

  it('returns a remover from on(), and refuses names it never emits', async () => {
    const p = producer();
    let connects = 0;
    const remove = p.on(p.events.CONNECT, () => void (connects += 1));
    remove();
    await p.connect();
    expect(connects).toBe(0);
    expect(() => p.on('producer.heartbeat', () => undefined)).toThrow(/unknown event "producer.heartbeat"; expected one of producer.connect/);
    expect(() => p.on(p.events.CONNECT, 'nope' as never)).toThrow(/must be a function/);
    await p.disconnect({ timeoutMs: 1_000 });
  });

  it('keeps emitting to the other listeners when one throws', () => {
    const events = new ProducerEvents();
    const got: string[] = [];
    events.on('producer.connect', () => {
      throw new Error('listener failed');
    });
    events.on('producer.connect', ({ type }) => void got.push(type));
    events.emit('producer.connect', null);
    expect(got).toEqual(['producer.connect']);
  });

  it('refuses transaction() at once without a transactionalId, as KafkaJS does', async () => {
    await expect(producer().transaction()).rejects.toThrow(/give the producer a transactionalId/);
  });

  it('emits cluster.switch when a version moves the topics sent to onto another cluster, and request_timeout for an unanswered request', async () => {
    const clusters = { one: { bootstrap: ['127.0.0.1:1'], role: 'fronting', tier: 'medium' }, two: { bootstrap: ['127.0.0.1:2'], role: 'fronting', tier: 'medium' } } as const;
    const version = (n: number, sink: string): CompiledMapping =>
      compileMapping({ version: n, clusters, producers: { __default__: { where: [{ sink }] } }, consumers: { __default__: [{ vip: sink }] }, handoffs: {} });
    let listener: MappingListener | undefined;
    let current = version(1, 'one');
    const source: MappingSource = {
      start: async (l) => {
        listener = l;
        l.onMapping(current, undefined);
      },
      current: () => current,
      stop: async () => undefined,
    };
    // The first request on `one` gets no answer within the delivery timeout; later ones are acknowledged.
    let first = true;
    const factory: TransportFactory = {
      kind: 'kafkajs',
      producer: () => ({
        kind: 'kafkajs',
        connect: async () => undefined,
        disconnect: async () => undefined,
        partitionCount: async () => 1,
        send: async (_topic, records) => {
          if (first) {
            first = false;
            await new Promise((resolve) => setTimeout(resolve, 40));
            throw new UnavailableError('no answer');
          }
          return records.map((_, i) => i);
        },
      }),
      consumer: () => {
        throw new Error('produce only');
      },
    };
    const p = new MultiClusterProducer({ clientId: 'events', mapping: source, transport: factory, lingerMs: 0, deliveryTimeoutMs: 30 });
    const seen: InstrumentationEvent<unknown>[] = [];
    for (const name of [p.events.CLUSTER_SWITCH, p.events.REQUEST_TIMEOUT]) p.on(name, (event) => void seen.push(event));
    await p.connect();
    await p.send({ topic: 't', messages: [{ value: 'a' }] });
    const previous = current;
    current = version(2, 'two');
    listener!.onMapping(current, previous);
    await p.disconnect({ timeoutMs: 1_000 });
    expect(seen.map((e) => e.type)).toEqual(['producer.network.request_timeout', 'cluster.switch']);
    expect(seen[0]!.payload).toMatchObject({ broker: '127.0.0.1:1', cluster: 'one', topic: 't', records: 1 });
    expect(seen[1]!.payload).toEqual({ version: 2, added: ['two'], removed: ['one'] });
  });

  it('isIdempotent() is true exactly with acks -1', () => {
    expect(producer().isIdempotent()).toBe(true);
    expect(producer({ acks: 1 }).isIdempotent()).toBe(false);
  });
});
