// Consuming over HTTP end to end, at least once: records produced through the proxy are fetched
// (long poll) or streamed (server-sent events) by HTTP consumer instances of a group, committed
// through the offsets endpoint, shared between the instances of one group, and what was not
// committed comes again once an instance is gone (a stream dropped, a proxy killed with kill -9).
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { committedOffsets, httpConsumer, type ConsumedRecord } from './http-consumer';
import { startProxyPlatform, type ProxyPlatform, type ProxyProcess } from './proxy-platform';

let platform: ProxyPlatform;
let proxy: ProxyProcess;
/** A dead proxy's group members are replaced after this (Kafka's smallest by default). */
const consumerEnv = { PROXY_CONSUMER_SESSION_TIMEOUT_MS: '6000', PROXY_CONSUMER_IDLE_MS: '20000' };

beforeAll(async () => {
  platform = await startProxyPlatform();
  proxy = await platform.startProxy(consumerEnv);
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

async function produce(topic: string, token: string, values: string[], partition?: (i: number) => number): Promise<void> {
  const records = values.map((value, i) => ({ value, ...(partition ? { partition: partition(i) } : {}) }));
  const answer = await proxy.post(`/v1/topics/${topic}/records?ack=sync`, { valueEncoding: 'text', records }, { token });
  expect(answer.status).toBe(200);
}

const valuesOf = (records: ConsumedRecord[]) => records.map((record) => record.value ?? '');

/** Per partition, one past the last record of `records`: what a client that handled them commits. */
function nextOffsets(records: ConsumedRecord[]): { cluster: string; partition: number; offset: string }[] {
  const next = new Map<string, { cluster: string; partition: number; offset: string }>();
  for (const r of records) next.set(`${r.cluster}/${r.partition}`, { cluster: r.cluster, partition: r.partition, offset: String(BigInt(r.offset) + 1n) });
  return [...next.values()];
}

describe('HTTP proxy: consume', () => {
  it('fetches the records produced, as text or base64, and commits what the consumer was given', async () => {
    const topic = await platform.topic(2);
    const app = await platform.application([{ verb: '*', resource: `/topics/${topic}` }]);
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
    await produce(topic, app.token, values);
    const consumer = httpConsumer(proxy.url, app.token, 'readers', topic, 'c1');
    const records = await consumer.fetchUntil((r) => r.length >= 20);
    expect(valuesOf(records).sort()).toEqual([...values].sort());
    expect(records[0]).toEqual({ cluster: 'fronting-1', partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/), key: null, value: expect.any(String), headers: {}, timestamp: expect.any(Number) });
    const committed = await consumer.commit();
    expect(committed.status).toBe(200);
    expect(committed.body.committed.sort((a, b) => a.partition - b.partition)).toEqual(nextOffsets(records).sort((a, b) => a.partition - b.partition));
    // In Kafka, under the application's namespaced group.
    const inKafka = await committedOffsets('fronting-1', `${app.id}.readers`, topic);
    for (const { partition, offset } of committed.body.committed) expect(inKafka.get(partition)).toBe(offset);
    // Nothing more to give; base64 on request.
    expect((await consumer.fetch({ timeoutMs: '200' })).body.records).toEqual([]);
    await produce(topic, app.token, ['\u00ffbytes']);
    const [binary] = await consumer.fetchUntil((r) => r.length >= 1, 30_000);
    expect(binary?.value).toBe('\u00ffbytes');
    await produce(topic, app.token, ['b64']);
    const encoded = await vi.waitFor(async () => {
      const answer = await consumer.fetch({ encoding: 'base64' });
      expect(answer.body.records).toHaveLength(1);
      return answer.body;
    }, 30_000);
    expect([encoded.encoding, encoded.records[0]!.value]).toEqual(['base64', Buffer.from('b64').toString('base64')]);
  }, 120_000);

  it('shares the topic between two consumers of one group: each gets a disjoint part, together all', async () => {
    const topic = await platform.topic(4);
    const app = await platform.application([{ verb: '*', resource: '/topics/**' }]);
    const one = httpConsumer(proxy.url, app.token, 'pair', topic, 'one');
    const two = httpConsumer(proxy.url, app.token, 'pair', topic, 'two');
    // Both members joined and the group settled: the four partitions split between them.
    await vi.waitFor(
      async () => {
        const [a, b] = await Promise.all([one.fetch({ timeoutMs: '300' }), two.fetch({ timeoutMs: '300' })]);
        const partsA = a.body.assignment.flatMap((x) => x.partitions);
        const partsB = b.body.assignment.flatMap((x) => x.partitions);
        expect(partsA.length).toBeGreaterThan(0);
        expect(partsB.length).toBeGreaterThan(0);
        expect([...partsA, ...partsB].sort()).toEqual([0, 1, 2, 3]);
      },
      { timeout: 60_000, interval: 200 },
    );
    const values = Array.from({ length: 40 }, (_, i) => `p${i}`);
    await produce(topic, app.token, values, (i) => i % 4);
    const got: { one: ConsumedRecord[]; two: ConsumedRecord[] } = { one: [], two: [] };
    const total = () => got.one.length + got.two.length;
    const deadline = Date.now() + 60_000;
    while (total() < 40 && Date.now() < deadline) {
      const [a, b] = await Promise.all([one.fetch({ timeoutMs: '500' }), two.fetch({ timeoutMs: '500' })]);
      got.one.push(...a.body.records);
      got.two.push(...b.body.records);
    }
    expect(got.one.length).toBeGreaterThan(0);
    expect(got.two.length).toBeGreaterThan(0);
    const partitionsOne = new Set(got.one.map((r) => r.partition));
    expect(got.two.filter((r) => partitionsOne.has(r.partition))).toEqual([]);
    expect([...valuesOf(got.one), ...valuesOf(got.two)].sort()).toEqual([...values].sort());
  }, 180_000);

  it('resumes after the committed offset when the proxy is killed with kill -9, and gives the uncommitted records again', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([{ verb: '*', resource: '/topics/**' }]);
    const values = Array.from({ length: 10 }, (_, i) => `r${i}`);
    await produce(topic, app.token, values);
    const victim = await platform.startProxy(consumerEnv);
    const before = httpConsumer(victim.url, app.token, 'survivors', topic, 'c1');
    const records = await before.fetchUntil((r) => r.length >= 10);
    expect(valuesOf(records)).toEqual(values);
    // Handled the first six only.
    expect((await before.commit(nextOffsets(records.slice(0, 6)))).status).toBe(200);
    await victim.kill();
    const successor = await platform.startProxy(consumerEnv);
    const after = httpConsumer(successor.url, app.token, 'survivors', topic, 'c1');
    const again = await after.fetchUntil((r) => r.length >= 4, 90_000);
    expect(valuesOf(again)).toEqual(values.slice(6));
    await successor.stop();
  }, 180_000);

  it('refuses an application without a GET policy with 403 naming the verb and resource, and bad queries with 400 naming the field', async () => {
    const topic = await platform.topic(1);
    const writer = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const refused = await httpConsumer(proxy.url, writer.token, 'g', topic, 'c1').fetch();
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(`GET /topics/${topic}`);
    const reader = await platform.application([{ verb: 'GET', resource: '/topics/**' }]);
    const consumer = httpConsumer(proxy.url, reader.token, 'g', topic, 'c1');
    for (const [query, field] of [[{ max: '0' }, 'max'], [{ max: '10001' }, 'max'], [{ timeoutMs: 'soon' }, 'timeoutMs'], [{ encoding: 'hex' }, 'encoding'], [{ consumer: 'a b' }, 'consumer']] as const) {
      const answer = await consumer.fetch(query);
      expect([answer.status, answer.body.error.field], JSON.stringify(query)).toEqual([400, field]);
    }
    const unknown = await httpConsumer(proxy.url, reader.token, 'g', 'no-such-topic-here', 'c1').fetch();
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'NOT_FOUND']);
    // A commit for an instance that is not open says so.
    const notOpen = await httpConsumer(proxy.url, reader.token, 'g', topic, 'never').commit();
    expect([notOpen.status, notOpen.body.error.field]).toEqual([404, 'consumer']);
  }, 60_000);

  it('streams records as server-sent events and honours what the client commits; a dropped stream gives the rest again', async () => {
    const topic = await platform.topic(1);
    const app = await platform.application([{ verb: '*', resource: '/topics/**' }]);
    const values = Array.from({ length: 8 }, (_, i) => `s${i}`);
    await produce(topic, app.token, values);
    const consumer = httpConsumer(proxy.url, app.token, 'streamers', topic, 'c1');
    const first = await consumer.stream();
    await vi.waitFor(() => expect(first.records).toHaveLength(8), { timeout: 60_000, interval: 100 });
    expect(valuesOf(first.records)).toEqual(values);
    expect(first.ids[0]).toBe(`fronting-1/0/${first.records[0]!.offset}`);
    // The client acknowledges the first five by their event ids' offsets.
    const committed = await consumer.commit(nextOffsets(first.records.slice(0, 5)));
    expect(committed.status).toBe(200);
    expect((await committedOffsets('fronting-1', `${app.id}.streamers`, topic)).get(0)).toBe(String(BigInt(first.records[4]!.offset) + 1n));
    first.close();
    // Three were written but never acknowledged: they come again, after the committed offset. A
    // stream opened before the proxy saw the first one drop joins the instance that is ending,
    // and ends with it: open another.
    let again: ConsumedRecord[] = [];
    for (let attempt = 0; attempt < 3 && again.length < 3; attempt++) {
      const second = await consumer.stream();
      await Promise.race([second.ended, vi.waitFor(() => expect(second.records.length).toBeGreaterThanOrEqual(3), { timeout: 60_000, interval: 100 }).catch(() => undefined)]);
      again = second.records;
      second.close();
    }
    expect(valuesOf(again)).toEqual(values.slice(5));
  }, 120_000);
});
