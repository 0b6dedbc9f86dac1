// What every transactional producer transport promises, on a real cluster, run per
// TransportFactory by transport.int.test.ts: a commit makes records and offsets visible together,
// an abort makes neither visible, to the same library's read_committed consumer.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectAdmin } from '../kafka-admin';
import type { ConsumedBatch, TransactionalProducerTransport, TransportFactory } from './transport';
import type { ContractPlatform } from './transport.contract';

const TIMEOUT_MS = 10_000;

export function transactionalProducerContract(factory: TransportFactory, platform: ContractPlatform): void {
  describe(`the ${factory.kind} transactional producer`, () => {
    const opened: { disconnect(): Promise<void> }[] = [];

    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((client) => client.disconnect()));
    });

    async function createTopic(): Promise<string> {
      const topic = platform.uniqueName(`contract-tx-${factory.kind}`);
      const admin = await connectAdmin({ bootstrap: platform.bootstrap() });
      try {
        await admin.ensureTopic({ topic, partitions: 1, replicationFactor: 1 });
      } finally {
        await admin.close();
      }
      return topic;
    }

    async function transactional(): Promise<TransactionalProducerTransport> {
      const made = factory.transactionalProducer!({
        bootstrap: platform.bootstrap(),
        clientId: 'contract-transactional',
        transactionalId: platform.uniqueName('contract-tx-id'),
        transactionTimeoutMs: 30_000,
        timeoutMs: TIMEOUT_MS,
      });
      opened.push(made);
      await made.connect();
      return made;
    }

    /** Values a new group reads from `topic` until `last` arrives. */
    async function readUntil(topic: string, last: string): Promise<string[]> {
      const reader = factory.consumer({ bootstrap: platform.bootstrap(), clientId: 'contract-tx-reader', groupId: platform.uniqueName('g'), fromBeginning: true });
      opened.push(reader);
      const values: string[] = [];
      await reader.connect();
      await reader.run([topic], async (batch: ConsumedBatch) => void values.push(...batch.records.map((r) => r.value?.toString() ?? '')));
      await vi.waitFor(() => expect(values).toContain(last), { timeout: 30_000, interval: 100 });
      return values;
    }

    async function committed(groupId: string, topic: string): Promise<string | undefined> {
      const admin = await connectAdmin({ bootstrap: platform.bootstrap() });
      try {
        const offset = (await admin.groupOffsets(groupId, topic)).get(0);
        return offset === undefined || offset < 0n ? undefined : offset.toString();
      } finally {
        await admin.close();
      }
    }

    const records = (...values: string[]) => values.map((value) => ({ partition: 0, key: null, value: Buffer.from(value) }));

    it('commits records and a group\'s offsets together; an aborted transaction\'s records and offsets never show', async () => {
      const [topic, input] = [await createTopic(), await createTopic()];
      const groupId = platform.uniqueName('contract-tx-group');
      const producer = await transactional();
      expect(await producer.partitionCount(topic)).toBe(1);

      await producer.begin();
      expect(await producer.send(topic, records('x0', 'x1'))).toEqual([0, 1]);
      await producer.sendOffsets(groupId, [{ topic: input, partition: 0, offset: '7' }]);
      await producer.abort();

      await producer.begin();
      const offsets = await producer.send(topic, records('c0', 'c1'));
      await producer.sendOffsets(groupId, [{ topic: input, partition: 0, offset: '3' }]);
      // The abort is complete once this transaction could add offsets: '7' was dropped, '3' waits for the commit.
      expect(await committed(groupId, input)).toBeUndefined();
      await producer.commit();

      // The aborted records keep their offsets (and the abort marker one more): the committed ones follow.
      expect(offsets[0]).toBeGreaterThan(1);
      expect(await readUntil(topic, 'c1')).toEqual(['c0', 'c1']);
      await vi.waitFor(async () => expect(await committed(groupId, input)).toBe('3'), { timeout: 10_000, interval: 100 });
    });

    it('refuses a topic the cluster does not have', async () => {
      const producer = await transactional();
      await expect(producer.partitionCount(platform.uniqueName('missing'))).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('unknown topic') });
    });
  });
}
