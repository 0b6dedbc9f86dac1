// What the KafkaJS-idiom scenarios share: the Scenario shape, and topics, producers, consumers
// and waits as the scenarios use them.
import { connectAdmin } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { vi } from 'vitest';
import type { Consumer, Producer } from 'kafkajs';
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

export const CLUSTER = 'fronting-1';
export const WAIT = { timeout: 30_000, interval: 100 };

export async function createTopic(partitions = 1): Promise<string> {
  const topic = uniqueName('compat');
  const admin = await connectAdmin({ bootstrap: testCluster(CLUSTER).bootstrap });
  try {
    await admin.ensureTopic({ topic, partitions, replicationFactor: 1 });
  } finally {
    await admin.close();
  }
  return topic;
}

export async function committedOffsets(groupId: string, topic: string): Promise<Record<number, string>> {
  const admin = await connectAdmin({ bootstrap: testCluster(CLUSTER).bootstrap });
  try {
    return Object.fromEntries([...(await admin.groupOffsets(groupId, topic))].map(([partition, offset]) => [partition, offset.toString()]));
  } finally {
    await admin.close();
  }
}

export async function produce(kafka: KafkaLike, cleanup: Cleanup, topic: string, values: readonly string[]): Promise<void> {
  const producer = kafka.producer();
  await producer.connect();
  cleanup(() => producer.disconnect());
  await producer.send({ topic, messages: values.map((value) => ({ value })) });
}

export async function startConsumer(kafka: KafkaLike, cleanup: Cleanup, topic: string, groupId = uniqueName('compat-group')): Promise<Consumer> {
  const consumer = kafka.consumer({ groupId });
  await consumer.connect();
  cleanup(() => consumer.disconnect());
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  return consumer;
}

export async function connectedProducer(kafka: KafkaLike, cleanup: Cleanup): Promise<Producer> {
  const producer = kafka.producer();
  await producer.connect();
  cleanup(() => producer.disconnect());
  return producer;
}

/** Waits until `done()`, failing with `what()` (the progress so far) when it never is. */
export async function until(done: () => boolean, what: () => string): Promise<void> {
  await vi.waitFor(() => {
    if (!done()) throw new Error(what());
  }, WAIT);
}

export const text = (buffer: Buffer | string | null | undefined): string | null => (buffer === null || buffer === undefined ? null : buffer.toString());
export const values = (count: number, prefix = 'm'): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);

