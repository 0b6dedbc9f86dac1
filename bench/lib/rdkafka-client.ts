// node-rdkafka (librdkafka underneath): `produce()` in a loop that backs off by polling when
// librdkafka's local queue is full, counting delivery reports; batch `consume(n)` on the consumer.
import RdKafka, { type LibrdKafkaError } from 'node-rdkafka';
import { consumerMeasurement, elapsedSeconds, within, type ConsumeRun, type Measurement, type ProduceRun, type ThroughputClient } from './throughput-client';

const LINGER_MS = 5;
/** Records per `consume(n)` call; librdkafka prefetches in the background regardless. */
const CONSUME_BATCH = 1_000;
const TIMEOUT_MS = 180_000;
const QUEUE_FULL = RdKafka.CODES.ERRORS.ERR__QUEUE_FULL;

function isLibrdKafkaError(error: unknown): error is LibrdKafkaError {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'number';
}

function connected<T extends RdKafka.Producer | RdKafka.KafkaConsumer>(client: T): Promise<T> {
  return new Promise((resolve, reject) => {
    client.connect({ timeout: 10_000 }, (error) => (error ? reject(new Error(`node-rdkafka could not connect: ${error.message}`)) : resolve(client)));
  });
}

function disconnected(client: RdKafka.Producer | RdKafka.KafkaConsumer): Promise<void> {
  return new Promise((resolve) => client.disconnect(() => resolve()));
}

/** Yields to the event loop so delivery reports (dispatched through libuv) reach JS. */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

async function produce(run: ProduceRun): Promise<Measurement> {
  const producer = await connected(
    new RdKafka.Producer(
      {
        'bootstrap.servers': run.bootstrap.join(','),
        'client.id': 'bench-rdkafka',
        'enable.idempotence': true,
        'linger.ms': LINGER_MS,
        dr_cb: true,
      },
      // acks is a topic-level setting in librdkafka; idempotence requires it to be all (-1).
      { acks: -1 },
    ),
  );
  try {
    let delivered = 0;
    let failure: Error | undefined;
    let allDelivered: () => void = () => {};
    const done = new Promise<void>((resolve) => (allDelivered = resolve));
    producer.on('delivery-report', (error) => {
      if (error) failure ??= new Error(`node-rdkafka delivery failed: ${error.message}`);
      if (++delivered === run.records) allDelivered();
    });
    producer.on('event.error', (error) => (failure ??= new Error(`node-rdkafka error: ${error.message}`)));
    const start = process.hrtime.bigint();
    const produceAll = async (): Promise<void> => {
      for (let i = 0; i < run.records; ) {
        try {
          producer.produce(run.topic, null, run.payload);
          i++;
        } catch (error) {
          if (!isLibrdKafkaError(error) || error.code !== QUEUE_FULL) throw error;
          // The queue frees only as delivery reports are served: poll, then let them run.
          producer.poll();
          await nextTurn();
        }
        if (failure) throw failure;
      }
      while (delivered < run.records && !failure) {
        producer.poll();
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 5))]);
      }
      if (failure) throw failure;
    };
    await within(TIMEOUT_MS, () => `node-rdkafka had ${delivered} of ${run.records} records delivered`, produceAll());
    const seconds = elapsedSeconds(start);
    return { records: run.records, bytes: run.records * run.payload.length, seconds };
  } finally {
    await disconnected(producer);
  }
}

async function consume(run: ConsumeRun): Promise<Measurement> {
  const consumer = await connected(
    new RdKafka.KafkaConsumer(
      {
        'bootstrap.servers': run.bootstrap.join(','),
        'client.id': 'bench-rdkafka',
        'group.id': run.groupId,
        'enable.auto.commit': true,
        // node-rdkafka's own assign/unassign handler, which also emits 'rebalance'.
        rebalance_cb: true,
      },
      { 'auto.offset.reset': 'earliest' },
    ),
  );
  let seen = 0;
  let bytes = 0;
  let assigned: bigint | undefined;
  let first: bigint | undefined;
  let last: bigint | undefined;
  consumer.on('rebalance', (error) => {
    if (error.code === RdKafka.CODES.ERRORS.ERR__ASSIGN_PARTITIONS) assigned ??= process.hrtime.bigint();
  });
  try {
    consumer.subscribe([run.topic]);
    const done = new Promise<void>((resolve, reject) => {
      const next = (): void => {
        // Never ask for more than remain: a short final batch would wait out the consume timeout.
        consumer.consume(Math.min(CONSUME_BATCH, run.records - seen), (error, messages) => {
          if (error) {
            reject(new Error(`node-rdkafka consume failed: ${error.message}`));
            return;
          }
          if (messages.length > 0) {
            first ??= process.hrtime.bigint();
            for (const message of messages) bytes += message.value?.length ?? 0;
            seen += messages.length;
          }
          if (seen >= run.records) {
            last = process.hrtime.bigint();
            resolve();
          } else next();
        });
      };
      next();
    });
    await within(TIMEOUT_MS, () => `node-rdkafka read ${seen} of ${run.records} records`, done);
  } finally {
    await disconnected(consumer);
  }
  return consumerMeasurement('node-rdkafka', run, { records: seen, bytes, assigned, first, last });
}

export const rdkafkaClient: ThroughputClient = {
  name: 'node-rdkafka',
  producerSettings: `enable.idempotence true, acks all, linger.ms ${LINGER_MS}, other librdkafka defaults (batch.size 1 MB, batch.num.messages 10000, queue.buffering.max.messages 100000, sticky partitioning for keyless records), produce() loop that polls and yields on QUEUE_FULL, dr_cb delivery reports counted`,
  consumerSettings: `consume(${CONSUME_BATCH}) in a loop, librdkafka defaults (fetch.message.max.bytes 1 MiB, queued.min.messages 100000), enable.auto.commit true`,
  produce,
  consume,
};
