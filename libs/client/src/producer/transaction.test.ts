// A transaction's logic over a recording transactional transport (the seam to Kafka, which the
// compatibility suite runs for real): where it begins, what it commits, and when commit aborts.
import { UnavailableError } from '@flotilla/errors';
import type { TopicPartitionOffset, TransactionalProducerOptions, TransactionalProducerTransport, TransportFactory, TransportRecord } from '@flotilla/kafka';
import { compileMapping, type CompiledMapping } from '@flotilla/mapping';
import { describe, expect, it } from 'vitest';
import { partitionForKey } from '../partitioning/murmur2';
import { type TransactionalProducers, transactionalSide } from './transactional-producers';

interface Recorded {
  cluster: string;
  calls: string[];
  sent: { topic: string; partitions: number[] }[];
  offsets: { groupId: string; offsets: readonly TopicPartitionOffset[] }[];
}

function recordingFactory(options: { failSend?: boolean } = {}): { factory: TransportFactory; made: Recorded[] } {
  const made: Recorded[] = [];
  const transactionalProducer = (config: TransactionalProducerOptions): TransactionalProducerTransport => {
    const recorded: Recorded = { cluster: config.bootstrap.join(','), calls: [], sent: [], offsets: [] };
    made.push(recorded);
    let offset = 0;
    const step = (name: string) => async () => void recorded.calls.push(name);
    return {
      kind: 'kafkajs',
      connect: step('connect'),
      begin: step('begin'),
      commit: step('commit'),
      abort: step('abort'),
      disconnect: step('disconnect'),
      partitionCount: async () => 4,
      async send(topic: string, records: readonly TransportRecord[]) {
        recorded.calls.push(`send ${topic}`);
        if (options.failSend) throw new UnavailableError(`send to topic "${topic}": broker gone`);
        recorded.sent.push({ topic, partitions: records.map((r) => r.partition) });
        return records.map(() => offset++);
      },
      async sendOffsets(groupId: string, offsets: readonly TopicPartitionOffset[]) {
        recorded.calls.push('sendOffsets');
        recorded.offsets.push({ groupId, offsets });
      },
    };
  };
  const unused = () => {
    throw new Error('transactions only');
  };
  return { factory: { kind: 'kafkajs', producer: unused, consumer: unused, transactionalProducer }, made };
}

const clusters = {
  one: { bootstrap: ['127.0.0.1:1'], role: 'fronting', tier: 'medium' },
  two: { bootstrap: ['127.0.0.1:2'], role: 'fronting', tier: 'medium' },
} as const;

function version(n: number, producers: Record<string, string>): CompiledMapping {
  return compileMapping({
    version: n,
    clusters,
    producers: Object.fromEntries(Object.entries(producers).map(([topic, sink]) => [topic, { where: [{ sink }] }])),
    consumers: { __default__: [{ vip: 'one' }] },
    handoffs: {},
  });
}

function side(factory: TransportFactory, current: () => CompiledMapping, committed: Record<string, number> = {}): TransactionalProducers {
  const count = (topic: string, records: number): void => void (committed[topic] = (committed[topic] ?? 0) + records);
  return transactionalSide({ clientId: 'c', transactionalId: 'tx', timeoutMs: 1_000, transport: factory, acks: -1, mapping: current, committed: count })!;
}

describe('Transaction', () => {
  it('begins on the cluster of its topics, partitions as the plain path does, and commits there', async () => {
    const { factory, made } = recordingFactory();
    const committed: Record<string, number> = {};
    const transactions = side(factory, () => version(1, { __default__: 'one' }), committed);
    const transaction = transactions.begin();
    expect(transaction.isActive()).toBe(true);
    const metadata = await transaction.send({ topic: 'a', messages: [{ key: 'k', value: 'v' }, { value: 'x' }, { value: 'y' }, { value: 'p', partition: 3 }] });
    await transaction.sendOffsets({ consumerGroupId: 'g', topics: [{ topic: 'in', partitions: [{ partition: 0, offset: '5' }] }] });
    await transaction.commit();

    expect(made).toHaveLength(1);
    expect(made[0]!.calls).toEqual(['connect', 'begin', 'send a', 'sendOffsets', 'commit']);
    const [keyed, keyless1, keyless2, requested] = made[0]!.sent[0]!.partitions;
    expect(keyed).toBe(partitionForKey(Buffer.from('k'), 4));
    expect(keyless1).toBe(keyless2);
    expect(requested).toBe(3);
    expect(metadata.every((m) => m.cluster === 'one' && m.topicName === 'a')).toBe(true);
    expect(made[0]!.offsets).toEqual([{ groupId: 'g', offsets: [{ topic: 'in', partition: 0, offset: '5' }] }]);
    expect(transaction.isActive()).toBe(false);
    expect(committed).toEqual({ a: 4 });
    await expect(transaction.send({ topic: 'a', messages: [{ value: 'late' }] })).rejects.toThrow(/the transaction has ended/);
  });

  it('allows one active transaction per producer, and the next one reuses the cluster\'s producer', async () => {
    const { factory, made } = recordingFactory();
    const transactions = side(factory, () => version(1, { __default__: 'one' }));
    const first = transactions.begin();
    expect(() => transactions.begin()).toThrow(/already an ongoing transaction/);
    await first.send({ topic: 'a', messages: [{ value: 'v' }] });
    await first.abort();
    const second = transactions.begin();
    await second.send({ topic: 'a', messages: [{ value: 'v' }] });
    await second.commit();
    expect(made).toHaveLength(1);
    expect(made[0]!.calls).toEqual(['connect', 'begin', 'send a', 'abort', 'begin', 'send a', 'commit']);
  });

  it('a transaction with nothing sent ends without touching Kafka', async () => {
    const { factory, made } = recordingFactory();
    const transaction = side(factory, () => version(1, { __default__: 'one' })).begin();
    await transaction.commit();
    expect(made).toHaveLength(0);
  });

  it('aborts at commit when one of its sends failed, with the cause\'s retryability; a later abort() resolves', async () => {
    const { factory, made } = recordingFactory({ failSend: true });
    const committed: Record<string, number> = {};
    const transaction = side(factory, () => version(1, { __default__: 'one' }), committed).begin();
    await expect(transaction.send({ topic: 'a', messages: [{ value: 'v' }] })).rejects.toThrow(/broker gone/);
    const error = await transaction.commit().then(() => undefined, (e: unknown) => e as { retriable: boolean; message: string });
    expect(error?.message).toContain('was aborted at commit, as one of its calls failed');
    expect(error?.retriable).toBe(true);
    expect(made[0]!.calls).toEqual(['connect', 'begin', 'send a', 'abort']);
    expect(transaction.isActive()).toBe(false);
    expect(committed).toEqual({});
    await expect(transaction.abort()).resolves.toBeUndefined();
  });

  it('aborts at commit when the mapping moved one of its topics to another cluster; the run again commits there', async () => {
    const { factory, made } = recordingFactory();
    let current = version(1, { __default__: 'one' });
    const transactions = side(factory, () => current);
    const transaction = transactions.begin();
    await transaction.send({ topic: 'a', messages: [{ value: 'v' }] });
    current = version(2, { __default__: 'one', a: 'two' });
    await expect(transaction.commit()).rejects.toMatchObject({ code: 'CONFLICT', retriable: true, message: expect.stringContaining('topic "a" is now written to two') });
    expect(made[0]!.calls).toEqual(['connect', 'begin', 'send a', 'abort']);
    await transaction.abort();

    const again = transactions.begin();
    await again.send({ topic: 'a', messages: [{ value: 'v' }] });
    await again.commit();
    expect(made.map((m) => m.cluster)).toEqual(['127.0.0.1:1', '127.0.0.1:2']);
    expect(made[1]!.calls).toEqual(['connect', 'begin', 'send a', 'commit']);
  });

  it('refuses a send to a topic on another cluster without dooming the transaction', async () => {
    const { factory, made } = recordingFactory();
    const transaction = side(factory, () => version(1, { __default__: 'one', far: 'two' })).begin();
    await transaction.send({ topic: 'a', messages: [{ value: 'v' }] });
    await expect(transaction.send({ topic: 'far', messages: [{ value: 'v' }] })).rejects.toMatchObject({ retriable: false, message: expect.stringContaining('"a" on one, "far" on two') });
    await expect(transaction.sendOffsets({ consumerGroupId: 'g', topics: [{ topic: 'in', cluster: 'two', partitions: [{ partition: 0, offset: '1' }] }] })).rejects.toThrow(/not read from cluster "two"/);
    await transaction.commit();
    expect(made[0]!.calls).toEqual(['connect', 'begin', 'send a', 'commit']);
  });

  it('refuses acks other than -1 and timeout per send, and a transactionalId with acks 1', async () => {
    const { factory } = recordingFactory();
    const transaction = side(factory, () => version(1, { __default__: 'one' })).begin();
    await expect(transaction.send({ topic: 'a', acks: 1, messages: [{ value: 'v' }] })).rejects.toMatchObject({ field: 'acks' });
    await expect(transaction.send({ topic: 'a', timeout: 5, messages: [{ value: 'v' }] })).rejects.toMatchObject({ field: 'timeout' });
    expect(() => transactionalSide({ clientId: 'c', transactionalId: 'tx', timeoutMs: 1, transport: factory, acks: 1, mapping: () => version(1, {}) })).toThrow(/writes with acks -1/);
    expect(transactionalSide({ clientId: 'c', timeoutMs: 1, transport: factory, acks: 1, mapping: () => version(1, {}) })).toBeUndefined();
  });
});
