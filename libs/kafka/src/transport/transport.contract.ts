// The behaviour every transport promises the smart client, checked on a real cluster. One suite,
// run against each TransportFactory by transport.int.test.ts, so the two client libraries cannot
// drift apart unnoticed. Every test uses its own topics and group and closes what it opened.
import { Kafka, logLevel } from 'kafkajs';
import { afterEach, describe, expect, it } from 'vitest';
import { FlotillaError } from '@flotilla/errors';
import { connectAdmin } from '../kafka-admin';
import type { ConsumedBatch, ConsumedRecord, ConsumerTransport, GroupEvent, ProducerTransport, ProducerTransportOptions, TransportFactory, TransportRecord } from './transport';

/** What the suite needs from the test platform; passed in because only tests may import it. */
export interface ContractPlatform {
  /** Bootstrap addresses of a running cluster with auto.create.topics.enable=false. */
  bootstrap(): string[];
  uniqueName(prefix: string): string;
}

const DELIVERY_TIMEOUT_MS = 5_000;
const WAIT_MS = 30_000;

export function transportContract(factory: TransportFactory, platform: ContractPlatform): void {
  describe(`the ${factory.kind} transport`, () => {
    const opened: { disconnect(): Promise<void> }[] = [];

    afterEach(async () => {
      await Promise.allSettled(opened.splice(0).map((client) => client.disconnect()));
    });

    async function createTopic(partitions: number): Promise<string> {
      const topic = platform.uniqueName(`contract-${factory.kind}`);
      const admin = await connectAdmin({ bootstrap: platform.bootstrap() });
      try {
        await admin.ensureTopic({ topic, partitions, replicationFactor: 1 });
      } finally {
        await admin.close();
      }
      return topic;
    }

    function producer(options: Partial<ProducerTransportOptions> = {}): ProducerTransport {
      const created = factory.producer({
        bootstrap: platform.bootstrap(),
        clientId: 'contract-producer',
        acks: -1,
        deliveryTimeoutMs: DELIVERY_TIMEOUT_MS,
        ...options,
      });
      opened.push(created);
      return created;
    }

    function consumer(groupId: string): ConsumerTransport {
      const created = factory.consumer({ bootstrap: platform.bootstrap(), clientId: 'contract-consumer', groupId, fromBeginning: true });
      opened.push(created);
      return created;
    }

    it('delivers records to the partitions asked for and reads them back in order, with key, value and headers', async () => {
      const topic = await createTopic(4);
      const records = Array.from({ length: 1_000 }, (_, i) => record(i, i % 4));
      const sending = producer();
      // Ten concurrent calls, so batching (linger) has calls to merge and results to split.
      const calls = Array.from({ length: 10 }, (_, c) => records.slice(c * 100, c * 100 + 100));
      const offsets = (await Promise.all(calls.map((call) => sending.send(topic, call)))).flat();

      expect(offsets).toHaveLength(records.length);
      for (let partition = 0; partition < 4; partition++) {
        // Calls to one partition land in call order: offsets count up from 0 without gaps.
        const inPartition = offsets.filter((_, i) => records[i]?.partition === partition).map(Number);
        expect(inPartition).toEqual(Array.from({ length: 250 }, (_, i) => i));
      }

      const reading = consumer(platform.uniqueName('g'));
      const seen = collector();
      await reading.connect();
      await reading.run([topic], seen.onBatch);
      await waitFor(() => seen.records.length >= records.length, () => `${seen.records.length}/${records.length} records`);
      await settle();

      expect(seen.records).toHaveLength(records.length);
      expect(seen.overlaps).toEqual([]);
      // What was read at each reported partition and offset is the record sent there.
      const sentAt = new Map(offsets.map((offset, i) => [`${records[i]?.partition}@${offset}`, records[i] as TransportRecord]));
      for (let partition = 0; partition < 4; partition++) {
        const read = seen.records.filter((r) => r.partition === partition);
        expect(read.map((r) => Number(r.offset))).toEqual(Array.from({ length: 250 }, (_, i) => i));
        for (const r of read) {
          const sent = sentAt.get(`${partition}@${r.offset}`);
          expect(r.topic).toBe(topic);
          expect(r.key).toEqual(sent?.key);
          expect(r.value).toEqual(sent?.value);
          expect(r.headers['trace-id']?.toString()).toBe(sent?.headers?.['trace-id']);
          expect(r.headers.bin).toEqual(sent?.headers?.bin);
        }
      }
    });

    it('keeps a record\'s own timestamp, and sends records without headers or timestamp as such, in one call', async () => {
      const topic = await createTopic(1);
      const before = Date.now();
      // An hour ago: well inside the broker's retention, and clearly not the time of sending.
      const stamped = before - 3_600_000;
      // Alternating shapes in one call: bare, with a timestamp only, with headers and a timestamp.
      const records: TransportRecord[] = Array.from({ length: 30 }, (_, i) => {
        const bare = { partition: 0, key: null, value: Buffer.from(`value-${i}`) };
        if (i % 3 === 0) return bare;
        if (i % 3 === 1) return { ...bare, timestamp: String(stamped + i) };
        return { ...bare, headers: { n: String(i) }, timestamp: String(stamped + i) };
      });
      await producer().send(topic, records);

      const reading = consumer(platform.uniqueName('g'));
      const seen = collector();
      await reading.connect();
      await reading.run([topic], seen.onBatch);
      await waitFor(() => seen.records.length >= records.length, () => `${seen.records.length}/${records.length} records`);

      expect(seen.records.map((r) => r.value?.toString())).toEqual(records.map((r) => r.value?.toString()));
      seen.records.forEach((r, i) => {
        if (i % 3 === 0) expect(Number(r.timestamp)).toBeGreaterThanOrEqual(before - 1_000);
        else expect(r.timestamp).toBe(String(stamped + i));
        expect(r.headers).toEqual(i % 3 === 2 ? { n: Buffer.from(String(i)) } : {});
      });
    });

    it('reports committed offsets after a commit, and end offsets by partition', async () => {
      const topic = await createTopic(3);
      const counts = [5, 7, 11];
      await producer().send(topic, counts.flatMap((count, partition) => Array.from({ length: count }, (_, i) => record(i, partition))));

      const group = platform.uniqueName('g');
      const reading = consumer(group);
      const seen = collector();
      await reading.run([topic], seen.onBatch);
      await waitFor(() => seen.records.length >= 23, () => `${seen.records.length}/23 records`);
      expect(await reading.committed(topic)).toEqual(new Map());

      await reading.commit([
        { topic, partition: 0, offset: '5' },
        { topic, partition: 2, offset: '4' },
      ]);
      expect(await reading.committed(topic)).toEqual(new Map([[0, 5n], [2, 4n]]));
      expect(await reading.endOffsets(topic)).toEqual(new Map([[0, 5n], [1, 7n], [2, 11n]]));
    });

    it('starts a later member of the group at the committed offsets, without re-delivering', async () => {
      const topic = await createTopic(2);
      await producer().send(topic, Array.from({ length: 40 }, (_, i) => record(i, i % 2)));
      const group = platform.uniqueName('g');

      const first = consumer(group);
      const firstSeen = collector();
      await first.run([topic], firstSeen.onBatch);
      await waitFor(() => firstSeen.records.length >= 40, () => `${firstSeen.records.length}/40 records`);
      await first.commit([
        { topic, partition: 0, offset: '12' },
        { topic, partition: 1, offset: '15' },
      ]);
      await first.disconnect();

      const second = consumer(group);
      const secondSeen = collector();
      await second.run([topic], secondSeen.onBatch);
      await waitFor(() => secondSeen.records.length >= 8 + 5, () => `${secondSeen.records.length}/13 records`);
      await settle();
      expect(offsetsOf(secondSeen.records, 0)).toEqual([12, 13, 14, 15, 16, 17, 18, 19]);
      expect(offsetsOf(secondSeen.records, 1)).toEqual([15, 16, 17, 18, 19]);
    });

    it('replaces the subscription when run is called with other topics', async () => {
      const [before, after] = [await createTopic(1), await createTopic(1)];
      const sending = producer();
      await sending.send(before, [record(0, 0)]);
      const reading = consumer(platform.uniqueName('g'));
      const seen = collector();
      await reading.run([before], seen.onBatch);
      await waitFor(() => seen.records.length >= 1, () => 'the first record');

      await reading.run([after], seen.onBatch);
      await sending.send(before, [record(1, 0)]);
      await sending.send(after, [record(2, 0)]);
      await waitFor(() => seen.records.some((r) => r.topic === after), () => `a record of ${after}`);
      await settle();
      expect(seen.records.map((r) => `${r.topic}/${r.offset}`)).toEqual([`${before}/0`, `${after}/0`]);
    });

    it('rejects a send to a topic the cluster does not have, quickly and for good, naming the topic', async () => {
      const topic = platform.uniqueName('contract-missing');
      const sending = producer({ deliveryTimeoutMs: 15_000 });
      const started = Date.now();
      const error = await sending.send(topic, [record(0, 0)]).catch((e: unknown) => e);
      expect(Date.now() - started).toBeLessThan(8_000);
      expect(error).toBeInstanceOf(FlotillaError);
      expect((error as FlotillaError).retryable).toBe(false);
      expect((error as FlotillaError).code).toBe('VALIDATION');
      expect((error as FlotillaError).message).toContain(topic);
    });

    it('rejects a send to an unreachable cluster as retryable within the delivery timeout', async () => {
      const sending = factory.producer({ bootstrap: ['127.0.0.1:1'], clientId: 'contract-unreachable', acks: -1, deliveryTimeoutMs: 3_000 });
      opened.push(sending);
      const connectError = await sending.connect().then(
        () => undefined,
        (e: unknown) => e,
      );
      if (connectError !== undefined) expect((connectError as FlotillaError).retryable).toBe(true);

      const started = Date.now();
      const error = await sending.send('anything', [record(0, 0)]).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      expect(error).toBeInstanceOf(FlotillaError);
      expect((error as FlotillaError).code).toBe('UNAVAILABLE');
      expect((error as FlotillaError).retryable).toBe(true);
      expect(elapsed).toBeLessThan(3_000 + 2_500);

      const closing = Date.now();
      await sending.disconnect();
      expect(Date.now() - closing).toBeLessThan(5_000);
    });

    it('delivers with acks=1 as well', async () => {
      const topic = await createTopic(2);
      const offsets = await producer({ acks: 1 }).send(topic, Array.from({ length: 100 }, (_, i) => record(i, i % 2)));
      expect(new Set(offsets.map((offset, i) => `${i % 2}@${offset}`)).size).toBe(100);
      // Each partition's 50 records got its offsets 0–49 (in some order: acks=1 keeps none).
      for (const partition of [0, 1]) expect(offsets.filter((_, i) => i % 2 === partition).map(Number).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
      const reading = consumer(platform.uniqueName('g'));
      expect(await reading.endOffsets(topic)).toEqual(new Map([[0, 50n], [1, 50n]]));
    });

    it('stops delivery of a paused partition until resumed, and re-reads from a sought offset', async () => {
      const topic = await createTopic(2);
      const sending = producer();
      const batch = (from: number): TransportRecord[] => Array.from({ length: 20 }, (_, i) => record(from + i, i % 2));
      await sending.send(topic, batch(0));
      const reading = consumer(platform.uniqueName('g'));
      const seen = collector();
      await reading.run([topic], seen.onBatch);
      await waitFor(() => seen.records.length >= 20, () => `${seen.records.length}/20 records`);

      reading.pause([{ topic, partitions: [0] }]);
      await sending.send(topic, batch(20));
      await waitFor(() => offsetsOf(seen.records, 1).length >= 20, () => 'the unpaused partition');
      await settle(1_500);
      expect(offsetsOf(seen.records, 0)).toHaveLength(10);

      reading.resume([{ topic, partitions: [0] }]);
      await waitFor(() => offsetsOf(seen.records, 0).length >= 20, () => 'the resumed partition');
      expect(offsetsOf(seen.records, 0)).toEqual(Array.from({ length: 20 }, (_, i) => i));

      const mark = seen.records.length;
      reading.seek({ topic, partition: 1, offset: '5' });
      await waitFor(() => seen.records.length >= mark + 15, () => 're-read records');
      await settle();
      expect(offsetsOf(seen.records.slice(mark), 1)).toEqual(Array.from({ length: 15 }, (_, i) => 5 + i));
      expect(offsetsOf(seen.records.slice(mark), 0)).toEqual([]);
    });

    it('delivers every record once and in order when the handler falls far behind the fetching', async () => {
      // More records than a transport holds for one partition before it stops fetching it, so
      // fetching pauses and resumes while the handler catches up.
      const total = 30_000;
      const topic = await createTopic(1);
      const sending = producer();
      for (let from = 0; from < total; from += 1_000) {
        await sending.send(topic, Array.from({ length: 1_000 }, (_, i) => ({ partition: 0, key: null, value: Buffer.from(`v-${from + i}`) })));
      }
      const reading = consumer(platform.uniqueName('g'));
      const offsets: number[] = [];
      let batches = 0;
      await reading.run([topic], async (batch) => {
        // Slow at first, so records pile up behind the handler.
        if (++batches <= 5) await settle(300);
        for (const r of batch.records) offsets.push(Number(r.offset));
      });
      await waitFor(() => offsets.length >= total, () => `${offsets.length}/${total} records`);
      await settle();
      expect(offsets).toHaveLength(total);
      expect(offsets.every((offset, i) => offset === i)).toBe(true);
    });

    it('delivers a batch again when the handler rejects it', async () => {
      const topic = await createTopic(1);
      await producer().send(topic, Array.from({ length: 5 }, (_, i) => record(i, 0)));
      const reading = consumer(platform.uniqueName('g'));
      const offsets: number[] = [];
      let failures = 0;
      await reading.run([topic], async (batch) => {
        if (failures === 0) {
          failures += 1;
          throw new Error('handler failed');
        }
        offsets.push(...batch.records.map((r) => Number(r.offset)));
      });
      await waitFor(() => offsets.length >= 5, () => `${offsets.length}/5 records after the failure`);
      expect(offsets).toEqual([0, 1, 2, 3, 4]);
    });

    it('tells onGroupEvent of the join with this member\'s whole assignment', async () => {
      const topic = await createTopic(3);
      const events: GroupEvent[] = [];
      const reading = factory.consumer({
        bootstrap: platform.bootstrap(),
        clientId: 'contract-consumer',
        groupId: platform.uniqueName('g'),
        fromBeginning: true,
        onGroupEvent: (event) => void events.push(event),
      });
      opened.push(reading);
      await reading.run([topic], async () => {});
      await waitFor(() => events.some((e) => e.type === 'join'), () => `group events ${JSON.stringify(events)}`);
      expect(events.find((e) => e.type === 'join')).toMatchObject({ assignment: { [topic]: [0, 1, 2] }, durationMs: expect.any(Number) });
    });

    it('describes its group as the coordinator sees it, with this member in it', async () => {
      const topic = await createTopic(1);
      const groupId = platform.uniqueName('g');
      const reading = consumer(groupId);
      await reading.run([topic], async () => {});
      const group = await reading.describeGroup();
      expect(group).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer', errorCode: 0 });
      expect(group.members.map((m) => m.clientId)).toEqual(['contract-consumer']);
    });

    it('reads a repeated header as an array of its values and binary header values with NUL bytes as written', async () => {
      const topic = await createTopic(1);
      // Written by plain kafkajs: a record any KafkaJS application may produce.
      const kafka = new Kafka({ clientId: 'contract-headers', brokers: platform.bootstrap(), logLevel: logLevel.NOTHING });
      const writer = kafka.producer();
      await writer.connect();
      const binary = Buffer.from([0x00, 0x61, 0x00, 0xff]);
      try {
        await writer.send({ topic, messages: [{ value: 'v', headers: { h: ['x', 'y'], bin: binary } }] });
      } finally {
        await writer.disconnect();
      }
      const seen = collector();
      await consumer(platform.uniqueName('g')).run([topic], seen.onBatch);
      await waitFor(() => seen.records.length >= 1, () => 'the record');
      expect(seen.records[0]?.headers).toEqual({ h: [Buffer.from('x'), Buffer.from('y')], bin: binary });
    });
  });
}

function record(i: number, partition: number): TransportRecord {
  return {
    partition,
    // Every tenth record has no key, as non-keyed records do.
    key: i % 10 === 0 ? null : Buffer.from(`key-${i}`),
    value: Buffer.from(`value-${i}`),
    // Header values as bytes and as text; both must come back byte for byte.
    headers: { 'trace-id': `trace-${i}`, bin: Buffer.from(`bytes-${i}-é`) },
  };
}

/** A record as read, with the topic and partition of the batch it came in. */
type SeenRecord = ConsumedRecord & { readonly topic: string; readonly partition: number };

interface Collector {
  readonly records: SeenRecord[];
  /** Partitions that had two batches in the handler at once (must stay empty). */
  readonly overlaps: string[];
  readonly onBatch: (batch: ConsumedBatch) => Promise<void>;
}

function collector(): Collector {
  const records: SeenRecord[] = [];
  const overlaps: string[] = [];
  const active = new Set<string>();
  return {
    records,
    overlaps,
    async onBatch(batch) {
      const key = `${batch.topic}/${batch.partition}`;
      if (active.has(key)) overlaps.push(key);
      active.add(key);
      // Yield, so a second batch of the same partition would have the chance to overlap.
      await new Promise((resolve) => setImmediate(resolve));
      for (const record of batch.records) records.push({ ...record, topic: batch.topic, partition: batch.partition });
      active.delete(key);
    },
  };
}

function offsetsOf(records: readonly SeenRecord[], partition: number): number[] {
  return records.filter((r) => r.partition === partition).map((r) => Number(r.offset));
}

async function waitFor(condition: () => boolean, what: () => string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms waiting for ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Gives records that should not come a chance to arrive, before asserting they did not. */
function settle(ms = 500): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

