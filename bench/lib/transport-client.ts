// The transport the smart client wraps (@flotilla/kafka's ProducerTransport / ConsumerTransport),
// used directly with the smart client's settings: the peer that shows what the smart layer costs.
// It does by hand what the smart client does for keyless records: one partition per send() call,
// a different one for the next (round-robin here; the smart client's sticky partitioner picks at
// random among the others), and on the consumer one awaited commit per batch.
import { transportFor, type TransportKind, type TransportRecord } from '@flotilla/kafka';
import {
  DELIVERY_TIMEOUT_MS,
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
import { elapsedSeconds, filledArray, readClock, startClock, within, type ConsumeRun } from './throughput-client';

export function transportClient(kind: TransportKind): ClientUnderTest {
  const name = `${kind} transport`;
  const factory = transportFor(kind);

  async function produce(run: ClientProduceRun): Promise<ProduceSample> {
    const producer = factory.producer({ bootstrap: run.bootstrap, clientId: `bench-transport-${kind}`, acks: -1, deliveryTimeoutMs: DELIVERY_TIMEOUT_MS });
    try {
      await producer.connect();
      const priming = process.hrtime.bigint();
      await producer.send(run.topic, [{ partition: 0, key: null, value: run.payload }]);
      const primed = { seconds: elapsedSeconds(priming) };
      let acknowledged = 0;
      const clock = startClock();
      await within(
        RUN_TIMEOUT_MS,
        () => `${name} had ${acknowledged} of ${run.records} records acknowledged`,
        sendInWindow(run.records, RECORDS_PER_SEND, SENDS_OUTSTANDING, async (count, index) => {
          const partition = index % run.partitions;
          const records: TransportRecord[] = filledArray(count, () => ({ partition, key: null, value: run.payload }));
          acknowledged += (await producer.send(run.topic, records)).length;
        }),
      );
      return { records: run.records, ...readClock(clock), primed };
    } finally {
      await producer.disconnect();
    }
  }

  async function consume(run: ConsumeRun): Promise<ConsumeSample> {
    const counter = new ReadCounter(run.records);
    const consumer = factory.consumer({ bootstrap: run.bootstrap, clientId: `bench-transport-${kind}`, groupId: run.groupId, fromBeginning: true });
    try {
      await consumer.connect();
      await consumer.run([run.topic], async (batch) => {
        counter.add(batch.records.length);
        const last = batch.records[batch.records.length - 1];
        if (last) await consumer.commit([{ topic: batch.topic, partition: batch.partition, offset: (BigInt(last.offset) + 1n).toString() }]);
      });
      counter.assigned();
      await within(RUN_TIMEOUT_MS, () => `${name} read ${counter.progress()}`, counter.done);
    } finally {
      await consumer.disconnect();
    }
    return counter.sample(name);
  }

  return {
    name,
    producerSettings: `transportFor('${kind}').producer({ acks: -1, deliveryTimeoutMs: ${DELIVERY_TIMEOUT_MS} }) (a transport does not linger: it sends each call as handed over), send(topic, records) of ${RECORDS_PER_SEND} records with an explicit partition per call (round-robin), ${SENDS_OUTSTANDING} calls outstanding, one record sent and acknowledged before the clock starts`,
    consumerSettings: `transportFor('${kind}').consumer({ fromBeginning: true }), run([topic], onBatch) with one awaited commit(lastOffset + 1) per batch`,
    produce,
    consume,
  };
}
