// The router bench's records and its own Kafka traffic (kafkajs, outside anything measured):
// JSON values of an exact size that a filter can test (`{"seq":n,"even":bool,"pad":"…"}`),
// filling a source topic, paced records carrying their send instant for end-to-end latency, the
// sum of a topic's end offsets, and reading a destination's latencies back.
import { setTimeout as sleep } from 'node:timers/promises';
import { Kafka, logLevel, type Admin, type Message } from 'kafkajs';
import RdKafka from 'node-rdkafka';

/** Header of a paced record: the wall-clock instant (ms) it was handed to the producer. */
export const SENT_AT_HEADER = 'bench.sent-at';

const RECORDS_PER_SEND = 1_000;
const SENDS_IN_FLIGHT = 5;

export function benchKafka(bootstrap: readonly string[], clientId: string): Kafka {
  return new Kafka({ clientId, brokers: [...bootstrap], logLevel: logLevel.NOTHING });
}

/** `{"seq":n,"even":…,"pad":"xxx…"}` of exactly `size` bytes (ASCII), seq even ⇔ even true. */
export function jsonValue(seq: number, size: number): Buffer {
  const bare = `{"seq":${seq},"even":${seq % 2 === 0},"pad":""}`;
  const pad = size - bare.length;
  if (pad < 0) throw new Error(`a record of ${size} B cannot hold ${bare}`);
  return Buffer.from(`{"seq":${seq},"even":${seq % 2 === 0},"pad":"${'x'.repeat(pad)}"}`);
}

/** Records `from` … `from + count − 1` whose seq is even: what a filter on `value.even` lets through. */
export function evenCount(from: number, count: number): number {
  return Math.floor((from + count + 1) / 2) - Math.floor((from + 1) / 2);
}

/** Writes `records` values (seq 0 …) round-robin over the partitions, acks=all, several sends in flight. */
export async function fillTopic(bootstrap: readonly string[], topic: string, records: number, size: number, partitions: number): Promise<void> {
  const producer = benchKafka(bootstrap, 'bench-router-fill').producer({ idempotent: true, maxInFlightRequests: 5 });
  await producer.connect();
  try {
    let claimed = 0;
    const lane = async (): Promise<void> => {
      while (claimed < records) {
        const from = claimed;
        const count = Math.min(RECORDS_PER_SEND, records - claimed);
        claimed += count;
        const messages: Message[] = Array.from({ length: count }, (_, i) => ({ value: jsonValue(from + i, size), partition: (from + i) % partitions }));
        await producer.send({ topic, acks: -1, messages });
      }
    };
    await Promise.all(Array.from({ length: SENDS_IN_FLIGHT }, lane));
  } finally {
    await producer.disconnect();
  }
}

/** Σ end offsets of `topic`'s partitions (every topic here starts at offset 0 and is never compacted). */
export async function endOffsetSum(admin: Admin, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets.reduce((sum, { high }) => sum + Number(high), 0);
}

export interface PacedRun {
  bootstrap: readonly string[];
  topic: string;
  size: number;
  partitions: number;
  /** seq of the first record. */
  firstSeq: number;
  records: number;
  ratePerSecond: number;
}

/** Delivery reports are served this often; the producer batches for at most LINGER_MS. */
const POLL_INTERVAL_MS = 1;
const LINGER_MS = 1;

/**
 * Open loop: record i is due at start + i / rate and is produced when due (those due within the
 * same timer tick together), whatever earlier deliveries are doing; each carries its send instant
 * in a header. node-rdkafka (acks=all, idempotent, linger 1 ms): its batching happens on its own
 * threads, so the pacing holds at tens of thousands of records per second where one kafkajs send
 * per tick does not. Returns how far the latest record fell behind its due instant (ms).
 */
export async function sendPaced(run: PacedRun): Promise<{ maxLagMs: number }> {
  const producer = new RdKafka.Producer(
    { 'bootstrap.servers': run.bootstrap.join(','), 'client.id': 'bench-router-paced', 'enable.idempotence': true, 'linger.ms': LINGER_MS, 'queue.buffering.max.messages': 1_000_000, dr_cb: true },
    { acks: -1 },
  );
  await new Promise<void>((resolve, reject) => producer.connect({ timeout: 10_000 }, (error) => (error ? reject(new Error(`node-rdkafka could not connect: ${error.message}`)) : resolve())));
  let delivered = 0;
  let failure: Error | undefined;
  producer.on('delivery-report', (error) => {
    if (error) failure ??= new Error(`paced record not delivered: ${error.message}`);
    else delivered += 1;
  });
  producer.setPollInterval(POLL_INTERVAL_MS);
  try {
    const intervalMs = 1000 / run.ratePerSecond;
    const start = performance.now();
    let next = 0;
    let maxLagMs = 0;
    while (next < run.records) {
      const now = performance.now();
      const due = Math.min(run.records, Math.floor((now - start) / intervalMs) + 1);
      if (due > next) maxLagMs = Math.max(maxLagMs, now - (start + next * intervalMs));
      for (; next < due; next++) {
        const seq = run.firstSeq + next;
        try {
          producer.produce(run.topic, seq % run.partitions, jsonValue(seq, run.size), null, Date.now(), null, [{ [SENT_AT_HEADER]: String(Date.now()) }]);
        } catch (error) {
          // librdkafka's queue is full while the cluster catches up: the rest of this burst waits
          // for the next tick (and shows up as pacing lag) instead of failing the run.
          if ((error as { code?: number }).code !== RdKafka.CODES.ERRORS.ERR__QUEUE_FULL) throw error;
          break;
        }
      }
      if (failure) throw failure;
      const wait = start + next * intervalMs - performance.now();
      await sleep(Math.max(1, Math.floor(wait)));
    }
    const deadline = Date.now() + 60_000;
    while (delivered < run.records) {
      if (failure) throw failure;
      if (Date.now() > deadline) throw new Error(`${delivered} of ${run.records} paced records delivered after 60 s`);
      await sleep(10);
    }
    return { maxLagMs };
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }
}

/**
 * kafkajs clients remember every topic they were asked about and refresh its metadata with each
 * new one: once the bench deletes a topic, a long-lived client fails on it. Admin work goes
 * through a client of its own.
 */
export async function withAdmin<T>(bootstrap: readonly string[], work: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = benchKafka(bootstrap, 'bench-router-admin').admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/**
 * Reads `topic` from the beginning until `expected` records came, and returns, for each that
 * carries the send-instant header, its timestamp (the destination's log-append time) minus it.
 */
export async function readLatencies(bootstrap: readonly string[], topic: string, expected: number, timeoutMs: number): Promise<number[]> {
  const kafka = benchKafka(bootstrap, 'bench-router-read');
  const consumer = kafka.consumer({ groupId: `bench-router-read-${topic}`, maxBytesPerPartition: 1024 * 1024 });
  const latencies: number[] = [];
  let read = 0;
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) {
          read += 1;
          const sentAt = message.headers?.[SENT_AT_HEADER];
          if (sentAt !== undefined) latencies.push(Number(message.timestamp) - Number(sentAt.toString()));
        }
      },
    });
    const deadline = Date.now() + timeoutMs;
    while (read < expected) {
      if (Date.now() > deadline) throw new Error(`read ${read} of ${expected} records of ${topic} within ${timeoutMs / 1000} s`);
      await sleep(100);
    }
    return latencies;
  } finally {
    await consumer.disconnect();
  }
}
