// KafkaJS' per-send options over a transport that records what each request asked for: a
// compression reaches the transport with its request (one codec per request), and what the
// producer cannot honour is refused at once, naming the option, before any record is queued.
import { CompressionCodecs, CompressionTypes, type ProducerTransport, type SendOptions, type TransportFactory, type TransportKind, type TransportRecord } from '@flotilla/kafka';
import { afterEach, describe, expect, it } from 'vitest';
import { staticMappingSource } from '../mapping-source/static-mapping-source';
import { MultiClusterProducer } from './multi-cluster-producer';

interface Request {
  values: string[];
  options: SendOptions | undefined;
}

function recording(kind: TransportKind): { requests: Request[]; factory: TransportFactory } {
  const requests: Request[] = [];
  let offset = 0;
  const producer = (): ProducerTransport => ({
    kind,
    connect: async () => undefined,
    disconnect: async () => undefined,
    partitionCount: async () => 1,
    send: async (_topic: string, records: readonly TransportRecord[], options?: SendOptions) => {
      requests.push({ values: records.map((r) => String(r.value)), options });
      return records.map(() => offset++);
    },
  });
  return {
    requests,
    factory: {
      kind,
      producer,
      consumer: () => {
        throw new Error('produce only');
      },
    },
  };
}

function producerOver(factory: TransportFactory, lingerMs = 0): MultiClusterProducer {
  return new MultiClusterProducer({
    clientId: 'send-options',
    mapping: staticMappingSource({
      version: 1,
      clusters: { one: { bootstrap: ['127.0.0.1:1'], role: 'fronting', tier: 'medium' } },
      producers: { __default__: { where: [{ sink: 'one' }] } },
      consumers: { __default__: [{ vip: 'one' }] },
      handoffs: {},
    }),
    transport: factory,
    lingerMs,
  });
}

const open: MultiClusterProducer[] = [];
async function connected(factory: TransportFactory, lingerMs = 0): Promise<MultiClusterProducer> {
  const producer = producerOver(factory, lingerMs);
  await producer.connect();
  open.push(producer);
  return producer;
}
afterEach(async () => {
  for (const producer of open.splice(0)) await producer.disconnect({ timeoutMs: 1_000 });
});

describe('send options', () => {
  it('hands GZIP to the transport with its request, and never puts two codecs in one request', async () => {
    const { requests, factory } = recording('kafkajs');
    const producer = await connected(factory, 20);
    await Promise.all([
      producer.send({ topic: 't', messages: [{ value: 'a' }, { value: 'b' }], compression: CompressionTypes.GZIP }),
      producer.send({ topic: 't', messages: [{ value: 'c' }] }),
      producer.sendBatch({ topicMessages: [{ topic: 't', messages: [{ value: 'd' }] }], compression: CompressionTypes.GZIP }),
    ]);
    expect(requests).toEqual([
      { values: ['a', 'b'], options: { compression: CompressionTypes.GZIP } },
      { values: ['c'], options: undefined },
      { values: ['d'], options: { compression: CompressionTypes.GZIP } },
    ]);
  });

  it('refuses what it cannot honour at once, naming the option', async () => {
    const { requests, factory } = recording('kafkajs');
    const producer = await connected(factory);
    const send = (options: object): Promise<unknown> => producer.send({ topic: 't', messages: [{ value: 'v' }], ...options });
    await expect(send({ acks: 0 })).rejects.toMatchObject({ field: 'acks', message: expect.stringContaining('acks 0 is not supported') });
    await expect(send({ acks: 1 })).rejects.toMatchObject({ field: 'acks', message: expect.stringContaining("differs from the producer's acks -1") });
    await expect(send({ timeout: 30_000 })).rejects.toMatchObject({ field: 'timeout' });
    await expect(send({ compression: 9 })).rejects.toMatchObject({ field: 'compression', message: expect.stringContaining('expected one of CompressionTypes') });
    await expect(send({ compression: CompressionTypes.Snappy })).rejects.toMatchObject({ message: expect.stringContaining('CompressionCodecs[CompressionTypes.Snappy] = codec') });
    await expect(producer.send({ topic: 't', mesages: [{ value: 'v' }] } as never)).rejects.toMatchObject({ field: 'record', message: expect.stringContaining('keys topic, mesages') });
    expect(await send({ acks: -1 })).toHaveLength(1);
    expect(requests).toHaveLength(1);
  });

  it('sends a codec registered in CompressionCodecs, as KafkaJS does', async () => {
    const { requests, factory } = recording('kafkajs');
    const producer = await connected(factory);
    const codecs = CompressionCodecs as Record<number, () => unknown>;
    const placeholder = codecs[CompressionTypes.LZ4]!;
    codecs[CompressionTypes.LZ4] = () => ({ compress: async (e: { buffer: Buffer }) => e.buffer, decompress: async (b: Buffer) => b });
    try {
      await producer.send({ topic: 't', messages: [{ value: 'v' }], compression: CompressionTypes.LZ4 });
    } finally {
      codecs[CompressionTypes.LZ4] = placeholder;
    }
    expect(requests[0]!.options).toEqual({ compression: CompressionTypes.LZ4 });
  });

  it("takes librdkafka's built-in codecs over node-rdkafka, and refuses one it was built without", async () => {
    const { requests, factory } = recording('rdkafka');
    const producer = await connected(factory);
    await producer.send({ topic: 't', messages: [{ value: 'v' }], compression: CompressionTypes.Snappy });
    expect(requests[0]!.options).toEqual({ compression: CompressionTypes.Snappy });
    await expect(producer.send({ topic: 't', messages: [{ value: 'v' }], compression: CompressionTypes.ZSTD })).rejects.toThrow(/not supported over the node-rdkafka transport: its librdkafka was built without zstd/);
  });

  it('refuses acks 0 when the producer is made', () => {
    expect(() => new MultiClusterProducer({ clientId: 'x', mapping: staticMappingSource({ version: 1, clusters: {}, producers: {}, consumers: {}, handoffs: {} }), transport: recording('kafkajs').factory, acks: 0 as never })).toThrow(
      /acks: expected -1 .* got 0/,
    );
  });
});
