// KafkaJS eachBatch and consumer-event idioms as the KafkaJS documentation writes them, each
// returning what an application would observe (batches, offsets committed, events seen).
import { uniqueName } from '@flotilla/testing';
import { vi } from 'vitest';
import { createTopic, committedOffsets, produce, startConsumer, until, values, WAIT, type Scenario } from './scenario-support';

export const batchScenarios: readonly Scenario[] = [
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
];
