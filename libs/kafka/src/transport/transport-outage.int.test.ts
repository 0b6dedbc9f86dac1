// Both transports through a real cluster outage (kill -9, then restart on the same data): sends
// fail fast and retryable while it is down, and producing and consuming resume by themselves.
import { describe, expect, it, vi } from 'vitest';
import { FlotillaError } from '@flotilla/errors';
import { retry } from '@flotilla/retry';
import { testCluster, uniqueName } from '@flotilla/testing';
import { connectAdmin } from '../kafka-admin';
import { kafkajsTransport } from './kafkajs-transport';
import { rdkafkaTransport } from './rdkafka-transport';
import type { ConsumedRecord, TransportRecord } from './transport';

const DELIVERY_TIMEOUT_MS = 3_000;
/** Reading resumes once the restarted coordinator let the group rejoin (up to a session timeout). */
const RESUME_WITHIN = { timeout: 45_000, interval: 50 };
const factories = [kafkajsTransport, rdkafkaTransport];

describe('a cluster outage', () => {
  it('fails sends as retryable within the delivery timeout, and both transports resume after it', async () => {
    const cluster = testCluster('fronting-2');
    const topic = uniqueName('outage');
    const admin = await connectAdmin({ bootstrap: cluster.bootstrap });
    await admin.ensureTopic({ topic, partitions: 2, replicationFactor: 1 });
    await admin.close();

    const lanes = factories.map((factory) => ({
      kind: factory.kind,
      producer: factory.producer({ bootstrap: cluster.bootstrap, clientId: 'outage', acks: -1, deliveryTimeoutMs: DELIVERY_TIMEOUT_MS }),
      // kafkajs rejoins as a new member after its consumer crashed in the outage, and the restarted
      // coordinator waits out the old member's session first: keep that wait short here.
      consumer: factory.consumer({ bootstrap: cluster.bootstrap, clientId: 'outage', groupId: uniqueName(`outage-${factory.kind}`), fromBeginning: true, sessionTimeoutMs: 10_000 }),
      received: [] as ConsumedRecord[],
    }));
    const value = (kind: string, phase: string): TransportRecord => ({ partition: phase === 'before' ? 0 : 1, key: null, value: Buffer.from(`${kind}:${phase}`) });
    const values = (records: ConsumedRecord[]): string[] => records.map((r) => r.value?.toString() ?? '');
    try {
      for (const lane of lanes) {
        await lane.consumer.run([topic], async (batch) => void lane.received.push(...batch.records));
        await lane.producer.send(topic, [value(lane.kind, 'before')]);
      }
      await vi.waitFor(() => {
        for (const lane of lanes) expect(lane.received.length, lane.kind).toBeGreaterThanOrEqual(2);
      }, RESUME_WITHIN);

      await cluster.control.kill();
      try {
        await Promise.all(
          lanes.map(async (lane) => {
            const started = Date.now();
            const error = await lane.producer.send(topic, [value(lane.kind, 'during')]).catch((e: unknown) => e);
            expect(error, lane.kind).toBeInstanceOf(FlotillaError);
            expect((error as FlotillaError).retryable, lane.kind).toBe(true);
            expect(Date.now() - started, lane.kind).toBeLessThan(DELIVERY_TIMEOUT_MS + 2_500);
          }),
        );
      } finally {
        await cluster.control.restart();
      }

      await Promise.all(lanes.map((lane) => sendUntilAccepted(() => lane.producer.send(topic, [value(lane.kind, 'after')]))));
      await vi.waitFor(() => {
        for (const lane of lanes) expect(values(lane.received), lane.kind).toEqual(expect.arrayContaining(lanes.map((other) => `${other.kind}:after`)));
      }, RESUME_WITHIN);
    } finally {
      await Promise.allSettled(lanes.flatMap((lane) => [lane.producer.disconnect(), lane.consumer.disconnect()]));
    }
  });
});

/** The cluster may take a moment after restart to accept writes; a retryable failure is retried. */
async function sendUntilAccepted(send: () => Promise<unknown>): Promise<void> {
  await retry(send, {
    backoff: { initialMs: 100, maxMs: 1_000 },
    retryIf: (error) => error instanceof FlotillaError && error.retryable,
    deadline: Date.now() + 30_000,
  });
}
