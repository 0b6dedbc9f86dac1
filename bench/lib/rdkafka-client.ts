// node-rdkafka (librdkafka underneath): `produce()` in a loop that backs off by polling when
// librdkafka's local queue is full, counting delivery reports; batch `consume(n)` on the consumer.
// `rdkafkaClientWithWindow` bounds the records produced and not yet reported, as an application
// awaiting its acknowledgements does (the client bench drives every producer that way), and
// times each record's delivery report at a fixed rate.
import RdKafka, { type DeliveryReport, type LibrdKafkaError } from 'node-rdkafka';
import { sendPaced, type LatencyRun, type LatencySample } from './paced-sends';
import { consumerMeasurement, elapsedSeconds, readClock, startClock, within, type ConsumeRun, type Measurement, type ProduceRun, type ThroughputClient } from './throughput-client';

const LINGER_MS = 5;
/** How often delivery reports are served while records are out: as often as the Flotilla transport does. */
const POLL_INTERVAL_MS = 1;
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

/** Records produced in a row before the window is checked: one `send()` call's worth elsewhere. */
const CHUNK = 1_000;

/** `window`: at most this many records produced and not yet reported; unbounded when undefined. */
function idempotentProducer(bootstrap: readonly string[]): Promise<RdKafka.Producer> {
  return connected(
    new RdKafka.Producer(
      {
        'bootstrap.servers': bootstrap.join(','),
        'client.id': 'bench-rdkafka',
        'enable.idempotence': true,
        'linger.ms': LINGER_MS,
        dr_cb: true,
      },
      // acks is a topic-level setting in librdkafka; idempotence requires it to be all (-1).
      { acks: -1 },
    ),
  );
}

async function produce(run: ProduceRun, window?: number): Promise<Measurement> {
  const producer = await idempotentProducer(run.bootstrap);
  try {
    let delivered = 0;
    let failure: Error | undefined;
    let allDelivered: () => void = () => {};
    const done = new Promise<void>((resolve) => (allDelivered = resolve));
    /** Wakes the producing loop once the window has room for the next chunk. */
    let room: { below: number; wake: () => void } | undefined;
    producer.on('delivery-report', (error) => {
      if (error) failure ??= new Error(`node-rdkafka delivery failed: ${error.message}`);
      if (++delivered === run.records) allDelivered();
      if (room && (delivered >= room.below || failure)) {
        room.wake();
        room = undefined;
      }
    });
    producer.on('event.error', (error) => (failure ??= new Error(`node-rdkafka error: ${error.message}`)));
    // Reports are served only when polled: while records are out, as the Flotilla transport does
    // (the unbounded loop polls by itself when the queue is full and at the end).
    const poller = window === undefined && !run.prime ? undefined : setInterval(() => producer.poll(), POLL_INTERVAL_MS);
    const prime = async (): Promise<number> => {
      const priming = process.hrtime.bigint();
      const primed = new Promise<void>((resolve, reject) =>
        producer.once('delivery-report', (error) => (error ? reject(new Error(`node-rdkafka priming record failed: ${error.message}`)) : resolve())),
      );
      producer.produce(run.topic, null, run.payload);
      await within(TIMEOUT_MS, () => 'node-rdkafka priming record not delivered', primed);
      delivered = 0;
      return elapsedSeconds(priming);
    };
    const produceAll = async (): Promise<void> => {
      for (let i = 0; i < run.records; ) {
        if (window !== undefined && i % CHUNK === 0 && i - delivered > window - CHUNK) {
          // Wait for reports until the next chunk fits: at most `window` records outstanding.
          const below = i - (window - CHUNK);
          await new Promise<void>((wake) => (room = { below, wake }));
          if (failure) throw failure;
        }
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
        await Promise.race([done, new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS))]);
      }
      if (failure) throw failure;
    };
    let primedSeconds: number | undefined;
    let timed: ReturnType<typeof readClock>;
    try {
      if (run.prime) primedSeconds = await prime();
      const clock = startClock();
      await within(TIMEOUT_MS, () => `node-rdkafka had ${delivered} of ${run.records} records delivered`, produceAll());
      timed = readClock(clock);
    } finally {
      clearInterval(poller);
    }
    return { records: run.records, bytes: run.records * run.payload.length, ...timed, ...(primedSeconds === undefined ? {} : { primedSeconds }) };
  } finally {
    await disconnected(producer);
  }
}

/** Settles a record's promise from its delivery report: the opaque each produce() call carries. */
type Settle = (error: LibrdKafkaError | null) => void;

async function ackLatency(run: LatencyRun): Promise<LatencySample> {
  const producer = await idempotentProducer(run.bootstrap);
  producer.on('delivery-report', (error: LibrdKafkaError | null, report: DeliveryReport) => (report.opaque as Settle)(error));
  const produced = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const settle: Settle = (error) => (error ? reject(new Error(`node-rdkafka delivery failed: ${error.message}`)) : resolve());
      producer.produce(run.topic, null, run.payload, null, null, settle);
    });
  // Delivery reports reach JS only when polled: as often as the throughput run and the transport poll.
  const poller = setInterval(() => producer.poll(), POLL_INTERVAL_MS);
  try {
    // Connects to the partition leaders and loads the topic's metadata before the first timed record.
    await within(TIMEOUT_MS, () => 'node-rdkafka priming record not delivered', produced());
    return await sendPaced(run.records, run.ratePerSecond, produced);
  } finally {
    clearInterval(poller);
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

const PRODUCER_SETTINGS = `enable.idempotence true, acks all, linger.ms ${LINGER_MS}, other librdkafka defaults (batch.size 1 MB, batch.num.messages 10000, queue.buffering.max.messages 100000, sticky partitioning for keyless records), produce() loop that polls and yields on QUEUE_FULL, dr_cb delivery reports counted`;
const CONSUMER_SETTINGS = `consume(${CONSUME_BATCH}) in a loop, librdkafka defaults (fetch.message.max.bytes 1 MiB, queued.min.messages 100000), enable.auto.commit true`;

export const rdkafkaClient: ThroughputClient = {
  name: 'node-rdkafka',
  producerSettings: PRODUCER_SETTINGS,
  consumerSettings: CONSUMER_SETTINGS,
  produce: (run) => produce(run),
  consume,
};

/** node-rdkafka with at most `window` records produced and not yet acknowledged at any time. */
export function rdkafkaClientWithWindow(window: number): ThroughputClient {
  return {
    name: 'node-rdkafka',
    producerSettings: `${PRODUCER_SETTINGS}; at most ${window.toLocaleString('en-US')} records produced and not yet reported (chunks of ${CHUNK}), polled every ${POLL_INTERVAL_MS} ms`,
    consumerSettings: CONSUMER_SETTINGS,
    produce: (run) => produce(run, window),
    consume,
    ackLatency,
  };
}
