// The smart client (@flotilla/client's MultiClusterProducer / MultiClusterConsumer) as an
// application drives it, over one transport, with a static mapping that sends every topic to
// the benchmark's one cluster.
import { MultiClusterConsumer, MultiClusterProducer, staticMappingSource, type MappingSource, type Message } from '@flotilla/client';
import { transportFor, type TransportFactory, type TransportKind } from '@flotilla/kafka';
import {
  DELIVERY_TIMEOUT_MS,
  LINGER_MS,
  ReadCounter,
  RECORDS_PER_SEND,
  RUN_TIMEOUT_MS,
  SENDS_OUTSTANDING,
  sendInWindow,
  type ClientProduceRun,
  type ClientUnderTest,
  type ConsumeSample,
  type ProduceSample,
} from './client-under-test';
import { sendPaced, type LatencyRun, type LatencySample } from './paced-sends';
import { elapsedSeconds, filledArray, readClock, startClock, within, type ConsumeRun } from './throughput-client';

const CLUSTER = 'bench';
/** Room for the whole window of outstanding sends several times over: admission never refuses. */
const BUFFER_RECORDS = 4 * RECORDS_PER_SEND * SENDS_OUTSTANDING;
const BUFFER_BYTES = 256 * 1024 * 1024;

/** A static mapping that sends and reads every topic on one cluster. */
export function oneClusterMapping(bootstrap: readonly string[]): MappingSource {
  return staticMappingSource({
    version: 1,
    clusters: { [CLUSTER]: { bootstrap: [...bootstrap], role: 'fronting', tier: 'medium' } },
    producers: { __default__: { where: [{ sink: CLUSTER }] } },
    consumers: { __default__: [{ vip: CLUSTER }] },
    handoffs: {},
  });
}

/**
 * The smart consumer's run() resolves before its cluster's group has assigned partitions; its
 * transport's run() resolves after. Noticing the latter times both consumers from the same
 * instant. Only run() is replaced, so nothing on the path of a record changes.
 */
function noticingAssignment(factory: TransportFactory, assigned: () => void): TransportFactory {
  return {
    kind: factory.kind,
    producer: (options) => factory.producer(options),
    consumer: (options) => {
      const consumer = factory.consumer(options);
      const run = consumer.run.bind(consumer);
      consumer.run = async (topics, onBatch) => {
        await run(topics, onBatch);
        if (topics.length > 0) assigned();
      };
      return consumer;
    },
  };
}

export function smartClient(kind: TransportKind): ClientUnderTest {
  const name = `${kind} smart client`;

  const newProducer = (bootstrap: readonly string[]): MultiClusterProducer =>
    new MultiClusterProducer({
      clientId: `bench-smart-${kind}`,
      mapping: oneClusterMapping(bootstrap),
      transport: transportFor(kind),
      acks: -1,
      lingerMs: LINGER_MS[kind],
      deliveryTimeoutMs: DELIVERY_TIMEOUT_MS,
      buffer: { maxRecords: BUFFER_RECORDS, maxBytes: BUFFER_BYTES, onFull: 'error' },
    });

  async function produce(run: ClientProduceRun): Promise<ProduceSample> {
    const producer = newProducer(run.bootstrap);
    try {
      await producer.connect();
      // The cluster's client connects, and the topic's partition count is looked up, on the
      // first record: before the clock starts, as for the peer.
      const priming = process.hrtime.bigint();
      await producer.send({ topic: run.topic, messages: [{ value: run.payload }] });
      const primed = { seconds: elapsedSeconds(priming) };
      let acknowledged = 0;
      const clock = startClock();
      await within(
        RUN_TIMEOUT_MS,
        () => `${name} had ${acknowledged} of ${run.records} records acknowledged`,
        sendInWindow(run.records, RECORDS_PER_SEND, SENDS_OUTSTANDING, async (count) => {
          const messages: Message[] = filledArray(count, () => ({ value: run.payload }));
          await producer.send({ topic: run.topic, messages });
          acknowledged += count;
        }),
      );
      return { records: run.records, ...readClock(clock), primed };
    } finally {
      await producer.disconnect({ timeoutMs: 10_000 });
    }
  }

  async function ackLatency(run: LatencyRun): Promise<LatencySample> {
    const producer = newProducer(run.bootstrap);
    try {
      await producer.connect();
      // Connects the cluster's client and looks up the topic's partition count before the first timed record.
      await producer.send({ topic: run.topic, messages: [{ value: run.payload }] });
      return await sendPaced(run.records, run.ratePerSecond, () => producer.send({ topic: run.topic, messages: [{ value: run.payload }] }));
    } finally {
      await producer.disconnect({ timeoutMs: 10_000 });
    }
  }

  async function consume(run: ConsumeRun): Promise<ConsumeSample> {
    const counter = new ReadCounter(run.records);
    const consumer = new MultiClusterConsumer({
      groupId: run.groupId,
      clientId: `bench-smart-${kind}`,
      mapping: oneClusterMapping(run.bootstrap),
      transport: noticingAssignment(transportFor(kind), () => counter.assigned()),
    });
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: run.topic, fromBeginning: true });
      // autoCommit (the default): the consumer commits after each batch the handler finished.
      await consumer.run({ eachBatch: async ({ batch }) => counter.add(batch.messages.length) });
      await within(RUN_TIMEOUT_MS, () => `${name} read ${counter.progress()}`, counter.done);
    } finally {
      await consumer.disconnect();
    }
    return counter.sample(name);
  }

  return {
    name,
    producerSettings:
      `MultiClusterProducer({ transport: transportFor('${kind}'), acks: -1, lingerMs: ${LINGER_MS[kind]}, deliveryTimeoutMs: ${DELIVERY_TIMEOUT_MS}, ` +
      `buffer: { maxRecords: ${BUFFER_RECORDS}, maxBytes: ${BUFFER_BYTES / 1024 / 1024} MiB } }), static one-cluster mapping, send({ topic, messages }) of ` +
      `${RECORDS_PER_SEND} keyless records, ${SENDS_OUTSTANDING} calls outstanding, one record sent and acknowledged before the clock starts; other settings default`,
    consumerSettings: `MultiClusterConsumer, static one-cluster mapping, subscribe({ fromBeginning: true }), run({ eachBatch }) with autoCommit (one awaited commit per batch)`,
    produce,
    consume,
    ackLatency,
  };
}
