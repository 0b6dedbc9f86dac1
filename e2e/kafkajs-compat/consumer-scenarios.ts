// KafkaJS consumer idioms as the KafkaJS documentation writes them, each returning what an
// application would observe (records read back, offsets committed, events seen, errors thrown).
import { connectAdmin } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { vi } from 'vitest';
import { type KafkaMessage } from 'kafkajs';
import { createTopic, committedOffsets, produce, startConsumer, connectedProducer, until, text, values, CLUSTER, WAIT, type Scenario } from './scenario-support';

export const consumerScenarios: readonly Scenario[] = [
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
];
