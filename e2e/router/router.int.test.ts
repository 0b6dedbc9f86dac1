// The router end to end: routes added through management, a router process following them,
// records read back at the destination with a consumer group created afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEAD_LETTER_HEADERS } from '@flotilla/routes';
import { uniqueName } from '@flotilla/testing';
import { readWithNewGroup, startRouterPlatform, type Read, type RouterPlatform } from './router-platform';

let platform: RouterPlatform;

beforeAll(async () => {
  platform = await startRouterPlatform();
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

const values = (read: Read) => read.messages.map((m) => m.value?.toString() ?? '');
const countOf = (read: Read) => read.messages.length;

async function produce(topic: string, records: { key?: string; value: string }[]): Promise<void> {
  const producer = await platform.producer();
  for (let i = 0; i < records.length; i += 1_000) {
    await producer.send({ topic, messages: records.slice(i, i + 1_000).map((r) => ({ key: r.key ?? null, value: r.value })) });
  }
}

describe('router', () => {
  it('routes 100,000 records through a filter and a projection: exactly the expected ones arrive, the filtered ones are counted', async () => {
    const source = await platform.frontingTopic();
    const destination = await platform.consumerTopic();
    const deadLetter = await platform.consumerTopic(1);
    const name = uniqueName('even');
    await platform.management.admin().routes.add.mutate({
      definition: {
        name,
        source,
        destinations: [{ topic: destination }],
        steps: [{ filter: 'value.even = true' }, { project: { keep: ['seq'] } }],
        deadLetterTopic: deadLetter,
      },
    });
    const router = await platform.startRouter();
    const total = 100_000;
    await produce(source, Array.from({ length: total }, (_, seq) => ({ value: JSON.stringify({ seq, even: seq % 2 === 0, note: 'x'.repeat(40) }) })));

    const read = await readWithNewGroup(platform, destination, (r) => countOf(r) >= total / 2);
    const seqs = values(read).map((value) => (JSON.parse(value) as { seq: number }).seq);
    expect(seqs).toHaveLength(total / 2);
    expect(new Set(seqs).size).toBe(total / 2);
    expect(seqs.every((seq) => seq % 2 === 0)).toBe(true);
    // The projection kept only `seq`.
    expect(JSON.parse(values(read)[0]!)).toEqual({ seq: expect.any(Number) });
    expect(await router.counter('flotilla_router_records_filtered_total', name)).toBe(total / 2);
    expect(await router.counter('flotilla_router_records_in_total', name)).toBe(total);
    await router.stop();
  }, 240_000);

  it('sends records a step fails to the dead-letter topic with headers saying why, and keeps routing', async () => {
    const source = await platform.frontingTopic(1);
    const destination = await platform.consumerTopic(1);
    const deadLetter = await platform.consumerTopic(1);
    const name = uniqueName('dlq');
    await platform.management.admin().routes.add.mutate({
      definition: { name, source, destinations: [{ topic: destination }], steps: [{ key: { field: 'id' } }], keyed: true, deadLetterTopic: deadLetter },
    });
    const router = await platform.startRouter();
    await produce(source, [
      { value: JSON.stringify({ id: 'a' }) },
      { value: 'not json' },
      { value: JSON.stringify({ other: 1 }) },
      { value: JSON.stringify({ id: 'b' }) },
    ]);
    const routed = await readWithNewGroup(platform, destination, (r) => countOf(r) >= 2);
    expect(routed.messages.map((m) => m.key?.toString())).toEqual(['a', 'b']);
    const dead = await readWithNewGroup(platform, deadLetter, (r) => countOf(r) >= 2);
    expect(values(dead)).toEqual(['not json', JSON.stringify({ other: 1 })]);
    const header = (i: number, name: string) => dead.messages[i]!.headers[name]?.toString();
    expect(header(0, DEAD_LETTER_HEADERS.route)).toBe(name);
    expect(header(0, DEAD_LETTER_HEADERS.topic)).toBe(source);
    expect(header(0, DEAD_LETTER_HEADERS.stepType)).toBe('key');
    expect(header(0, DEAD_LETTER_HEADERS.offset)).toBe('1');
    expect(header(0, DEAD_LETTER_HEADERS.error)).toMatch(/JSON/i);
    expect(header(1, DEAD_LETTER_HEADERS.offset)).toBe('2');
    expect(await router.counter('flotilla_router_records_dead_lettered_total', name)).toBe(2);
    await router.stop();
  }, 180_000);

  it('dead-letters a record the destination refuses (too large there), with its source offset, and routes the others', async () => {
    const source = await platform.frontingTopic(1);
    const destination = await platform.consumerTopic(1, { 'max.message.bytes': '4096' });
    const deadLetter = await platform.consumerTopic(1);
    const name = uniqueName('too-large');
    await platform.management.admin().routes.add.mutate({ definition: { name, source, destinations: [{ topic: destination }], deadLetterTopic: deadLetter } });
    const router = await platform.startRouter();
    await produce(source, [{ value: 'small-0' }, { value: 'x'.repeat(20_000) }, { value: 'small-2' }]);
    const routed = await readWithNewGroup(platform, destination, (r) => countOf(r) >= 2);
    expect(values(routed)).toEqual(['small-0', 'small-2']);
    const dead = await readWithNewGroup(platform, deadLetter, (r) => countOf(r) >= 1);
    expect(dead.messages.map((m) => [m.value?.length, m.headers[DEAD_LETTER_HEADERS.stepType]?.toString(), m.headers[DEAD_LETTER_HEADERS.offset]?.toString()])).toEqual([[20_000, 'destination', '1']]);
    await router.stop();
  }, 180_000);

  it('keeps each key\'s records in order on a keyed route', async () => {
    const source = await platform.frontingTopic(3);
    const destination = await platform.consumerTopic(3);
    const name = uniqueName('keyed');
    await platform.management.admin().routes.add.mutate({
      definition: { name, source, destinations: [{ topic: destination }], keyed: true, deadLetterTopic: await platform.consumerTopic(1) },
    });
    const router = await platform.startRouter();
    const keys = 20;
    const perKey = 500;
    const records = Array.from({ length: keys * perKey }, (_, i) => ({ key: `k${i % keys}`, value: `k${i % keys}:${Math.floor(i / keys)}` }));
    await produce(source, records);
    const read = await readWithNewGroup(platform, destination, (r) => countOf(r) >= records.length);
    expect(countOf(read)).toBe(records.length);
    const last = new Map<string, number>();
    const partitionOf = new Map<string, number>();
    for (const message of read.messages) {
      const [key, seq] = message.value!.toString().split(':') as [string, string];
      expect(Number(seq)).toBe((last.get(key) ?? -1) + 1);
      last.set(key, Number(seq));
      // One destination partition per key.
      expect(partitionOf.get(key) ?? message.partition).toBe(message.partition);
      partitionOf.set(key, message.partition);
    }
    await router.stop();
  }, 180_000);

  it('loses nothing when a router is killed with kill -9 mid-stream and another takes over; duplicates stay bounded', async () => {
    const source = await platform.frontingTopic(3);
    const destination = await platform.consumerTopic(3);
    const name = uniqueName('failover');
    await platform.management.admin().routes.add.mutate({
      definition: { name, source, destinations: [{ topic: destination }], deadLetterTopic: await platform.consumerTopic(1) },
    });
    const first = await platform.startRouter();
    const second = await platform.startRouter();
    const total = 60_000;
    const producing = produce(source, Array.from({ length: total }, (_, seq) => ({ value: String(seq) })));
    // Kill one router once records flow through it.
    const deadline = Date.now() + 60_000;
    while ((await first.counter('flotilla_router_records_out_total', name)) + (await second.counter('flotilla_router_records_out_total', name)) < 5_000 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await first.kill();
    await producing;
    const read = await readWithNewGroup(platform, destination, (r) => new Set(values(r)).size >= total, 120_000);
    const seen = new Set(values(read));
    const missing = Array.from({ length: total }, (_, seq) => String(seq)).filter((v) => !seen.has(v));
    expect(missing).toEqual([]);
    const duplicates = countOf(read) - seen.size;
    // At most what was in flight at the kill: a few batches per partition.
    expect(duplicates).toBeLessThan(total / 2);
    await second.stop();
  }, 300_000);

  it('copies a topic from its fronting cluster to its consumer cluster on a route from the topic to itself', async () => {
    const topic = await platform.layeredTopic(2);
    const name = uniqueName('hop');
    await platform.management.admin().routes.add.mutate({ definition: { name, source: topic, destinations: [{}], deadLetterTopic: await platform.consumerTopic(1) } });
    const router = await platform.startRouter();
    const total = 5_000;
    // Applications write the topic where its producers go (fronting-1) and read it where its consumers do (consumer-1).
    await produce(topic, Array.from({ length: total }, (_, seq) => ({ value: String(seq) })));
    const read = await readWithNewGroup(platform, topic, (r) => countOf(r) >= total);
    expect(new Set(values(read)).size).toBe(total);
    expect(countOf(read)).toBe(total);
    await router.stop();
  }, 180_000);

  it('refuses a malformed route naming the field, and the routes in force stay', async () => {
    const admin = platform.management.admin();
    const before = await admin.routes.list.query();
    await expect(admin.routes.add.mutate({ definition: { name: uniqueName('bad'), source: await platform.frontingTopic(1), steps: [{ filter: 'value.x = ' }] } })).rejects.toThrow(/steps\[0\]\.filter/);
    expect(await admin.routes.list.query()).toEqual(before);
  }, 60_000);
});
