// What the smart producer itself costs per record, with Kafka taken out: the same send() calls
// as the client bench (1,000 keyless records, 5 outstanding) against a transport that
// acknowledges every batch on the next turn of the event loop. The figure is deterministic
// enough to compare code changes where msgs/s against a broker on a shared 2-CPU machine is not.
import { MultiClusterProducer, type Message } from '@flotilla/client';
import type { ProducerTransport, TransportFactory, TransportRecord } from '@flotilla/kafka';
import { RECORDS_PER_SEND, SENDS_OUTSTANDING, sendInWindow } from './client-under-test';
import { filledArray } from './throughput-client';
import { median } from './round-stats';
import { oneClusterMapping } from './smart-client';

export interface SmartLayerCost {
  /** Median over the rounds, microseconds of wall time per record on an otherwise idle loop. */
  microsPerRecord: number;
  records: number;
  rounds: number;
}

/** A transport that keeps nothing and acknowledges at once: all that is left is the caller's work. */
function instantTransport(): TransportFactory {
  let offset = 0;
  const producer = (): ProducerTransport => ({
    kind: 'kafkajs',
    connect: async () => undefined,
    disconnect: async () => undefined,
    partitionCount: async () => 3,
    send: (_topic: string, records: readonly TransportRecord[]) =>
      new Promise<number[]>((resolve) => setImmediate(() => resolve(records.map(() => offset++)))),
  });
  return {
    kind: 'kafkajs',
    producer,
    consumer: () => {
      throw new Error('the instant transport only produces');
    },
  };
}

export async function measureSmartLayerCost(payload: Buffer, records = 1_000_000, rounds = 5): Promise<SmartLayerCost> {
  const producer = new MultiClusterProducer({
    clientId: 'bench-smart-layer',
    // Never dialled: the instant transport stands in for the cluster's client.
    mapping: oneClusterMapping(['127.0.0.1:1']),
    transport: instantTransport(),
    buffer: { maxRecords: 4 * RECORDS_PER_SEND * SENDS_OUTSTANDING, maxBytes: 256 * 1024 * 1024, onFull: 'error' },
  });
  await producer.connect();
  const samples: number[] = [];
  try {
    // One unmeasured round: the JIT first.
    for (let round = 0; round <= rounds; round++) {
      const start = process.hrtime.bigint();
      await sendInWindow(records, RECORDS_PER_SEND, SENDS_OUTSTANDING, async (count) => {
        const messages: Message[] = filledArray(count, () => ({ value: payload }));
        await producer.send({ topic: 'instant', messages });
      });
      if (round > 0) samples.push(Number(process.hrtime.bigint() - start) / 1_000 / records);
    }
  } finally {
    await producer.disconnect({ timeoutMs: 1_000 });
  }
  return { microsPerRecord: median(samples), records, rounds };
}
