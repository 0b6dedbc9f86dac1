// The consumer's own logic over a fake transport: what a handler sees, what is committed and
// sought, and which events say so. The transports' behaviour is the contract suite's.
import type { ConsumedBatch, ConsumerTransport, ConsumerTransportOptions, TopicPartitionOffset, TransportFactory } from '@flotilla/kafka';
import { describe, expect, it, vi } from 'vitest';
import { staticMappingSource } from '../mapping-source';
import { MultiClusterConsumer } from './multi-cluster-consumer';

const mapping = {
  version: 3,
  clusters: { c1: { bootstrap: ['127.0.0.1:1'], tier: 'medium', role: 'fronting' } },
  producers: { __default__: { where: [{ sink: 'c1' }] } },
  consumers: { __default__: [{ vip: 'c1' }] },
};

interface FakeTransport {
  onBatch: ((batch: ConsumedBatch) => Promise<void>) | undefined;
  commits: TopicPartitionOffset[];
  seeks: TopicPartitionOffset[];
}

function fakeFactory(): { factory: TransportFactory; transport: FakeTransport } {
  const state: FakeTransport = { onBatch: undefined, commits: [], seeks: [] };
  let options: ConsumerTransportOptions | undefined;
  const transport = {
    kind: 'kafkajs',
    connect: async () => {},
    run: async (topics: readonly string[], onBatch: (batch: ConsumedBatch) => Promise<void>) => {
      state.onBatch = onBatch;
      // The group hands this member partitions 0 and 1 of each topic.
      const assignment = Object.fromEntries(topics.map((topic) => [topic, [0, 1]]));
      options?.onGroupEvent?.({ type: 'join', memberId: 'm-1', isLeader: true, leaderId: 'm-1', groupProtocol: 'RoundRobinAssigner', assignment, durationMs: 5 });
    },
    commit: async (offsets: readonly TopicPartitionOffset[]) => void state.commits.push(...offsets),
    seek: (target: TopicPartitionOffset) => void state.seeks.push(target),
    pause: () => {},
    resume: () => {},
    disconnect: async () => {},
  } as unknown as ConsumerTransport;
  const consumer = (given: ConsumerTransportOptions): ConsumerTransport => {
    options = given;
    return transport;
  };
  return { factory: { kind: 'kafkajs', producer: () => undefined as never, consumer }, transport: state };
}

function batch(offsets: number[], partition = 0): ConsumedBatch {
  return {
    topic: 't',
    partition,
    highWatermark: '10',
    records: offsets.map((offset) => ({ offset: String(offset), key: null, value: Buffer.from(`m${offset}`), headers: {}, timestamp: '0', attributes: 0 })),
  };
}

async function started(options: { retry?: { retries: number; initialRetryTime: number; maxRetryTime: number } } = {}) {
  const { factory, transport } = fakeFactory();
  const consumer = new MultiClusterConsumer({
    groupId: 'g',
    mapping: staticMappingSource(mapping),
    transport: factory,
    listTopics: async () => ['t'],
    ...options,
  });
  const events: { type: string; payload: unknown }[] = [];
  for (const name of Object.values(consumer.events)) consumer.on(name, ({ type, payload }) => void events.push({ type, payload }));
  await consumer.connect();
  await consumer.subscribe({ topic: 't' });
  return { consumer, transport, events };
}

async function delivered(transport: FakeTransport): Promise<(batch: ConsumedBatch) => Promise<void>> {
  for (let i = 0; i < 100 && !transport.onBatch; i++) await new Promise((resolve) => setImmediate(resolve));
  if (!transport.onBatch) throw new Error('the transport was never run');
  return transport.onBatch;
}

describe('MultiClusterConsumer', () => {
  it('retries a failing eachMessage from the failed record, commits what succeeded, then crashes with restart and seeks back to it', async () => {
    const { consumer, transport, events } = await started({ retry: { retries: 1, initialRetryTime: 1, maxRetryTime: 1 } });
    const seen: string[] = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.offset);
        if (message.offset === '2') throw new Error('fails on 2');
      },
    });
    await (await delivered(transport))(batch([0, 1, 2, 3]));
    expect(seen).toEqual(['0', '1', '2', '2']);
    expect(transport.commits).toEqual([{ topic: 't', partition: 0, offset: '2' }]);
    expect(transport.seeks).toEqual([{ topic: 't', partition: 0, offset: '2' }]);
    expect(events.find((e) => e.type === 'consumer.crash')?.payload).toMatchObject({ groupId: 'g', restart: true, error: { name: 'KafkaJSNumberOfRetriesExceeded', message: 'fails on 2', cause: { message: 'fails on 2' } } });
    await consumer.disconnect();
  });

  it('under eachBatchAutoResolve: false commits what was resolved and reads the rest again', async () => {
    const { consumer, transport } = await started();
    await consumer.run({ eachBatchAutoResolve: false, eachBatch: async ({ resolveOffset }) => resolveOffset('5') });
    await (await delivered(transport))(batch([4, 5, 6, 7]));
    expect(transport.commits).toEqual([{ topic: 't', partition: 0, offset: '6' }]);
    expect(transport.seeks).toEqual([{ topic: 't', partition: 0, offset: '6' }]);
    await consumer.disconnect();
  });

  it('runs one handler at a time by default, whatever the transport hands out at once', async () => {
    const { consumer, transport } = await started();
    let running = 0;
    let most = 0;
    await consumer.run({
      eachBatch: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running -= 1;
      },
    });
    const onBatch = await delivered(transport);
    await Promise.all([onBatch(batch([0], 0)), onBatch(batch([0], 1)), onBatch(batch([0], 2))]);
    expect(most).toBe(1);
    await consumer.disconnect();
  });

  it('does not deliver a batch whose partition was paused while it waited for a slot, and reads it again from its start', async () => {
    const { consumer, transport } = await started();
    const seen: string[] = [];
    let release: () => void = () => {};
    await consumer.run({
      eachBatch: async ({ batch }) => {
        seen.push(`${batch.partition}:${batch.messages[0]?.offset}`);
        if (batch.partition === 0) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    const onBatch = await delivered(transport);
    const first = onBatch(batch([0], 0));
    await vi.waitFor(() => expect(seen).toEqual(['0:0']));
    const waiting = onBatch(batch([7, 8], 1));
    consumer.pause([{ topic: 't', partitions: [1] }]);
    release();
    await Promise.all([first, waiting]);
    expect(seen).toEqual(['0:0']);
    expect(transport.seeks).toEqual([{ topic: 't', partition: 1, offset: '7' }]);
    await consumer.disconnect();
  });

  it('emits the KafkaJS events in order, with mapping.version and cluster.switch', async () => {
    const { consumer, transport, events } = await started();
    await consumer.run({ eachMessage: async () => {} });
    await (await delivered(transport))(batch([0]));
    await consumer.disconnect();
    expect(events.map((e) => e.type)).toEqual([
      'mapping.version',
      'consumer.connect',
      'cluster.switch',
      'consumer.group_join',
      'consumer.fetch_start',
      'consumer.start_batch_process',
      'consumer.end_batch_process',
      'consumer.commit_offsets',
      'cluster.switch',
      'consumer.stop',
      'consumer.disconnect',
    ]);
    expect(events[0]?.payload).toEqual({ version: 3 });
    expect(events[2]?.payload).toEqual({ version: 3, added: ['c1'], removed: [] });
    expect(events[3]?.payload).toEqual({
      cluster: 'c1',
      duration: 5,
      groupId: 'g',
      isLeader: true,
      leaderId: 'm-1',
      groupProtocol: 'RoundRobinAssigner',
      memberId: 'm-1',
      memberAssignment: { t: [0, 1] },
    });
  });

  it('lists paused partitions, a whole topic as its assigned ones, and refuses bad run() options', async () => {
    const { consumer, transport } = await started();
    consumer.pause([{ topic: 't', partitions: [2, 0] }]);
    expect(consumer.paused()).toEqual([{ topic: 't', partitions: [0, 2] }]);
    consumer.resume([{ topic: 't', partitions: [0, 2] }]);
    expect(consumer.paused()).toEqual([]);
    await consumer.run({ eachMessage: async () => {} });
    await delivered(transport);
    consumer.pause([{ topic: 't' }]);
    expect(consumer.paused()).toEqual([{ topic: 't', partitions: [0, 1] }]);
    consumer.resume([{ topic: 't', partitions: [0] }]);
    expect(consumer.paused()).toEqual([{ topic: 't', partitions: [1] }]);
    await consumer.stop();
    await expect(consumer.run({ eachMessage: async () => {}, autoCommitThreshold: -1 })).rejects.toThrow(/autoCommitThreshold must be a positive integer or null, got -1/);
    await expect(consumer.run({ eachMessage: async () => {}, partitionsConsumedConcurrently: 0 })).rejects.toThrow(/partitionsConsumedConcurrently must be a positive integer/);
    await consumer.disconnect();
  });
});
