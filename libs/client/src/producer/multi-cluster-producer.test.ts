// How the producer cuts and partitions keyless records into requests, over a transport that only
// records what it was given (the delivery paths are covered against real clusters in the int
// tests), and the batching options it refuses.
import { type ProducerTransport, type ProducerTransportOptions, type TransportFactory, type TransportRecord } from '@flotilla/kafka';
import { describe, expect, it } from 'vitest';
import { staticMappingSource } from '../mapping-source/static-mapping-source';
import { MultiClusterProducer } from './multi-cluster-producer';
import type { RecordMetadata } from './producer-types';

const PARTITIONS = 6;

/** Acknowledges every call on the next turn and remembers each call's partitions, and the options each client was made with. */
function recordingTransport(): { calls: number[][]; made: ProducerTransportOptions[]; factory: TransportFactory } {
  const calls: number[][] = [];
  const made: ProducerTransportOptions[] = [];
  let offset = 0;
  const producer = (options: ProducerTransportOptions): ProducerTransport => {
    made.push(options);
    return {
      kind: 'kafkajs',
      connect: async () => undefined,
      disconnect: async () => undefined,
      partitionCount: async () => PARTITIONS,
      send: (_topic: string, records: readonly TransportRecord[]) => {
        calls.push(records.map((r) => r.partition));
        return new Promise<number[]>((resolve) => setImmediate(() => resolve(records.map(() => offset++))));
      },
    };
  };
  const consumer = (): never => {
    throw new Error('produce only');
  };
  return { calls, made, factory: { kind: 'kafkajs', producer, consumer } };
}

function producerOver(factory: TransportFactory, lingerMs: number, maxBatchBytes?: number, maxBatchRecords?: number): MultiClusterProducer {
  return new MultiClusterProducer({
    clientId: 'partitioning',
    mapping: staticMappingSource({
      version: 1,
      clusters: { one: { bootstrap: ['127.0.0.1:1'], role: 'fronting', tier: 'medium' } },
      producers: { __default__: { where: [{ sink: 'one' }] } },
      consumers: { __default__: [{ vip: 'one' }] },
      handoffs: {},
    }),
    transport: factory,
    lingerMs,
    ...(maxBatchBytes === undefined ? {} : { maxBatchBytes }),
    ...(maxBatchRecords === undefined ? {} : { maxBatchRecords }),
  });
}

describe('MultiClusterProducer keyless partitioning', () => {
  it('sends the calls made in one job as one batch, to one partition', async () => {
    const { calls, factory } = recordingTransport();
    const producer = producerOver(factory, 5);
    await producer.connect();
    await Promise.all(Array.from({ length: 10 }, (_, i) => producer.send({ topic: 't', messages: [{ value: `v${i}` }] })));
    expect(calls).toHaveLength(1);
    expect(new Set(calls[0])).toHaveProperty('size', 1);
    await producer.disconnect({ timeoutMs: 1_000 });
  });

  it('keeps small sends in quick succession on one partition within the linger, and moves on after a full batch', async () => {
    const { calls, factory } = recordingTransport();
    // Requests of 20 records: a send of 20 fills one and goes at once, however long the linger.
    const producer = producerOver(factory, 60_000, undefined, 20);
    await producer.connect();
    const smallSend = (i: number): Promise<RecordMetadata[]> => producer.send({ topic: 't', messages: Array.from({ length: 20 }, (_, r) => ({ value: `small-${i}-${r}` })) });
    // Small calls, each awaited: every call is a batch of its own.
    for (let i = 0; i < 20; i++) await smallSend(i);
    const small = new Set(calls.flat());
    expect(calls).toHaveLength(20);
    expect(small.size).toBe(1);
    // 20 KiB in one call fills the partition's batch (16 KiB): the next records go elsewhere.
    await producer.send({ topic: 't', messages: Array.from({ length: 20 }, () => ({ value: Buffer.alloc(1024) })) });
    await smallSend(20);
    expect(calls.at(-2)).toEqual(Array.from({ length: 20 }, () => [...small][0]));
    expect(calls.at(-1)![0]).not.toBe([...small][0]);
    await producer.disconnect({ timeoutMs: 1_000 });
  });

  it('cuts a large call into requests of at most maxBatchBytes, each to one partition, a larger record going alone', async () => {
    const { calls, factory } = recordingTransport();
    // Ten records of 1 KiB per request, with the record format's 20 bytes each.
    const producer = producerOver(factory, 5, 10 * (1024 + 20));
    await producer.connect();
    const kib = (n: number): { value: Buffer } => ({ value: Buffer.alloc(n * 1024) });
    await producer.send({ topic: 't', messages: Array.from({ length: 25 }, () => kib(1)) });
    expect(calls.map((call) => call.length)).toEqual([10, 10, 5]);
    for (const call of calls) expect(new Set(call).size).toBe(1);
    calls.length = 0;
    await producer.send({ topic: 't', messages: [kib(1), kib(20), kib(1)] });
    expect(calls.map((call) => call.length)).toEqual([1, 1, 1]);
    await producer.disconnect({ timeoutMs: 1_000 });
  });

  it("cuts requests at maxBatchBytes, by default what one record batch within the broker's message.max.bytes holds", async () => {
    const cuts = async (maxBatchBytes: number | undefined, records: number, bytes = 1024): Promise<number[]> => {
      const { calls, factory } = recordingTransport();
      const producer = producerOver(factory, 5, maxBatchBytes);
      await producer.connect();
      await producer.send({ topic: 't', messages: Array.from({ length: records }, () => ({ value: Buffer.alloc(bytes) })) });
      await producer.disconnect({ timeoutMs: 1_000 });
      return calls.map((call) => call.length);
    };
    // 1,024 + 20 bytes a record: 7 fit in 8 KiB (7,308), an 8th would not (8,352).
    expect(await cuts(8 * 1024, 20)).toEqual([7, 7, 6]);
    expect(await cuts(5 * 1024, 12)).toEqual([4, 4, 4]);
    // 1,000 records of 1 KiB go as one request; 506 records of 2 KiB are what one 1,048,588-byte batch holds.
    expect(await cuts(undefined, 1_000)).toEqual([1_000]);
    expect(await cuts(undefined, 600, 2048)).toEqual([506, 94]);
  });

  it("counts the record format's overhead per record against the request size", async () => {
    const cuts = async (maxBatchBytes: number): Promise<number[]> => {
      const { calls, factory } = recordingTransport();
      const producer = producerOver(factory, 5, maxBatchBytes);
      await producer.connect();
      await producer.send({ topic: 't', messages: Array.from({ length: 25 }, () => ({ value: Buffer.alloc(1_000) })) });
      await producer.disconnect({ timeoutMs: 1_000 });
      return calls.map((call) => call.length);
    };
    // 1,000 + 20 bytes a record: 9 fit in 10,000 (9,180), a 10th would not (10,200).
    expect(await cuts(10_000)).toEqual([9, 9, 7]);
    expect(await cuts(5_000)).toEqual([4, 4, 4, 4, 4, 4, 1]);
  });

  it('holds what is left of a send cut to size for the next send to fill, and sends it alone once the linger passed', async () => {
    const { calls, factory } = recordingTransport();
    const producer = producerOver(factory, 200, 10_000);
    await producer.connect();
    const send = (n: number): Promise<RecordMetadata[]> => producer.send({ topic: 't', messages: Array.from({ length: n }, () => ({ value: Buffer.alloc(1_000) })) });
    const started = Date.now();
    const first = send(12);
    await new Promise((resolve) => setImmediate(resolve));
    // 9 fit in a request; the other 3 wait for more.
    expect(calls.map((call) => call.length)).toEqual([9]);
    const second = send(12);
    await new Promise((resolve) => setImmediate(resolve));
    // The 3 left over went with the first 6 of the next send; its last 6 wait in turn.
    expect(calls.map((call) => call.length)).toEqual([9, 9]);
    await Promise.all([first, second]);
    expect(calls.map((call) => call.length)).toEqual([9, 9, 6]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    // Each request went to a partition of its own: no small one was piled onto another.
    expect(calls.map((call) => new Set(call).size)).toEqual([1, 1, 1]);
    await producer.disconnect({ timeoutMs: 1_000 });
  });

  it('lingers itself, whatever the transport: small sends wait together, a full one goes at once, the transport is given no linger', async () => {
    const { calls, made, factory } = recordingTransport();
    const producer = producerOver(factory, 200);
    await producer.connect();
    const send = (n: number, bytes = 100): Promise<RecordMetadata[]> => producer.send({ topic: 't', messages: Array.from({ length: n }, () => ({ value: Buffer.alloc(bytes) })) });
    const started = Date.now();
    const first = send(5);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = send(3);
    await new Promise((resolve) => setImmediate(resolve));
    // Neither fills a request (1,000 records): both wait for the linger.
    expect(calls).toEqual([]);
    await Promise.all([first, second]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(195);
    expect(calls.map((call) => call.length)).toEqual([8]);
    expect(made).toHaveLength(1);
    expect(made[0]).not.toHaveProperty('lingerMs');
    // 1,000 records fill a request: handed over at once.
    const full = Date.now();
    await send(1_000, 10);
    expect(calls.at(-1)).toHaveLength(1_000);
    expect(Date.now() - full).toBeLessThan(150);
    await producer.disconnect({ timeoutMs: 1_000 });
  });

  it('refuses batching limits that would send nothing, naming the option and the value', () => {
    const { factory } = recordingTransport();
    expect(() => producerOver(factory, 5, 0)).toThrow('maxBatchBytes: expected a positive integer, got 0');
    expect(() => producerOver(factory, 5, Number.NaN)).toThrow('maxBatchBytes: expected a positive integer, got NaN');
    const mapping = staticMappingSource({ version: 1, clusters: {}, producers: {}, consumers: {}, handoffs: {} });
    expect(() => new MultiClusterProducer({ clientId: 'x', mapping, transport: factory, maxBatchRecords: 0 })).toThrow('maxBatchRecords: expected a positive integer, got 0');
  });
});

describe('MultiClusterProducer send() results', () => {
  const entries = (results: readonly RecordMetadata[]): string[] => results.map((m) => `${m.cluster} ${m.topicName}/${m.partition}@${m.baseOffset}`);

  it("answers as KafkaJS does: one RecordMetadata per partition, with the offset of the call's first record there", async () => {
    const { factory } = recordingTransport();
    const producer = producerOver(factory, 5);
    await producer.connect();
    // One request; the transport gives its records offsets 0-4 in input order.
    const results = await producer.send({ topic: 't', messages: [2, 0, 2, 1, 0].map((partition, i) => ({ value: `v${i}`, partition })) });
    expect(entries(results).sort()).toEqual(['one t/0@1', 'one t/1@3', 'one t/2@0']);
    await producer.disconnect({ timeoutMs: 1_000 });
  });

  it('keeps the results of calls that shared a request apart, and a call cut into several requests has one entry per partition', async () => {
    const { calls, factory } = recordingTransport();
    // Two records of 1 KiB per request, with the record format's 20 bytes each.
    const producer = producerOver(factory, 5, 2 * (1024 + 20));
    await producer.connect();
    const kib = { value: Buffer.alloc(1024) };
    const [first, second] = await Promise.all([
      producer.send({ topic: 't', messages: [0, 0, 0].map((partition) => ({ ...kib, partition })) }),
      producer.send({ topic: 't', messages: [0, 0, 0].map((partition) => ({ ...kib, partition })) }),
    ]);
    // Requests of two records: offsets 0-1, 2-3, 4-5; the first call's records are 0-2.
    expect(calls.map((call) => call.length)).toEqual([2, 2, 2]);
    expect(entries(first!)).toEqual(['one t/0@0']);
    expect(entries(second!)).toEqual(['one t/0@3']);
    await producer.disconnect({ timeoutMs: 1_000 });
  });
});
