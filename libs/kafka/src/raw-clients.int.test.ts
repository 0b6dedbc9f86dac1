// Both Kafka client libraries Flotilla builds on, against two separately started real
// clusters: what one cluster acknowledges is read back from that cluster and only there.
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import RdKafka from 'node-rdkafka';
import { testPlatform, uniqueName } from '@flotilla/testing';
import { connectAdmin } from './kafka-admin';

const RECORDS = 200;

async function produceWithKafkajs(bootstrap: string[], topic: string, values: string[]): Promise<void> {
  const producer = new Kafka({ clientId: 'test', brokers: bootstrap, logLevel: logLevel.NOTHING }).producer({ idempotent: true });
  await producer.connect();
  try {
    await producer.send({ topic, acks: -1, messages: values.map((value, i) => ({ key: String(i), value })) });
  } finally {
    await producer.disconnect();
  }
}

async function consumeWithKafkajs(bootstrap: string[], topic: string, count: number): Promise<string[]> {
  const consumer = new Kafka({ clientId: 'test', brokers: bootstrap, logLevel: logLevel.NOTHING }).consumer({ groupId: uniqueName('g') });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`kafkajs read ${seen.length}/${count} records`)), 60_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          seen.push(message.value?.toString() ?? '');
          if (seen.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return seen;
}

function produceWithRdkafka(bootstrap: string[], topic: string, values: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const producer = new RdKafka.Producer({
      'bootstrap.servers': bootstrap.join(','),
      // Idempotence implies acks=all in librdkafka.
      'enable.idempotence': true,
      dr_cb: true,
      'linger.ms': 5,
    });
    let delivered = 0;
    producer.on('delivery-report', (error) => {
      if (error) reject(error);
      else if (++delivered === values.length) producer.disconnect(() => resolve());
    });
    producer.on('event.error', reject);
    producer.setPollInterval(10);
    producer.connect({}, (error) => {
      if (error) return reject(error);
      values.forEach((value, i) => producer.produce(topic, null, Buffer.from(value), String(i)));
    });
  });
}

function consumeWithRdkafka(bootstrap: string[], topic: string, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const seen: string[] = [];
    const consumer = new RdKafka.KafkaConsumer(
      { 'bootstrap.servers': bootstrap.join(','), 'group.id': uniqueName('g'), 'enable.auto.commit': true },
      { 'auto.offset.reset': 'earliest' },
    );
    const timer = setTimeout(() => {
      consumer.disconnect();
      reject(new Error(`node-rdkafka read ${seen.length}/${count} records`));
    }, 60_000);
    consumer.on('data', (message) => {
      seen.push(message.value?.toString() ?? '');
      if (seen.length === count) {
        clearTimeout(timer);
        consumer.disconnect(() => resolve(seen));
      }
    });
    consumer.on('event.error', reject);
    consumer.on('ready', () => {
      consumer.subscribe([topic]);
      consumer.consume();
    });
    consumer.connect();
  });
}

const clients = [
  { name: 'kafkajs', produce: produceWithKafkajs, consume: consumeWithKafkajs },
  { name: 'node-rdkafka', produce: produceWithRdkafka, consume: consumeWithRdkafka },
] as const;

describe.each(clients)('$name on two separate real clusters', (client) => {
  it('reads back from each cluster exactly what that cluster acknowledged', async () => {
    const [a, b] = testPlatform().clusters;
    if (!a || !b) throw new Error('the test platform needs two clusters');
    const topicA = uniqueName(`raw-${client.name}-a`);
    const topicB = uniqueName(`raw-${client.name}-b`);
    for (const [cluster, topic] of [
      [a, topicA],
      [b, topicB],
    ] as const) {
      const admin = await connectAdmin({ bootstrap: cluster.bootstrap });
      await admin.ensureTopic({ topic, partitions: 3, replicationFactor: 1 });
      await admin.close();
    }
    const valuesA = Array.from({ length: RECORDS }, (_, i) => `${topicA}#${i}`);
    const valuesB = Array.from({ length: RECORDS }, (_, i) => `${topicB}#${i}`);
    await client.produce(a.bootstrap, topicA, valuesA);
    await client.produce(b.bootstrap, topicB, valuesB);

    expect((await client.consume(a.bootstrap, topicA, RECORDS)).sort()).toEqual([...valuesA].sort());
    expect((await client.consume(b.bootstrap, topicB, RECORDS)).sort()).toEqual([...valuesB].sort());

    // The clusters are independent: neither knows the other's topic.
    const adminA = await connectAdmin({ bootstrap: a.bootstrap });
    const adminB = await connectAdmin({ bootstrap: b.bootstrap });
    expect(await adminA.listTopics()).not.toContain(topicB);
    expect(await adminB.listTopics()).not.toContain(topicA);
    await Promise.all([adminA.close(), adminB.close()]);
  });
});
