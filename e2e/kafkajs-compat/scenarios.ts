// KafkaJS idioms as the KafkaJS documentation writes them, each returning what an application
// would observe (records read back, offsets committed, events seen, errors thrown). The suite
// runs every scenario on plain kafkajs and on the smart client over each transport and expects
// the same observation from all of them.
import { connectAdmin } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { vi } from 'vitest';
import { CompressionTypes, type Consumer, type EachMessagePayload, type KafkaMessage, type Producer } from 'kafkajs';
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

async function connectedProducer(kafka: KafkaLike, cleanup: Cleanup): Promise<Producer> {
  const producer = kafka.producer();
  await producer.connect();
  cleanup(() => producer.disconnect());
  return producer;
}

/** Waits until `done()`, failing with `what()` (the progress so far) when it never is. */
async function until(done: () => boolean, what: () => string): Promise<void> {
  await vi.waitFor(() => {
    if (!done()) throw new Error(what());
  }, WAIT);
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
    name: 'subscribe to a topic that does not exist rejects, with an error that says whether it is retriable',
    expected: { outcome: 'rejected', retriable: 'boolean' },
    async run(kafka, cleanup) {
      const consumer = kafka.consumer({ groupId: uniqueName('compat-group'), allowAutoTopicCreation: false });
      await consumer.connect();
      cleanup(() => consumer.disconnect());
      return consumer.subscribe({ topics: [uniqueName('compat-missing')], fromBeginning: true }).then(
        () => ({ outcome: 'resolved' }),
        (error: { retriable?: unknown }) => ({ outcome: 'rejected', retriable: typeof error.retriable }),
      );
    },
  },
  {
    name: 'instrumentation events: producer.connect, consumer.group_join, consumer.commit_offsets',
    expected: ['consumer.commit_offsets', 'consumer.group_join', 'producer.connect'],
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
    async run(kafka) {
      return kafka.producer({ idempotent: true, maxInFlightRequests: 1 }).isIdempotent();
    },
  },
  {
    name: 'eachBatchAutoResolve: false and no resolveOffset: the batch is not committed and comes again',
    expected: { deliveredAgain: true, committed: 'nothing' },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      await produce(kafka, cleanup, topic, values(3));
      const groupId = uniqueName('compat-group');
      const consumer = await startConsumer(kafka, cleanup, topic, groupId);
      const firstOffsets: string[] = [];
      await consumer.run({
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch }) => void firstOffsets.push(batch.messages[0]?.offset ?? ''),
      });
      await until(() => firstOffsets.filter((offset) => offset === '0').length >= 2, () => `batches from ${firstOffsets.join(',')}`);
      await consumer.stop();
      // The group's offset reads -1 when nothing was committed.
      const committed = (await committedOffsets(groupId, topic))[0];
      return { deliveredAgain: true, committed: committed === undefined || committed === '-1' ? 'nothing' : committed };
    },
  },
  {
    name: 'eachBatch: batch.firstOffset, lastOffset, offsetLag, offsetLagLow and isEmpty agree with the batch',
    expected: { consistent: true, offsets: ['0', '1', '2', '3', '4'], lastLag: '0' },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      await produce(kafka, cleanup, topic, values(5));
      const consumer = await startConsumer(kafka, cleanup, topic);
      const offsets: string[] = [];
      let consistent = true;
      let lastLag = '';
      await consumer.run({
        eachBatch: async ({ batch }) => {
          const first = batch.messages[0]?.offset ?? null;
          const last = batch.messages.at(-1)?.offset;
          const end = BigInt(batch.highWatermark) - 1n;
          consistent &&=
            batch.isEmpty() === (batch.messages.length === 0) &&
            batch.firstOffset() === first &&
            batch.lastOffset() === (last ?? end.toString()) &&
            batch.offsetLag() === (end - BigInt(batch.lastOffset())).toString() &&
            batch.offsetLagLow() === (first === null ? '0' : (end - BigInt(first)).toString());
          offsets.push(...batch.messages.map((m) => m.offset));
          if (last === '4') lastLag = batch.offsetLag();
        },
      });
      await until(() => lastLag !== '', () => `read ${offsets.join(',')}`);
      return { consistent, offsets, lastLag };
    },
  },
  {
    name: 'an eachMessage failing past its retries emits consumer.crash with restart, then continues from the failed record',
    expected: { crash: { restart: true, groupId: true }, replayed: false, all: ['m0', 'm1', 'm2', 'm3', 'm4'] },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      await produce(kafka, cleanup, topic, values(5));
      const groupId = uniqueName('compat-group');
      const consumer = kafka.consumer({ groupId, retry: { retries: 1, initialRetryTime: 100, maxRetryTime: 200 } });
      let crash: { restart: boolean; groupId: boolean } | undefined;
      consumer.on(consumer.events.CRASH, ({ payload }) => void (crash ??= { restart: payload.restart, groupId: payload.groupId === groupId }));
      await consumer.connect();
      cleanup(() => consumer.disconnect());
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      const seen: string[] = [];
      let failures = 0;
      await consumer.run({
        eachMessage: async ({ message }) => {
          const value = text(message.value) ?? '';
          seen.push(value);
          // Fails the first attempt and its one retry: the retries are spent, the consumer crashes.
          if (value === 'm2' && failures < 2) {
            failures += 1;
            throw new Error('handler failed on m2');
          }
        },
      });
      await until(() => seen.includes('m4') && crash !== undefined, () => `seen ${seen.join(',')}, crash ${JSON.stringify(crash)}`);
      const afterFailure = seen.slice(seen.indexOf('m2') + 1);
      return { crash, replayed: afterFailure.includes('m0') || afterFailure.includes('m1'), all: [...new Set(seen)].sort() };
    },
  },
  {
    name: 'partitionsConsumedConcurrently: 3 handles the partitions of three at once',
    expected: true,
    async run(kafka, cleanup) {
      const topic = await createTopic(3);
      const producer = await connectedProducer(kafka, cleanup);
      await producer.send({ topic, messages: [0, 1, 2].flatMap((partition) => values(20).map((value) => ({ value, partition }))) });
      const consumer = await startConsumer(kafka, cleanup, topic);
      let running = 0;
      let most = 0;
      let done = 0;
      await consumer.run({
        partitionsConsumedConcurrently: 3,
        eachMessage: async () => {
          running += 1;
          most = Math.max(most, running);
          await new Promise((resolve) => setTimeout(resolve, 20));
          running -= 1;
          done += 1;
        },
      });
      await until(() => done >= 60, () => `handled ${done} of 60`);
      return most > 1 && most <= 3;
    },
  },
  {
    name: 'subscribe with a RegExp reads every existing topic it matches',
    expected: ['a0', 'b0'],
    async run(kafka, cleanup) {
      const prefix = uniqueName('compat-re');
      const admin = await connectAdmin({ bootstrap: testCluster(CLUSTER).bootstrap });
      try {
        for (const suffix of ['a', 'b']) await admin.ensureTopic({ topic: `${prefix}-${suffix}`, partitions: 1, replicationFactor: 1 });
      } finally {
        await admin.close();
      }
      const producer = await connectedProducer(kafka, cleanup);
      await producer.sendBatch({ topicMessages: ['a', 'b'].map((suffix) => ({ topic: `${prefix}-${suffix}`, messages: [{ value: `${suffix}0` }] })) });
      const consumer = kafka.consumer({ groupId: uniqueName('compat-group') });
      await consumer.connect();
      cleanup(() => consumer.disconnect());
      await consumer.subscribe({ topics: [new RegExp(`^${prefix}-`)], fromBeginning: true });
      const seen: string[] = [];
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(text(message.value) ?? '') });
      await until(() => seen.length >= 2, () => `read ${seen.join(',')}`);
      return seen.sort();
    },
  },
  {
    name: 'consumer events: connect, group_join, fetch_start, batch process, commit_offsets, stop, disconnect; on() returns a remover',
    expected: {
      types: [
        'consumer.commit_offsets',
        'consumer.connect',
        'consumer.disconnect',
        'consumer.end_batch_process',
        'consumer.fetch_start',
        'consumer.group_join',
        'consumer.start_batch_process',
        'consumer.stop',
      ],
      removed: true,
      endBatch: { topic: true, partition: 0, batchSize: true, duration: true },
      committed: '3',
    },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      await produce(kafka, cleanup, topic, values(3));
      const groupId = uniqueName('compat-group');
      const consumer = kafka.consumer({ groupId });
      const types = new Set<string>();
      let endBatch: unknown;
      let committed = '';
      const { events } = consumer;
      for (const name of [events.CONNECT, events.GROUP_JOIN, events.FETCH_START, events.START_BATCH_PROCESS, events.COMMIT_OFFSETS, events.STOP, events.DISCONNECT]) {
        consumer.on(name, ({ type }) => void types.add(type));
      }
      consumer.on(events.END_BATCH_PROCESS, ({ type, payload }) => {
        types.add(type);
        endBatch ??= { topic: payload.topic === topic, partition: payload.partition, batchSize: payload.batchSize > 0, duration: typeof payload.duration === 'number' };
      });
      consumer.on(events.COMMIT_OFFSETS, ({ payload }) => {
        for (const t of payload.topics) for (const p of t.partitions) if (t.topic === topic) committed = p.offset;
      });
      let removedCalled = false;
      const remove = consumer.on(events.CONNECT, () => void (removedCalled = true));
      remove();
      await consumer.connect();
      await consumer.subscribe({ topics: [topic], fromBeginning: true });
      await consumer.run({ eachMessage: async () => {} });
      await until(() => committed === '3', () => `committed ${committed}, events ${[...types].join(',')}`);
      await consumer.stop();
      await consumer.disconnect();
      return { types: [...types].sort(), removed: !removedCalled, endBatch, committed };
    },
  },
  {
    name: 'stop() ends consumption: nothing is read after it resolves',
    expected: { before: 3, afterStop: 3 },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      const producer = await connectedProducer(kafka, cleanup);
      await producer.send({ topic, messages: values(3).map((value) => ({ value })) });
      const consumer = await startConsumer(kafka, cleanup, topic);
      let count = 0;
      await consumer.run({ eachMessage: async () => void (count += 1) });
      await until(() => count >= 3, () => `read ${count} of 3`);
      const before = count;
      await consumer.stop();
      await producer.send({ topic, messages: values(3, 'n').map((value) => ({ value })) });
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return { before, afterStop: count };
    },
  },
  {
    name: 'paused() lists the paused partitions (a topic paused as a whole: its assigned ones), and none after resume',
    expected: { partitions: [{ topic: 'T', partitions: [0, 2] }], resumed: [], wholeTopic: [{ topic: 'T', partitions: [0, 1, 2] }] },
    async run(kafka, cleanup) {
      const topic = await createTopic(3);
      await produce(kafka, cleanup, topic, values(1));
      const consumer = await startConsumer(kafka, cleanup, topic);
      let count = 0;
      await consumer.run({ eachMessage: async () => void (count += 1) });
      await until(() => count >= 1, () => 'nothing read yet');
      const paused = () => consumer.paused().map((tp) => ({ topic: tp.topic === topic ? 'T' : tp.topic, partitions: [...tp.partitions].sort() }));
      consumer.pause([{ topic, partitions: [0, 2] }]);
      const partitions = paused();
      consumer.resume([{ topic, partitions: [0, 2] }]);
      const resumed = paused();
      consumer.pause([{ topic }]);
      return { partitions, resumed, wholeTopic: paused() };
    },
  },
  {
    name: 'describeGroup describes the running group with this member',
    expected: { groupId: true, state: 'Stable', members: 1 },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      const groupId = uniqueName('compat-group');
      const consumer = await startConsumer(kafka, cleanup, topic, groupId);
      await consumer.run({ eachMessage: async () => {} });
      // KafkaJS' run() resolves before the group is joined: ask until it is.
      let group = await consumer.describeGroup();
      await vi.waitFor(async () => {
        group = await consumer.describeGroup();
        if (group.state !== 'Stable') throw new Error(`group ${group.state}`);
      }, WAIT);
      return { groupId: group.groupId === groupId, state: group.state, members: group.members.length };
    },
  },
  {
    name: 'eachBatch: uncommittedOffsets lists the resolved offset; commitOffsetsIfNecessary commits it only once autoCommitThreshold is reached',
    expected: { read: 3, consistent: true },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      await produce(kafka, cleanup, topic, values(3));
      const consumer = await startConsumer(kafka, cleanup, topic);
      let read = 0;
      let consistent = true;
      const listed = (offsets: { topics: { topic: string; partitions: { partition: number | string; offset: string }[] }[] }): string =>
        offsets.topics.flatMap((t) => t.partitions.map((p) => `${t.topic === topic ? 'T' : t.topic}/${Number(p.partition)}@${p.offset}`)).join();
      await consumer.run({
        eachBatchAutoResolve: false,
        autoCommitThreshold: 1,
        eachBatch: async ({ batch, resolveOffset, uncommittedOffsets, commitOffsetsIfNecessary }) => {
          for (const message of batch.messages) {
            resolveOffset(message.offset);
            const expected = `T/0@${BigInt(message.offset) + 1n}`;
            consistent &&= listed(uncommittedOffsets()) === expected;
            await commitOffsetsIfNecessary();
            // One resolved offset reaches the threshold: committed, nothing left to list.
            consistent &&= listed(uncommittedOffsets()) === '';
            read += 1;
          }
        },
      });
      await until(() => read >= 3, () => `read ${read}`);
      return { read, consistent };
    },
  },
  {
    name: 'producer events: connect, request (apiName Produce), disconnect; on() returns a remover; an unknown event name throws',
    expected: { types: ['producer.connect', 'producer.disconnect', 'producer.network.request'], produceRequest: true, removed: true, unknown: 'threw' },
    async run(kafka) {
      const topic = await createTopic();
      const producer = kafka.producer();
      const types = new Set<string>();
      let produceRequest = false;
      const { events } = producer;
      for (const name of [events.CONNECT, events.DISCONNECT]) producer.on(name, ({ type }) => void types.add(type));
      producer.on(events.REQUEST, ({ type, payload }) => {
        types.add(type);
        if (payload.apiName === 'Produce' && typeof payload.duration === 'number' && typeof payload.broker === 'string') produceRequest = true;
      });
      let removedCalled = false;
      const remove = producer.on(events.CONNECT, () => void (removedCalled = true));
      remove();
      let unknown = 'accepted';
      try {
        producer.on('producer.no_such_event' as typeof events.CONNECT, () => undefined);
      } catch {
        unknown = 'threw';
      }
      await producer.connect();
      await producer.send({ topic, messages: [{ value: 'm0' }] });
      await producer.disconnect();
      return { types: [...types].sort(), produceRequest, removed: !removedCalled, unknown };
    },
  },
  {
    name: 'producer options with KafkaJS names: idempotent, maxInFlightRequests, allowAutoTopicCreation: false; records arrive once',
    expected: { idempotent: true, read: ['m0', 'm1', 'm2'] },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
      await producer.connect();
      cleanup(() => producer.disconnect());
      await producer.send({ topic, messages: values(3).map((value) => ({ value })) });
      const consumer = await startConsumer(kafka, cleanup, topic);
      const read: string[] = [];
      await consumer.run({ eachMessage: async ({ message }) => void read.push(text(message.value) ?? '') });
      await until(() => read.length >= 3, () => `read ${read.join(',')}`);
      return { idempotent: producer.isIdempotent(), read };
    },
  },
  {
    name: 'send with acks -1 and compression GZIP: a 2 MB value, over the broker\'s limit uncompressed, is accepted and read back',
    expected: { sent: 1, length: 2_000_000, intact: true },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      const producer = await connectedProducer(kafka, cleanup);
      const value = 'flotilla '.repeat(250_000).slice(0, 2_000_000);
      const sent = await producer.send({ topic, acks: -1, compression: CompressionTypes.GZIP, messages: [{ value }] });
      const consumer = await startConsumer(kafka, cleanup, topic);
      let read: string | undefined;
      await consumer.run({ eachMessage: async ({ message }) => void (read = text(message.value) ?? '') });
      await until(() => read !== undefined, () => 'not read yet');
      return { sent: sent.length, length: read?.length, intact: read === value };
    },
  },
  {
    name: 'a binary header value with a NUL byte is read back as sent',
    expected: '00ff01',
    gaps: {
      'flotilla over node-rdkafka': "refused with a ValidationError: node-rdkafka's produce() passes header values as C strings, cut at the first NUL (issue #22)",
    },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      const producer = await connectedProducer(kafka, cleanup);
      await producer.send({ topic, messages: [{ value: 'm0', headers: { h: Buffer.from([0x00, 0xff, 0x01]) } }] });
      const consumer = await startConsumer(kafka, cleanup, topic);
      let header: unknown;
      await consumer.run({ eachMessage: async ({ message }) => void (header = message.headers?.['h']) });
      await until(() => header !== undefined, () => 'not read yet');
      return Buffer.isBuffer(header) ? header.toString('hex') : header;
    },
  },
  {
    // Deliberately different: the smart client adds `cluster` (left out here), and reports
    // logStartOffset as '-1' (its transports report offsets only; libs/client/README.md).
    name: "send resolves with KafkaJS' RecordMetadata fields: baseOffset, logAppendTime -1 on a CreateTime topic",
    expected: { fields: ['baseOffset', 'errorCode', 'logAppendTime', 'logStartOffset', 'partition', 'topicName'], baseOffset: '0', logAppendTime: '-1', errorCode: 0 },
    async run(kafka, cleanup) {
      const topic = await createTopic();
      const producer = await connectedProducer(kafka, cleanup);
      const [metadata] = await producer.send({ topic, messages: [{ value: 'm0' }] });
      const fields = Object.keys(metadata ?? {}).filter((field) => field !== 'cluster').sort();
      return { fields, baseOffset: metadata?.baseOffset, logAppendTime: metadata?.logAppendTime, errorCode: metadata?.errorCode };
    },
  },
];
