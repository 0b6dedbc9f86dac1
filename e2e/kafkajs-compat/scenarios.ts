// KafkaJS idioms as the KafkaJS documentation writes them, each returning what an application
// would observe (records read back, offsets committed, events seen, errors thrown). The suite
// runs every scenario on plain kafkajs and on the smart client over each transport and expects
// the same observation from all of them.
import { connectAdmin } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { vi } from 'vitest';
import type { Consumer, EachMessagePayload, KafkaMessage } from 'kafkajs';
import type { KafkaLike, Subject } from './subjects';

export interface Scenario {
  readonly name: string;
  /** What KafkaJS documents, and so what every subject must observe. */
  readonly expected: unknown;
  run(kafka: KafkaLike, cleanup: Cleanup): Promise<unknown>;
  /** Subjects that do not behave as KafkaJS does yet, and why: reported as skipped, never hidden. */
  readonly gaps?: Partial<Record<Subject['name'], string>>;
}

export type Cleanup = (close: () => Promise<unknown>) => void;

const CLUSTER = 'fronting-1';
const WAIT = { timeout: 30_000, interval: 100 };

async function createTopic(partitions = 1): Promise<string> {
  const topic = uniqueName('compat');
  const admin = await connectAdmin({ bootstrap: testCluster(CLUSTER).bootstrap });
  try {
    await admin.ensureTopic({ topic, partitions, replicationFactor: 1 });
  } finally {
    await admin.close();
  }
  return topic;
}

async function committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const admin = await connectAdmin({ bootstrap: testCluster(CLUSTER).bootstrap });
  try {
    return Object.fromEntries([...(await admin.groupOffsets(groupId, topic))].map(([partition, offset]) => [partition, offset.toString()]));
  } finally {
    await admin.close();
  }
}

async function produce(kafka: KafkaLike, cleanup: Cleanup, topic: string, values: readonly string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  cleanup(() => producer.disconnect());
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
}

async function startConsumer(kafka: KafkaLike, cleanup: Cleanup, topic: string, groupId = uniqueName('compat-group')): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  cleanup(() => consumer.disconnect());
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  return consumer;
}

const text = (buffer: Buffer | string | null | undefined): string | null => (buffer === null || buffer === undefined ? null : buffer.toString());
const values = (count: number, prefix = 'm'): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

export const scenarios: readonly Scenario[] = [
  {
    name: 'send with key, value, partition, headers and timestamp; eachMessage reads them back as sent',
    expected: ['0|k0|v0|h0|1700000000000', '1|k1|v1|h1|1700000000001', '2|k2|v2|h2|1700000000002'],
    async run(kafka, cleanup) {
      const topic = await createTopic(3);
      const producer = kafka.producer();
      await producer.connect();
      cleanup(() => producer.disconnect());
      await producer.send({
        topic,
        messages: [0, 1, 2].map((i) => ({ key: `k${i}`, value: `v${i}`, partition: i, headers: { h: `h${i}` }, timestamp: String(1_700_000_000_000 + i) })),
      });
      const seen: string[] = [];
      const consumer = await startConsumer(kafka, cleanup, topic);
      await consumer.run({
        eachMessage: async ({ partition, message }: EachMessagePayload) => {
          seen.push(`${partition}|${text(message.key)}|${text(message.value)}|${text(message.headers?.['h'] as Buffer | undefined)}|${message.timestamp}`);
        },
      });
      await vi.waitFor(() => {
        if (seen.length < 3) throw new Error(`read ${seen.length} of 3`);
      }, WAIT);
      return seen.sort();
    },
  },
  {
    name: 'sendBatch to two topics; every record is read back',
    expected: { a: ['a0', 'a1', 'a2'], b: ['b0', 'b1'] },
    async run(kafka, cleanup) {
      const [a, b] = [await createTopic(), await createTopic()];
      const producer = kafka.producer();
      await producer.connect();
      cleanup(() => producer.disconnect());
      await producer.sendBatch({
        topicMessages: [
          { topic: a, messages: values(3, 'a').map((value) => ({ value })) },
          { topic: b, messages: values(2, 'b').map((value) => ({ value })) },
        ],
      });
      const seen: Record<string, string[]> = { [a]: [], [b]: [] };
      const consumer = kafka.consumer({ groupId: uniqueName('compat-group') });
      await consumer.connect();
      cleanup(() => consumer.disconnect());
      await consumer.subscribe({ topics: [a, b], fromBeginning: true });
      await consumer.run({ eachMessage: async ({ topic, message }) => void seen[topic]?.push(text(message.value) ?? '') });
      await vi.waitFor(() => {
        if ((seen[a]?.length ?? 0) < 3 || (seen[b]?.length ?? 0) < 2) throw new Error('not all read yet');
      }, WAIT);
      return { a: seen[a], b: seen[b] };
    },
  },
  {
    name: 'autoCommit: false and commitOffsets: a consumer joining the group later starts at the committed offset',
    expected: { committed: { 0: '5' }, resumedAt: 'm5' },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      await produce(kafka, cleanup, topic, values(10));
      const groupId = uniqueName('compat-group');
      const first = await startConsumer(kafka, cleanup, topic, groupId);
      const read: KafkaMessage[] = [];
      await first.run({ autoCommit: false, eachMessage: async ({ message }) => void read.push(message) });
      await vi.waitFor(() => {
        if (read.length < 10) throw new Error(`read ${read.length} of 10`);
      }, WAIT);
      await first.commitOffsets([{ topic, partition: 0, offset: '5' }]);
      await first.disconnect();
      const committed = await committedOffsets(groupId, topic);
      const second = await startConsumer(kafka, cleanup, topic, groupId);
      const resumed: string[] = [];
      await second.run({ eachMessage: async ({ message }) => void resumed.push(text(message.value) ?? '') });
      await vi.waitFor(() => {
        if (resumed.length === 0) throw new Error('nothing read after the commit');
      }, WAIT);
      return { committed, resumedAt: resumed[0] };
    },
  },
  {
    name: 'pause stops delivery of a topic, resume continues it',
    expected: { beforePause: 5, whilePaused: 5, afterResume: 10 },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      const producer = kafka.producer();
      await producer.connect();
      cleanup(() => producer.disconnect());
      await producer.send({ topic, messages: values(5).map((value) => ({ value })) });
      const consumer = await startConsumer(kafka, cleanup, topic);
      let count = 0;
      await consumer.run({ eachMessage: async () => void (count += 1) });
      await vi.waitFor(() => {
        if (count < 5) throw new Error(`read ${count} of 5`);
      }, WAIT);
      const beforePause = count;
      consumer.pause([{ topic }]);
      await producer.send({ topic, messages: values(5, 'n').map((value) => ({ value })) });
      // Long enough for a fetch that a pause failed to stop to deliver.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const whilePaused = count;
      consumer.resume([{ topic }]);
      await vi.waitFor(() => {
        if (count < 10) throw new Error(`read ${count} of 10`);
      }, WAIT);
      return { beforePause, whilePaused, afterResume: count };
    },
  },
  {
    name: 'eachBatch with resolveOffset, heartbeat and commitOffsetsIfNecessary commits what was handled',
    expected: { read: 20, committed: { 0: '20' } },
    gaps: {
      'flotilla over kafkajs': 'commitOffsetsIfNecessary is missing from the eachBatch payload and eachBatchAutoResolve is ignored: nothing is committed (issue #22)',
      'flotilla over node-rdkafka': 'commitOffsetsIfNecessary is missing from the eachBatch payload and eachBatchAutoResolve is ignored: nothing is committed (issue #22)',
    },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      await produce(kafka, cleanup, topic, values(20));
      const groupId = uniqueName('compat-group');
      const consumer = await startConsumer(kafka, cleanup, topic, groupId);
      let read = 0;
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }) => {
          for (const message of batch.messages) {
            if (!isRunning() || isStale()) break;
            read += 1;
            resolveOffset(message.offset);
            await heartbeat();
          }
          await commitOffsetsIfNecessary();
        },
      });
      await vi.waitFor(async () => {
        const committed = await committedOffsets(groupId, topic);
        if (read < 20 || committed[0] !== '20') throw new Error(`read ${read}, committed ${JSON.stringify(committed)}`);
      }, WAIT);
      return { read, committed: await committedOffsets(groupId, topic) };
    },
  },
  {
    name: 'an error thrown in eachMessage retries from the failed record; records that succeeded are not replayed',
    expected: { replayedBeforeFailure: false, all: ['m0', 'm1', 'm2', 'm3', 'm4'] },
    gaps: {
      'flotilla over kafkajs': 'the whole batch is redelivered, replaying records that succeeded (issue #22)',
      'flotilla over node-rdkafka': 'the whole batch is redelivered, replaying records that succeeded (issue #22)',
    },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      await produce(kafka, cleanup, topic, values(5));
      const consumer = await startConsumer(kafka, cleanup, topic);
      const seen: string[] = [];
      let failed = false;
      await consumer.run({
        eachMessage: async ({ message }) => {
          const value = text(message.value) ?? '';
          seen.push(value);
          if (value === 'm2' && !failed) {
            failed = true;
            throw new Error('handler failed once on m2');
          }
        },
      });
      await vi.waitFor(() => {
        if (!seen.includes('m4')) throw new Error(`seen ${seen.join(',')}`);
      }, WAIT);
      const afterFailure = seen.slice(seen.indexOf('m2') + 1);
      return { replayedBeforeFailure: afterFailure.includes('m0') || afterFailure.includes('m1'), all: [...new Set(seen)].sort() };
    },
  },
  {
    name: 'subscribe to a topic that does not exist rejects',
    expected: 'rejected',
    gaps: {
      'flotilla over kafkajs': 'the allowAutoTopicCreation option is refused as unknown, and subscribe to a missing topic resolves, failing later outside the caller (issue #22)',
      'flotilla over node-rdkafka': 'the allowAutoTopicCreation option is refused as unknown, and subscribe to a missing topic resolves, failing later outside the caller (issue #22)',
    },
    async run(kafka, cleanup) {
      const consumer = kafka.consumer({ groupId: uniqueName('compat-group'), allowAutoTopicCreation: false });
      await consumer.connect();
      cleanup(() => consumer.disconnect());
      return consumer.subscribe({ topics: [uniqueName('compat-missing')], fromBeginning: true }).then(
        () => 'resolved',
        () => 'rejected',
      );
    },
  },
  {
    name: 'instrumentation events: producer.connect, consumer.group_join, consumer.commit_offsets',
    expected: ['consumer.commit_offsets', 'consumer.group_join', 'producer.connect'],
    gaps: {
      'flotilla over kafkajs': 'producer.on, consumer.on and their events are missing (issue #22)',
      'flotilla over node-rdkafka': 'producer.on, consumer.on and their events are missing (issue #22)',
    },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      const seen = new Set<string>();
      const producer = kafka.producer();
      producer.on(producer.events.CONNECT, () => void seen.add('producer.connect'));
      await producer.connect();
      cleanup(() => producer.disconnect());
      await producer.send({ topic, messages: [{ value: 'm0' }] });
      const consumer = kafka.consumer({ groupId: uniqueName('compat-group') });
      consumer.on(consumer.events.GROUP_JOIN, () => void seen.add('consumer.group_join'));
      consumer.on(consumer.events.COMMIT_OFFSETS, () => void seen.add('consumer.commit_offsets'));
      await consumer.connect();
      cleanup(() => consumer.disconnect());
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async () => {} });
      await vi.waitFor(() => {
        if (seen.size < 3) throw new Error(`seen ${[...seen].join(',')}`);
      }, WAIT);
      return [...seen].sort();
    },
  },
  {
    name: 'partitionsConsumedConcurrently defaults to 1: eachMessage never runs twice at once',
    expected: 1,
    gaps: {
      'flotilla over kafkajs': 'three partitions are handled at once by default (issue #22)',
      'flotilla over node-rdkafka': 'three partitions are handled at once by default (issue #22)',
    },
    async run(kafka, cleanup) {
      const topic = await createTopic(3);
      const producer = kafka.producer();
      await producer.connect();
      cleanup(() => producer.disconnect());
      await producer.send({ topic, messages: [0, 1, 2].flatMap((partition) => values(5).map((value) => ({ value, partition }))) });
      const consumer = await startConsumer(kafka, cleanup, topic);
      let running = 0;
      let most = 0;
      let done = 0;
      await consumer.run({
        eachMessage: async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 20));
          running -= 1;
          done += 1;
        },
      });
      await vi.waitFor(() => {
        if (done < 15) throw new Error(`handled ${done} of 15`);
      }, WAIT);
      return most;
    },
  },
  {
    name: 'array header values arrive as several values of one header',
    expected: ['x', 'y'],
    gaps: {
      'flotilla over kafkajs': 'array header values are refused (messages[0].headers.h: expected Buffer or string) (issue #22)',
      'flotilla over node-rdkafka': 'array header values are refused (messages[0].headers.h: expected Buffer or string) (issue #22)',
    },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      const producer = kafka.producer();
      await producer.connect();
      cleanup(() => producer.disconnect());
      await producer.send({ topic, messages: [{ value: 'm0', headers: { h: ['x', 'y'] } }] });
      const consumer = await startConsumer(kafka, cleanup, topic);
      let header: unknown;
      await consumer.run({ eachMessage: async ({ message }) => void (header = message.headers?.['h']) });
      await vi.waitFor(() => {
        if (header === undefined) throw new Error('not read yet');
      }, WAIT);
      return (Array.isArray(header) ? header : [header]).map((value: Buffer) => value.toString());
    },
  },
  {
    name: 'an idempotent producer says so',
    expected: true,
    gaps: {
      'flotilla over kafkajs': 'the idempotent and maxInFlightRequests options are refused as unknown, and isIdempotent() is missing (issue #22)',
      'flotilla over node-rdkafka': 'the idempotent and maxInFlightRequests options are refused as unknown, and isIdempotent() is missing (issue #22)',
    },
    async run(kafka) {
      return kafka.producer({ idempotent: true, maxInFlightRequests: 1 }).isIdempotent();
    },
  },
];
