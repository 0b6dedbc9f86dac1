// kafkajs as an application would use it for bulk traffic: batched `send` calls with several
// in flight on an idempotent producer, and `eachBatch` on the consumer; for acknowledgement
// latency, the same producer with one record per `send` call.
import { Kafka, Partitioners, logLevel, type Message, type Producer } from 'kafkajs';
import { sendPaced, type LatencyRun, type LatencySample } from './paced-sends';
import { consumerMeasurement, elapsedSeconds, filledArray, readClock, startClock, within, type ConsumeRun, type Measurement, type ProduceRun, type ThroughputClient } from './throughput-client';

const RECORDS_PER_SEND = 1_000;
/** Sends in flight at once; kafkajs queues requests beyond maxInFlightRequests per connection. */
const SENDS_IN_FLIGHT = 5;
const MAX_IN_FLIGHT_REQUESTS = 5;
const MAX_BYTES_PER_PARTITION = 1024 * 1024;
const TIMEOUT_MS = 180_000;

function kafka(bootstrap: readonly string[]): Kafka {
  return new Kafka({ clientId: 'bench-kafkajs', brokers: [...bootstrap], logLevel: logLevel.NOTHING });
}

function idempotentProducer(bootstrap: readonly string[]): Producer {
  return kafka(bootstrap).producer({
    idempotent: true,
    maxInFlightRequests: MAX_IN_FLIGHT_REQUESTS,
    createPartitioner: Partitioners.DefaultPartitioner,
  });
}

async function produce(run: ProduceRun): Promise<Measurement> {
  const producer = idempotentProducer(run.bootstrap);
  await producer.connect();
  try {
    let claimed = 0;
    // Each lane claims the next slice before awaiting, so SENDS_IN_FLIGHT sends are always
    // outstanding and the slices together cover exactly run.records.
    const lane = async (): Promise<void> => {
      while (claimed < run.records) {
        const count = Math.min(RECORDS_PER_SEND, run.records - claimed);
        claimed += count;
        const messages: Message[] = filledArray(count, () => ({ value: run.payload }));
        await producer.send({ topic: run.topic, acks: -1, messages });
      }
    };
    const priming = process.hrtime.bigint();
    if (run.prime) await producer.send({ topic: run.topic, acks: -1, messages: [{ value: run.payload }] });
    const primedSeconds = run.prime ? elapsedSeconds(priming) : undefined;
    const clock = startClock();
    await within(
      TIMEOUT_MS,
      () => `kafkajs did not finish producing ${run.records} records`,
      Promise.all(Array.from({ length: SENDS_IN_FLIGHT }, lane)),
    );
    return { records: run.records, bytes: run.records * run.payload.length, ...readClock(clock), ...(primedSeconds === undefined ? {} : { primedSeconds }) };
  } finally {
    await producer.disconnect();
  }
}

async function ackLatency(run: LatencyRun): Promise<LatencySample> {
  const producer = idempotentProducer(run.bootstrap);
  await producer.connect();
  try {
    // Connects to the partition leaders and loads the topic's metadata before the first timed record.
    await producer.send({ topic: run.topic, acks: -1, messages: [{ value: run.payload }] });
    return await sendPaced(run.records, run.ratePerSecond, () => producer.send({ topic: run.topic, acks: -1, messages: [{ value: run.payload }] }));
  } finally {
    await producer.disconnect();
  }
}

async function consume(run: ConsumeRun): Promise<Measurement> {
  const consumer = kafka(run.bootstrap).consumer({ groupId: run.groupId, maxBytesPerPartition: MAX_BYTES_PER_PARTITION });
  let seen = 0;
  let bytes = 0;
  let assigned: bigint | undefined;
  let first: bigint | undefined;
  let last: bigint | undefined;
  consumer.on(consumer.events.GROUP_JOIN, () => (assigned ??= process.hrtime.bigint()));
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [run.topic], fromBeginning: true });
    const done = new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            first ??= process.hrtime.bigint();
            for (const message of batch.messages) bytes += message.value?.length ?? 0;
            seen += batch.messages.length;
            if (seen >= run.records && last === undefined) {
              last = process.hrtime.bigint();
              resolve();
            }
          },
        })
        .catch(reject);
    });
    await within(TIMEOUT_MS, () => `kafkajs read ${seen} of ${run.records} records`, done);
  } finally {
    await consumer.disconnect();
  }
  return consumerMeasurement('kafkajs', run, { records: seen, bytes, assigned, first, last });
}

export const kafkajsClient: ThroughputClient = {
  name: 'kafkajs',
  producerSettings: `idempotent: true, acks -1, maxInFlightRequests ${MAX_IN_FLIGHT_REQUESTS}, ${RECORDS_PER_SEND} records per send(), ${SENDS_IN_FLIGHT} send() calls in flight, DefaultPartitioner, no compression`,
  consumerSettings: `eachBatch, maxBytesPerPartition ${MAX_BYTES_PER_PARTITION / 1024} KiB, other settings default (maxBytes 10 MiB, minBytes 1, autoCommit on)`,
  produce,
  consume,
  ackLatency,
};
