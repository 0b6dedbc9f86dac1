// The smart client (@flotilla/client's MultiClusterProducer / MultiClusterConsumer) as an
// application drives it, over one transport, with a static mapping that sends every topic to
// the benchmark's one cluster.
import { MultiClusterConsumer, MultiClusterProducer, staticMappingSource, type MappingSource, type Message } from '@flotilla/client';
import { transportFor, type TransportKind } from '@flotilla/kafka';
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
import { elapsedSeconds, within, type ConsumeRun } from './throughput-client';

const CLUSTER = 'bench';
/** Room for the whole window of outstanding sends several times over: admission never refuses. */
const BUFFER_RECORDS = 4 * RECORDS_PER_SEND * SENDS_OUTSTANDING;
const BUFFER_BYTES = 256 * 1024 * 1024;

function mapping(bootstrap: readonly string[]): MappingSource {
  return staticMappingSource({
    version: 1,
    clusters: { [CLUSTER]: { bootstrap: [...bootstrap], role: 'fronting', tier: 'medium' } },
    producers: { __default__: { where: [{ sink: CLUSTER }] } },
    consumers: { __default__: [{ vip: CLUSTER }] },
    handoffs: {},
  });
}

export function smartClient(kind: TransportKind): ClientUnderTest {
  const name = `${kind} smart client`;

  async function produce(run: ClientProduceRun): Promise<ProduceSample> {
    const producer = new MultiClusterProducer({
      clientId: `bench-smart-${kind}`,
      mapping: mapping(run.bootstrap),
      transport: transportFor(kind),
      acks: -1,
      lingerMs: LINGER_MS,
      deliveryTimeoutMs: DELIVERY_TIMEOUT_MS,
      buffer: { maxRecords: BUFFER_RECORDS, maxBytes: BUFFER_BYTES, onFull: 'error' },
    });
    try {
      await producer.connect();
      // The cluster's client connects on the first record: before the clock starts, as the peer.
      await producer.send({ topic: run.scratchTopic, messages: [{ value: run.payload }] });
      let acknowledged = 0;
      const start = process.hrtime.bigint();
      await within(
        RUN_TIMEOUT_MS,
        () => `${name} had ${acknowledged} of ${run.records} records acknowledged`,
        sendInWindow(run.records, RECORDS_PER_SEND, SENDS_OUTSTANDING, async (count) => {
          const messages: Message[] = Array.from({ length: count }, () => ({ value: run.payload }));
          acknowledged += (await producer.send({ topic: run.topic, messages })).length;
        }),
      );
      return { records: run.records, seconds: elapsedSeconds(start) };
    } finally {
      await producer.disconnect({ timeoutMs: 10_000 });
    }
  }

  async function consume(run: ConsumeRun): Promise<ConsumeSample> {
    const counter = new ReadCounter(run.records);
    const consumer = new MultiClusterConsumer({ groupId: run.groupId, clientId: `bench-smart-${kind}`, mapping: mapping(run.bootstrap), transport: transportFor(kind) });
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
      `MultiClusterProducer({ transport: transportFor('${kind}'), acks: -1, lingerMs: ${LINGER_MS}, deliveryTimeoutMs: ${DELIVERY_TIMEOUT_MS}, ` +
      `buffer: { maxRecords: ${BUFFER_RECORDS}, maxBytes: ${BUFFER_BYTES / 1024 / 1024} MiB } }), static one-cluster mapping, send({ topic, messages }) of ` +
      `${RECORDS_PER_SEND} keyless records, ${SENDS_OUTSTANDING} calls outstanding; other settings default (maxBatchRecords 1000, maxInFlightRecords 20000, sticky partitioner)`,
    consumerSettings: `MultiClusterConsumer, static one-cluster mapping, subscribe({ fromBeginning: true }), run({ eachBatch }) with autoCommit (one awaited commit per batch)`,
    produce,
    consume,
  };
}
