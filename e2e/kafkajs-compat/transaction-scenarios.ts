// KafkaJS transactions as its documentation writes them (producer.transaction(), send, sendBatch,
// sendOffsets, commit, abort, isActive), observed through read_committed consumers and the
// group's committed offsets. Records are read back by a consumer group made after the
// transaction ended, and up to a plain record sent after it, so "invisible" is observed, not
// assumed.
import { connectAdmin } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { vi } from 'vitest';
import type { Producer } from 'kafkajs';
import type { Cleanup, Scenario } from './scenarios';
import { ON_SECOND_CLUSTER, SECOND_CLUSTER, type KafkaLike } from './subjects';

const CLUSTER = 'fronting-1';
const WAIT = { timeout: 30_000, interval: 100 };
/** Sent without a transaction after one ended: once a reader has it, it has everything before it. */
const END = 'end';

async function newTopic(cluster = CLUSTER, topic = uniqueName('compat-tx')): Promise<string> {
  const admin = await connectAdmin({ bootstrap: testCluster(cluster).bootstrap });
  try {
    await admin.ensureTopic({ topic, partitions: 1, replicationFactor: 1 });
  } finally {
    await admin.close();
  }
  return topic;
}

async function committedOffset(groupId: string, topic: string): Promise<string> {
  const admin = await connectAdmin({ bootstrap: testCluster(CLUSTER).bootstrap });
  try {
    return String((await admin.groupOffsets(groupId, topic)).get(0) ?? -1n);
  } finally {
    await admin.close();
  }
}

/** The producer KafkaJS' transactions documentation makes. */
async function transactionalProducer(kafka: KafkaLike, cleanup: Cleanup): Promise<Producer> {
  const producer = kafka.producer({ transactionalId: uniqueName('compat-tx-id'), maxInFlightRequests: 1, idempotent: true });
  await producer.connect();
  cleanup(() => producer.disconnect());
  return producer;
}

/** Values read from `topics` by a new group (read_committed, KafkaJS' default) until `done` holds. */
async function readBack(kafka: KafkaLike, cleanup: Cleanup, topics: readonly string[], done: (seen: Record<string, string[]>) => boolean): Promise<Record<string, string[]>> {
  const consumer = kafka.consumer({ groupId: uniqueName('compat-tx-reader') });
  await consumer.connect();
  cleanup(() => consumer.disconnect());
  await consumer.subscribe({ topics: [...topics], fromBeginning: true });
  const seen: Record<string, string[]> = Object.fromEntries(topics.map((topic) => [topic, []]));
  await consumer.run({ eachMessage: async ({ topic, message }) => void seen[topic]?.push(message.value?.toString() ?? '') });
  await vi.waitFor(() => {
    if (!done(seen)) throw new Error(`read ${JSON.stringify(seen)}`);
  }, WAIT);
  return seen;
}

const ended = (topic: string) => (seen: Record<string, string[]>) => seen[topic]?.includes(END) ?? false;
const messages = (...values: string[]) => values.map((value) => ({ value }));

/** What a refused call shows an application: whether it may retry, and whether the message names the topics and clusters. */
function refusalOf(error: { retriable?: unknown; message?: unknown }, names: readonly string[]): { retriable: unknown; namesThem: boolean } {
  const message = String(error.message);
  return { retriable: error.retriable, namesThem: names.every((name) => message.includes(name)) };
}

export const transactionScenarios: readonly Scenario[] = [
  {
    name: 'transaction: send and sendBatch records become visible to a read_committed consumer on commit; isActive until then',
    expected: { activeBefore: true, activeAfter: false, a: ['a0', 'a1', 'a2', END], b: ['b0'] },
    async run(kafka, cleanup) {
      const [a, b] = [await newTopic(), await newTopic()];
      const producer = await transactionalProducer(kafka, cleanup);
      const transaction = await producer.transaction();
      const activeBefore = transaction.isActive();
      await transaction.send({ topic: a, messages: messages('a0', 'a1') });
      await transaction.sendBatch({ topicMessages: [{ topic: a, messages: messages('a2') }, { topic: b, messages: messages('b0') }] });
      await transaction.commit();
      const activeAfter = transaction.isActive();
      await producer.send({ topic: a, messages: messages(END) });
      const seen = await readBack(kafka, cleanup, [a, b], (s) => ended(a)(s) && s[b]?.length === 1);
      return { activeBefore, activeAfter, a: seen[a], b: seen[b] };
    },
  },
  {
    name: 'transaction: abort leaves its records invisible to a read_committed consumer created afterwards',
    expected: { activeAfter: false, read: [END] },
    async run(kafka, cleanup) {
      const topic = await newTopic();
      const producer = await transactionalProducer(kafka, cleanup);
      const transaction = await producer.transaction();
      await transaction.send({ topic, messages: messages('x0', 'x1', 'x2') });
      await transaction.abort();
      const activeAfter = transaction.isActive();
      await producer.send({ topic, messages: messages(END) });
      const seen = await readBack(kafka, cleanup, [topic], ended(topic));
      return { activeAfter, read: seen[topic] };
    },
  },
  {
    name: 'transaction: sendOffsets commits the group\'s offsets only with the transaction (consume-transform-produce)',
    // Before m2's commit the group's offset is m0's: m1's transaction was aborted with its offset.
    expected: { beforeLastCommit: '1', final: '3', out: ['M0', 'M2', END] },
    async run(kafka, cleanup) {
      const [input, out] = [await newTopic(), await newTopic()];
      const producer = await transactionalProducer(kafka, cleanup);
      await producer.send({ topic: input, messages: messages('m0', 'm1', 'm2') });
      const groupId = uniqueName('compat-tx-group');
      const consumer = kafka.consumer({ groupId });
      await consumer.connect();
      cleanup(() => consumer.disconnect());
      await consumer.subscribe({ topics: [input], fromBeginning: true });
      let beforeLastCommit: string | undefined;
      let handled = 0;
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ topic, partition, message }) => {
          const value = message.value?.toString() ?? '';
          const transaction = await producer.transaction();
          await transaction.send({ topic: out, messages: messages(value.toUpperCase()) });
          await transaction.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition, offset: String(BigInt(message.offset) + 1n) }] }] });
          // Another transaction of this producer began only once the last one was complete.
          if (value === 'm2') beforeLastCommit = await committedOffset(groupId, input);
          if (value === 'm1') await transaction.abort();
          else await transaction.commit();
          handled += 1;
        },
      });
      let final = '';
      await vi.waitFor(async () => {
        final = await committedOffset(groupId, input);
        if (handled < 3 || final !== '3') throw new Error(`handled ${handled}, committed ${final}`);
      }, WAIT);
      await producer.send({ topic: out, messages: messages(END) });
      const seen = await readBack(kafka, cleanup, [out], ended(out));
      return { beforeLastCommit, final, out: seen[out] };
    },
  },
  {
    name: 'transaction() on a producer without transactionalId rejects',
    expected: 'rejected',
    async run(kafka, cleanup) {
      const producer = kafka.producer();
      await producer.connect();
      cleanup(() => producer.disconnect());
      return producer.transaction().then(
        () => 'resolved',
        () => 'rejected',
      );
    },
  },
  {
    name: 'a transaction whose topics span two clusters is refused, naming the topics and clusters; what it sent on its own cluster still commits',
    expected: {
      send: { retriable: false, namesThem: true },
      sendBatch: { retriable: false, namesThem: true },
      read: ['a0', END],
    },
    gaps: {
      kafkajs:
        'deliberately different: plain kafkajs reaches one cluster, where every transaction commits; the smart client refuses one whose topics the mapping places on two (a Kafka transaction commits on one cluster)',
    },
    async run(kafka, cleanup) {
      const [a, elsewhere] = [await newTopic(), await newTopic(SECOND_CLUSTER, ON_SECOND_CLUSTER)];
      const producer = await transactionalProducer(kafka, cleanup);
      const transaction = await producer.transaction();
      await transaction.send({ topic: a, messages: messages('a0') });
      const names = [a, elsewhere, CLUSTER, SECOND_CLUSTER];
      const send = await transaction.send({ topic: elsewhere, messages: messages('x0') }).then(
        () => 'sent',
        (error: Error) => refusalOf(error, names),
      );
      const sendBatch = await transaction.sendBatch({ topicMessages: [{ topic: a, messages: messages('a1') }, { topic: elsewhere, messages: messages('x1') }] }).then(
        () => 'sent',
        (error: Error) => refusalOf(error, names),
      );
      await transaction.commit();
      await producer.send({ topic: a, messages: messages(END) });
      const seen = await readBack(kafka, cleanup, [a], ended(a));
      return { send, sendBatch, read: seen[a] };
    },
  },
];
