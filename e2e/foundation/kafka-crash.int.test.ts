// A broker crash (kill -9) loses nothing that Kafka acknowledged with acks=all: after the
// cluster restarts on the same data dirs, every acknowledged record is read back.
import { describe, expect, it } from 'vitest';
import { Kafka, logLevel } from 'kafkajs';
import { missingAfterReadBack, testCluster, uniqueName } from '@flotilla/testing';
import { connectAdmin } from '@flotilla/kafka';

describe('a real cluster killed with SIGKILL', () => {
  it('keeps every acknowledged record across kill -9 and restart', async () => {
    const target = testCluster('fronting-2');
    const topic = uniqueName('crash');
    const admin = await connectAdmin({ bootstrap: target.bootstrap });
    await admin.ensureTopic({ topic, partitions: 4, replicationFactor: 1 });
    await admin.close();

    const kafka = new Kafka({ clientId: 'crash-test', brokers: target.bootstrap, logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 500 } });
    const producer = kafka.producer({ idempotent: true });
    await producer.connect();
    const acknowledged: string[] = [];
    for (let batch = 0; batch < 20; batch++) {
      const values = Array.from({ length: 250 }, (_, i) => `${batch}:${i}`);
      await producer.send({ topic, acks: -1, messages: values.map((value) => ({ value })) });
      acknowledged.push(...values);
    }
    // Records whose send is still in flight at the kill may or may not be stored; only the
    // acknowledged ones are promised.
    const inFlight = producer.send({ topic, acks: -1, messages: [{ value: 'in-flight' }] }).catch(() => undefined);
    await target.control.kill();
    expect(target.control.isRunning()).toBe(false);
    await inFlight;
    await producer.disconnect().catch(() => undefined);

    await target.control.restart();
    expect(target.control.isRunning()).toBe(true);

    const missing = await missingAfterReadBack(target.bootstrap, topic, acknowledged, 90_000);
    expect(missing).toEqual([]);
  });
});
