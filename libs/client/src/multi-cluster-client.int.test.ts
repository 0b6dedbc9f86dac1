// The smart client on the real test clusters, following a live mapping server: topic
// switches under load lose nothing, consumers read the union of clusters and drop drained
// ones, keyed moves keep per-key order, a killed cluster never blocks send(), and the
// client starts from its disk cache and refuses malformed mappings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectAdmin, transportFor, type TransportKind } from '@flotilla/kafka';
import { startMappingServer, type MappingServer } from '@flotilla/mapping-server';
import { testCluster, testPlatform, uniqueName } from '@flotilla/testing';
import { createMetricsRegistry } from '@flotilla/observability';
import { BufferFullError, RecordDroppedError, liveMappingSource, MultiClusterConsumer, MultiClusterProducer, type RecordMetadata } from './index';
import { mappingDocument, type TopicPlacement } from './test-support/mapping-fixtures';

let server: MappingServer;
let closers: (() => Promise<unknown>)[] = [];
let version = 0;
const cacheDir = mkdtempSync(join(tmpdir(), 'flotilla-client-'));

beforeEach(async () => {
  server = await startMappingServer({ port: 0 });
  closers = [];
});
afterEach(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await server.stop();
});

function publish(placement: TopicPlacement): number {
  version += 1;
  server.publish(mappingDocument(version, testPlatform().clusters, placement));
  return version;
}

async function createTopic(cluster: string, topic: string, partitions = 3): Promise<void> {
  const admin = await connectAdmin({ bootstrap: testCluster(cluster).bootstrap });
  await admin.ensureTopic({ topic, partitions, replicationFactor: 1 });
  await admin.close();
}

async function endOffsetTotal(cluster: string, topic: string): Promise<bigint> {
  const admin = await connectAdmin({ bootstrap: testCluster(cluster).bootstrap });
  const offsets = await admin.endOffsets(topic);
  await admin.close();
  return [...offsets.values()].reduce((a, b) => a + b, 0n);
}

function producer(kind: TransportKind, extra: Partial<ConstructorParameters<typeof MultiClusterProducer>[0]> = {}): MultiClusterProducer {
  const p = new MultiClusterProducer({
    clientId: uniqueName('producer'),
    mapping: liveMappingSource({ url: server.url, cacheFile: join(cacheDir, `${uniqueName('cache')}.json`) }),
    transport: transportFor(kind),
    ...extra,
  });
  closers.push(() => p.disconnect({ timeoutMs: 5_000 }));
  return p;
}

function consumer(kind: TransportKind, seen: (topic: string, key: string | undefined, value: string, cluster: string) => unknown): MultiClusterConsumer {
  const c = new MultiClusterConsumer({
    groupId: uniqueName('group'),
    mapping: liveMappingSource({ url: server.url, cacheFile: join(cacheDir, `${uniqueName('cache')}.json`) }),
    transport: transportFor(kind),
  });
  closers.push(() => c.disconnect());
  void c;
  return Object.assign(c, {
    async start(topic: string) {
      await c.connect();
      await c.subscribe({ topic, fromBeginning: true });
      await c.run({
        eachMessage: async ({ topic: t, message, cluster }) => {
          await seen(t, message.key?.toString(), message.value?.toString() ?? '', cluster);
        },
      });
    },
  });
}

describe.each(['kafkajs', 'rdkafka'] as const)('topic switch under load (%s transport)', (kind) => {
  it('delivers every one of 20,000 sequenced records across a switch from fronting-1 to fronting-2', async () => {
    const topic = uniqueName('switch');
    await Promise.all([createTopic('fronting-1', topic), createTopic('fronting-2', topic)]);
    publish({ producers: { [topic]: ['fronting-1'] }, consumers: { [topic]: ['fronting-1', 'fronting-2'] } });
    const received = new Set<string>();
    const c = consumer(kind, (_t, _k, value) => received.add(value)) as MultiClusterConsumer & { start(t: string): Promise<void> };
    await c.start(topic);
    const p = producer(kind);
    await p.connect();

    const TOTAL = 20_000;
    const BATCHES = TOTAL / 100;
    const sends: Promise<RecordMetadata[]>[] = [];
    let switched = 0;
    for (let batch = 0; batch < BATCHES; batch++) {
      if (batch === BATCHES / 2) switched = publish({ producers: { [topic]: ['fronting-2'] }, consumers: { [topic]: ['fronting-1', 'fronting-2'] } });
      // Records still waiting for a cluster at a switch go to the new one, so fronting-1 takes
      // part for certain only once it has acknowledged a batch; and the last batch is sent once
      // the producer follows the new version, so fronting-2 does too, whatever the machine's pace.
      if (batch === BATCHES - 1) {
        await vi.waitFor(() => expect(p.clientInfo().mappingVersion, 'producer on the switched version').toBe(switched), { timeout: 10_000 });
      }
      sends.push(p.send({ topic, messages: Array.from({ length: 100 }, (_, i) => ({ value: `p1:${batch * 100 + i}` })) }));
      if (batch === 0) await sends[0];
      await sleep(2);
    }
    const acknowledged = (await Promise.all(sends)).flat();
    // Both clusters took part: the switch happened under load.
    expect(new Set(acknowledged.map((m) => m.cluster))).toEqual(new Set(['fronting-1', 'fronting-2']));
    expect((await endOffsetTotal('fronting-1', topic)) + (await endOffsetTotal('fronting-2', topic))).toBeGreaterThanOrEqual(BigInt(TOTAL));

    await vi.waitFor(() => expect(received.size).toBeGreaterThanOrEqual(TOTAL), { timeout: 90_000, interval: 250 }).catch(() => undefined);
    const missing = Array.from({ length: TOTAL }, (_, i) => `p1:${i}`).filter((v) => !received.has(v));
    expect(missing).toEqual([]);
  });
});

describe('producer with two sinks', () => {
  it('writes every record to each sink cluster the mapping lists, and answers with one RecordMetadata per cluster and partition', async () => {
    const topic = uniqueName('fanout');
    await Promise.all([createTopic('fronting-1', topic), createTopic('fronting-2', topic)]);
    publish({ producers: { [topic]: ['fronting-1', 'fronting-2'] }, consumers: { [topic]: ['fronting-1'] } });
    const p = producer('rdkafka');
    await p.connect();
    const acknowledged = await p.send({ topic, messages: Array.from({ length: 300 }, (_, i) => ({ value: `f${i}`, partition: i % 3 })) });
    // As KafkaJS answers: per partition (and here per cluster), the offset of the call's first record there.
    const entries = acknowledged.map((m) => `${m.cluster} ${m.topicName}/${m.partition}@${m.baseOffset}`).sort();
    expect(entries).toEqual(['fronting-1', 'fronting-2'].flatMap((cluster) => [0, 1, 2].map((partition) => `${cluster} ${topic}/${partition}@0`)));
    expect(await endOffsetTotal('fronting-1', topic)).toBe(300n);
    expect(await endOffsetTotal('fronting-2', topic)).toBe(300n);
    expect(p.buffered().records).toBe(0);
  });
});

describe('consumer across clusters', () => {
  it('reads one topic from two clusters at once, then drops the drained one and keeps reading', async () => {
    const topic = uniqueName('union');
    await Promise.all([createTopic('fronting-1', topic), createTopic('consumer-1', topic)]);
    const p = producer('kafkajs');
    publish({ producers: { [topic]: ['fronting-1'] }, consumers: { [topic]: ['fronting-1', 'consumer-1'] } });
    await p.connect();
    await p.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ value: `a${i}` })) });
    publish({ producers: { [topic]: ['consumer-1'] }, consumers: { [topic]: ['fronting-1', 'consumer-1'] } });
    await vi.waitFor(() => expect(p.clientInfo().mappingVersion, 'producer on the new version').toBe(version), { timeout: 2_000 });
    await p.send({ topic, messages: Array.from({ length: 50 }, (_, i) => ({ value: `b${i}` })) });

    const seen = new Map<string, string>();
    const c = consumer('kafkajs', (_t, _k, value, cluster) => seen.set(value, cluster)) as MultiClusterConsumer & { start(t: string): Promise<void> };
    await c.start(topic);
    await vi.waitFor(() => expect(seen.size, 'records from two clusters').toBeGreaterThanOrEqual(100), { timeout: 60_000, interval: 250 });
    expect(seen.get('a0')).toBe('fronting-1');
    expect(seen.get('b0')).toBe('consumer-1');

    // fronting-1 is drained: the consumer side drops it; reading goes on from consumer-1.
    publish({ producers: { [topic]: ['consumer-1'] }, consumers: { [topic]: ['consumer-1'] } });
    await vi.waitFor(() => expect(c.assignment().map((a) => a.cluster), 'fronting-1 dropped').not.toContain('fronting-1'), { timeout: 2_000 });
    expect(c.assignment()).toEqual([{ cluster: 'consumer-1', topics: [topic] }]);
    await p.send({ topic, messages: [{ value: 'c0' }] });
    await vi.waitFor(() => expect(seen.has('c0'), 'a record after the drop').toBe(true), { timeout: 30_000, interval: 250 });
  });
});

describe('keyed move', () => {
  it('keeps per-key order when a keyed topic moves with a sealed handoff', async () => {
    const topic = uniqueName('keyed');
    await Promise.all([createTopic('fronting-1', topic, 4), createTopic('fronting-2', topic, 4)]);
    const sealedNone = { [topic]: { from: 'fronting-1', to: 'fronting-2', keyed: true, sealed: {} } };
    publish({ producers: { [topic]: ['fronting-1'] }, consumers: { [topic]: ['fronting-1'] } });
    // At-least-once: a record seen before may come again (a redelivery); a record seen for the
    // first time after a later one of its key is an order violation.
    const lastSeq = new Map<string, number>();
    const seen = new Set<string>();
    const violations: string[] = [];
    let count = 0;
    const c = consumer('kafkajs', async (_t, key, value, cluster) => {
      // The source is read slowly, so its backlog is still unread when the target has records:
      // only the handoff gate stands between the consumer and reading a key out of order.
      if (cluster === 'fronting-1') await sleep(1);
      const seq = Number(value.split(':')[1]);
      const last = lastSeq.get(key!) ?? -1;
      if (seen.has(value)) return;
      seen.add(value);
      count += 1;
      if (seq < last) violations.push(`${key}: ${seq} after ${last}`);
      else lastSeq.set(key!, seq);
    }) as MultiClusterConsumer & { start(t: string): Promise<void> };
    await c.start(topic);
    const p = producer('kafkajs');
    await p.connect();

    const KEYS = 20;
    const PER_KEY = 300;
    const sends: Promise<unknown>[] = [];
    let step = 0;
    for (let seq = 0; seq < PER_KEY; seq++) {
      sends.push(p.send({ topic, messages: Array.from({ length: KEYS }, (_, k) => ({ key: `k${k}`, value: `k${k}:${seq}` })) }));
      if (seq === 60) publish({ producers: { [topic]: ['fronting-1'] }, consumers: { [topic]: ['fronting-1', 'fronting-2'] }, handoffs: sealedNone });
      if (seq === 100) publish({ producers: { [topic]: ['fronting-2'] }, consumers: { [topic]: ['fronting-1', 'fronting-2'] }, handoffs: sealedNone });
      if (seq === 160 && step === 0) {
        step = 1;
        // The source no longer grows once producers switched: seal its end offsets.
        const admin = await connectAdmin({ bootstrap: testCluster('fronting-1').bootstrap });
        const ends = await admin.endOffsets(topic);
        await admin.close();
        const sealed = Object.fromEntries([...ends].map(([partition, end]) => [String(partition), Number(end)]));
        publish({ producers: { [topic]: ['fronting-2'] }, consumers: { [topic]: ['fronting-1', 'fronting-2'] }, handoffs: { [topic]: { from: 'fronting-1', to: 'fronting-2', keyed: true, sealed } } });
      }
      await sleep(5);
    }
    await Promise.all(sends);
    await vi.waitFor(() => expect(count).toBeGreaterThanOrEqual(KEYS * PER_KEY), { timeout: 60_000, interval: 250 }).catch(() => undefined);
    expect(violations.slice(0, 10)).toEqual([]);
    expect(count).toBe(KEYS * PER_KEY);
    expect(await endOffsetTotal('fronting-2', topic)).toBeGreaterThan(0n);
  });
});

describe('fail but never block', () => {
  it('keeps accepting while a killed cluster is down, refuses when full, and delivers after restart', async () => {
    const topic = uniqueName('outage');
    await createTopic('fronting-2', topic);
    publish({ producers: { [topic]: ['fronting-2'] }, consumers: { [topic]: ['fronting-2'] } });
    const p = producer('kafkajs', { buffer: { maxRecords: 3_000 }, deliveryTimeoutMs: 2_000 });
    await p.connect();
    const before = Array.from({ length: 1_000 }, (_, i) => `before:${i}`);
    await p.send({ topic, messages: before.map((value) => ({ value })) });

    const target = testCluster('fronting-2').control;
    await target.kill();
    try {
      const accepted: Promise<RecordMetadata[]>[] = [];
      const acceptedValues: string[] = [];
      let refused: unknown;
      let slowest = 0;
      for (let batch = 0; batch < 40 && !refused; batch++) {
        const values = Array.from({ length: 100 }, (_, i) => `during:${batch * 100 + i}`);
        const t0 = performance.now();
        const pending = p.send({ topic, messages: values.map((value) => ({ value })) });
        // A full buffer refuses at once; otherwise the promise stays pending while the cluster is down.
        const outcome = await Promise.race([pending.then(() => 'acked', (e: unknown) => e), sleep(20, 'pending')]);
        slowest = Math.max(slowest, performance.now() - t0);
        if (outcome instanceof BufferFullError) refused = outcome;
        else {
          expect(outcome).toBe('pending');
          accepted.push(pending);
          acceptedValues.push(...values);
        }
      }
      expect(slowest).toBeLessThan(100);
      expect(refused).toBeInstanceOf(BufferFullError);
      expect(String((refused as Error).message)).toMatch(/buffer full/);
      expect(acceptedValues.length).toBe(3_000);

      await target.restart();
      await Promise.all(accepted);
      const received = new Set<string>();
      const c = consumer('kafkajs', (_t, _k, value) => received.add(value)) as MultiClusterConsumer & { start(t: string): Promise<void> };
      await c.start(topic);
      await vi.waitFor(() => expect(received.size, 'every acknowledged record').toBeGreaterThanOrEqual(before.length + acceptedValues.length), { timeout: 60_000, interval: 250 });
      expect([...before, ...acceptedValues].filter((v) => !received.has(v))).toEqual([]);
    } finally {
      if (!target.isRunning()) await target.restart();
    }
  });
});

describe('drop-oldest and switching away from a dead cluster', () => {
  it('evicts the oldest waiting records when full, counts them, and re-sends the rest to the cluster traffic switched to', async () => {
    const topic = uniqueName('dropold');
    await createTopic('consumer-1', topic);
    // "dead-1" never answers: records wait in the buffer.
    const clusters = [...testPlatform().clusters, { name: 'dead-1', role: 'fronting' as const, bootstrap: ['127.0.0.1:1'] }];
    version += 1;
    server.publish(mappingDocument(version, clusters, { producers: { [topic]: ['dead-1'] }, consumers: { [topic]: ['consumer-1'] } }));
    const registry = createMetricsRegistry('test', { defaultMetrics: false });
    const p = producer('kafkajs', { buffer: { maxRecords: 200, onFull: 'drop-oldest' }, deliveryTimeoutMs: 1_000, metrics: registry });
    await p.connect();
    const outcomes = Array.from({ length: 300 }, (_, i) =>
      p.send({ topic, messages: [{ value: `r${i}` }] }).then(
        (meta) => meta[0]!.cluster,
        (error: unknown) => error,
      ),
    );
    expect(p.buffered().records).toBe(200);
    version += 1;
    server.publish(mappingDocument(version, clusters, { producers: { [topic]: ['consumer-1'] }, consumers: { [topic]: ['consumer-1'] } }));
    const settled = await Promise.all(outcomes);
    expect(settled.slice(0, 100).every((o) => o instanceof RecordDroppedError)).toBe(true);
    expect(settled.slice(100)).toEqual(Array.from({ length: 200 }, () => 'consumer-1'));
    expect(await registry.metrics()).toMatch(new RegExp(`flotilla_producer_records_dropped_total\\{cluster="dead-1",topic="${topic}"[^}]*\\} 100`));
    expect(await endOffsetTotal('consumer-1', topic)).toBe(200n);
  });
});

describe('mapping source faults', () => {
  it('starts from the disk cache while the mapping source is down', async () => {
    const topic = uniqueName('cached');
    await createTopic('consumer-1', topic);
    publish({ producers: { [topic]: ['consumer-1'] }, consumers: { [topic]: ['consumer-1'] } });
    const cacheFile = join(cacheDir, `${uniqueName('cache')}.json`);
    const first = new MultiClusterProducer({ clientId: 'cache-1', mapping: liveMappingSource({ url: server.url, cacheFile }), transport: transportFor('kafkajs') });
    await first.connect();
    await first.disconnect();
    await server.stop();

    const second = new MultiClusterProducer({ clientId: 'cache-2', mapping: liveMappingSource({ url: server.url, cacheFile, startTimeoutMs: 2_000 }), transport: transportFor('kafkajs') });
    closers.push(() => second.disconnect());
    await second.connect();
    expect(second.clientInfo().mappingVersion).toBe(version);
    const [meta] = await second.send({ topic, messages: [{ value: 'from-cache' }] });
    expect(meta?.cluster).toBe('consumer-1');
    server = await startMappingServer({ port: 0 });
  });

  it('rejects a malformed mapping version naming the path and keeps the previous one', async () => {
    const topic = uniqueName('malformed');
    await createTopic('fronting-1', topic);
    const good = publish({ producers: { [topic]: ['fronting-1'] }, consumers: { [topic]: ['fronting-1'] } });
    const rejected: Error[] = [];
    const p = producer('kafkajs', { onMappingRejected: (error: Error) => rejected.push(error) });
    await p.connect();
    const bad = mappingDocument(good + 1, testPlatform().clusters, { producers: { [`${topic}, t2`]: ['fronting-9'] }, consumers: {} });
    server.publish(JSON.stringify(bad));
    await vi.waitFor(() => expect(rejected.length, 'the rejection').toBeGreaterThan(0), { timeout: 2_000 });
    expect(rejected[0]?.message).toContain(`producers["${topic}, t2"].where[0].sink: unknown cluster "fronting-9"`);
    expect(p.clientInfo().mappingVersion).toBe(good);
    const [meta] = await p.send({ topic, messages: [{ value: 'still-works' }] });
    expect(meta?.cluster).toBe('fronting-1');
  });
});
