// "Is every acknowledged record there?": reads a topic from the beginning with a fresh group
// until each expected value was seen or the time is up, and returns the values never seen.
import { Kafka, logLevel } from 'kafkajs';
import { uniqueName } from './test-platform';

export async function missingAfterReadBack(bootstrap: readonly string[], topic: string, expected: Iterable<string>, timeoutMs = 60_000): Promise<string[]> {
  const missing = new Set(expected);
  const consumer = new Kafka({ clientId: 'read-back', brokers: [...bootstrap], logLevel: logLevel.NOTHING }).consumer({ groupId: uniqueName('read-back') });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          missing.delete(message.value?.toString() ?? '');
          if (missing.size === 0) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return [...missing];
}
