// @platformatic/kafka: batched `send()` on an idempotent producer and the consumer's message
// stream. For an idempotent producer the library stamps a batch's sequence number when it builds
// the request but advances it only when the response arrives, so two `send()` calls in flight
// reuse sequence numbers and the broker rejects the second (OUT_OF_ORDER_SEQUENCE_NUMBER, seen
// with 1.35): sends go one after another, as the library's own producer stream does.
import { Consumer, MessagesStreamModes, ProduceAcks, Producer, type MessageToProduce } from '@platformatic/kafka';
import { consumerMeasurement, elapsedSeconds, filledArray, within, type ConsumeRun, type Measurement, type ProduceRun, type ThroughputClient } from './throughput-client';

const RECORDS_PER_SEND = 1_000;
const MAX_BYTES_PER_PARTITION = 1024 * 1024;
const TIMEOUT_MS = 180_000;

async function produce(run: ProduceRun): Promise<Measurement> {
  const producer = new Producer({
    clientId: 'bench-platformatic',
    bootstrapBrokers: [...run.bootstrap],
    idempotent: true,
    acks: ProduceAcks.ALL,
  });
  try {
    let sent = 0;
    const sendAll = async (): Promise<void> => {
      while (sent < run.records) {
        const count = Math.min(RECORDS_PER_SEND, run.records - sent);
        const messages: MessageToProduce[] = filledArray(count, () => ({ topic: run.topic, value: run.payload }));
        await producer.send({ messages });
        sent += count;
      }
    };
    const start = process.hrtime.bigint();
    await within(TIMEOUT_MS, () => `@platformatic/kafka had ${sent} of ${run.records} records acknowledged`, sendAll());
    const seconds = elapsedSeconds(start);
    return { records: run.records, bytes: run.records * run.payload.length, seconds };
  } finally {
    await producer.close();
  }
}

async function consume(run: ConsumeRun): Promise<Measurement> {
  const consumer = new Consumer({
    clientId: 'bench-platformatic',
    bootstrapBrokers: [...run.bootstrap],
    groupId: run.groupId,
    maxBytesPerPartition: MAX_BYTES_PER_PARTITION,
  });
  let seen = 0;
  let bytes = 0;
  let assigned: bigint | undefined;
  let first: bigint | undefined;
  let last: bigint | undefined;
  consumer.on('consumer:group:join', () => (assigned ??= process.hrtime.bigint()));
  try {
    const stream = await consumer.consume({ topics: [run.topic], mode: MessagesStreamModes.EARLIEST });
    const done = new Promise<void>((resolve, reject) => {
      stream.on('error', reject);
      stream.on('data', (message) => {
        first ??= process.hrtime.bigint();
        bytes += message.value.length;
        if (++seen === run.records) {
          last = process.hrtime.bigint();
          resolve();
        }
      });
    });
    try {
      await within(TIMEOUT_MS, () => `@platformatic/kafka read ${seen} of ${run.records} records`, done);
    } finally {
      await stream.close();
    }
  } finally {
    await consumer.close(true);
  }
  return consumerMeasurement('@platformatic/kafka', run, { records: seen, bytes, assigned, first, last });
}

export const platformaticClient: ThroughputClient = {
  name: '@platformatic/kafka',
  producerSettings: `idempotent: true (the library then forces acks -1 and maxInflights 1), ${RECORDS_PER_SEND} records per send(), one send() at a time (concurrent sends on an idempotent producer fail with OUT_OF_ORDER_SEQUENCE_NUMBER), round-robin partitioning, no compression`,
  consumerSettings: `consume() stream in flowing mode ('data' events), mode earliest, maxBytesPerPartition ${MAX_BYTES_PER_PARTITION / 1024} KiB, other defaults (maxBytes 10 MiB, highWaterMark 1024, autocommit on)`,
  produce,
  consume,
};
