// How the node-rdkafka transport pairs delivery reports with records when librdkafka reports out
// of produce order: it does so for failures (a purged or timed-out queued record is reported at
// once, ahead of records still in flight), which no broker run can provoke on cue. Also that its
// polling ends at disconnect when a send was waiting for room in a full local queue. node-rdkafka's
// client is replaced by one that records produce() calls and lets the test deliver the reports the
// way node-rdkafka does: its native dispatcher calls the callback it registered at connect, which
// emits 'delivery-report', which calls the `dr_cb` function given in the config. The pairing
// itself runs against real clusters in the contract suite.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';

interface Produced {
  topic: string;
  partition: number;
  value: Buffer | null;
}

const clients: FakeProducer[] = [];

type DeliveryCallback = (error: { message: string } | null, report: object) => void;

/** librdkafka's ERR__QUEUE_FULL: produce() finds the local queue full. */
const QUEUE_FULL = -184;

class FakeProducer extends EventEmitter {
  /** Where node-rdkafka 3.x keeps the delivery callback it registers with the native client on connect. */
  readonly _cb_configs: { event: { delivery_cb: DeliveryCallback } };
  private registered: DeliveryCallback | undefined;
  readonly produced: Produced[] = [];
  /** Records it takes before produce() throws QUEUE_FULL. */
  capacity = Number.POSITIVE_INFINITY;
  polls = 0;
  private connected = true;
  constructor(conf: { dr_cb?: unknown }) {
    super();
    // Like node-rdkafka: a callback that re-emits each report as a 'delivery-report' event, and
    // a `dr_cb` function in the config listens to that event.
    this._cb_configs = { event: { delivery_cb: (error, report) => this.emit('delivery-report', error, report) } };
    if (typeof conf.dr_cb === 'function') this.on('delivery-report', conf.dr_cb as DeliveryCallback);
    clients.push(this);
  }
  connect(_options: unknown, callback: (error: Error | null) => void): void {
    this.registered = this._cb_configs.event.delivery_cb;
    setImmediate(() => callback(null));
  }
  /** What node-rdkafka's dispatcher does with a report: calls the registered callback. */
  deliver(error: { message: string } | null, report: object): void {
    this.registered?.(error, report);
  }
  produce(topic: string, partition: number, value: Buffer | null): void {
    // node-rdkafka's own words for both.
    if (!this.connected) throw new Error('Producer not connected');
    if (this.produced.length >= this.capacity) throw Object.assign(new Error('Local: Queue full'), { code: QUEUE_FULL });
    this.produced.push({ topic, partition, value });
  }
  poll(): void {
    this.polls += 1;
  }
  disconnect(_timeout: number, callback?: () => void): void {
    this.connected = false;
    callback?.();
  }
}

vi.mock('node-rdkafka', async (importOriginal) => {
  const actual = await importOriginal<{ default: object }>();
  // The transport reads everything through the default export (CommonJS module.exports).
  return { ...actual, default: { ...actual.default, Producer: FakeProducer } };
});

const { rdkafkaProducer } = await import('./rdkafka-producer');

const TOPIC = 'orders';

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}

/** The transport as an idempotent producer (acks=all), whose reports pair up through the queues. */
function idempotentProducer() {
  return rdkafkaProducer({ bootstrap: ['127.0.0.1:1'], clientId: 'order', acks: -1, deliveryTimeoutMs: 30_000 });
}

/** A record for `partition` (0 unless given) whose value is `value`'s text. */
function record(value: string, partition = 0) {
  return { partition, key: null, value: Buffer.from(value) };
}

/**
 * A send of two records to a client whose local queue holds one: the first is out and
 * unreported, the second waits for room, and the transport polls meanwhile.
 */
async function waitingForRoom() {
  const producer = idempotentProducer();
  await producer.connect();
  const client = clients.at(-1)!;
  client.capacity = 1;
  const sending = producer.send(TOPIC, [record('a'), record('b')]);
  await until(() => client.produced.length === 1 && client.polls > 0);
  return { producer, client, sending };
}

function report(client: FakeProducer, error: { message: string } | null, partition: number, offset: number, size: number, topic = TOPIC): void {
  client.deliver(error, { topic, partition, offset, size });
}

describe('rdkafka transport delivery reports (idempotent producer)', () => {
  it('fails every call still waiting on a partition at its first error, and never acknowledges one for another record', async () => {
    const producer = idempotentProducer();
    const value = 'same-size';
    const a = producer.send(TOPIC, [record(value), record(value)]);
    const b = producer.send(TOPIC, [record(value)]);
    const outcomes = Promise.allSettled([a, b]);
    await until(() => clients.at(-1)?.produced.length === 3);
    const client = clients.at(-1)!;

    // b's record timed out in the queue and is reported first; a's are still in flight.
    report(client, new Error('Local: Message timed out'), 0, -1, value.length);
    report(client, null, 0, 100, value.length);
    report(client, null, 0, 101, value.length);
    const [first, second] = await outcomes;
    expect(first.status).toBe('rejected');
    expect(second.status).toBe('rejected');

    // Later calls pair with their own reports again.
    const c = producer.send(TOPIC, [record(value)]);
    await until(() => client.produced.length === 4);
    report(client, null, 0, 102, value.length);
    await expect(c).resolves.toEqual([102]);
    await producer.disconnect();
  });

  it('pairs in-order reports of interleaved partitions with their own records and offsets', async () => {
    const producer = idempotentProducer();
    const sending = producer.send(TOPIC, [record('a'), record('bb', 1), record('ccc')]);
    await until(() => clients.at(-1)?.produced.length === 3);
    const client = clients.at(-1)!;
    // Partition 1 answers first; each partition in its own order.
    report(client, null, 1, 7, 2);
    report(client, null, 0, 40, 1);
    report(client, null, 0, 41, 3);
    await expect(sending).resolves.toEqual([
      40, // partition 0
      7, // partition 1
      41, // partition 0
    ]);
    await producer.disconnect();
  });
  it('pairs the reports of consecutive calls on one partition with each call in turn', async () => {
    const producer = idempotentProducer();
    const a = producer.send(TOPIC, [record('a1'), record('a2-'), record('a3--')]);
    const b = producer.send(TOPIC, [record('b1---'), record('b2----')]);
    await until(() => clients.at(-1)?.produced.length === 5);
    const client = clients.at(-1)!;
    [2, 3, 4, 5, 6].forEach((size, i) => report(client, null, 0, 10 + i, size));
    await expect(a).resolves.toEqual([10, 11, 12]);
    await expect(b).resolves.toEqual([13, 14]);
    await producer.disconnect();
  });

  it('fails a call whose report on a partition comes with a lower offset than the one before it', async () => {
    const producer = idempotentProducer();
    const sending = producer.send(TOPIC, [record('a'), record('b'), record('c')]);
    await until(() => clients.at(-1)?.produced.length === 3);
    const client = clients.at(-1)!;
    report(client, null, 0, 11, 1);
    report(client, null, 0, 10, 1);
    await expect(sending).rejects.toThrow('delivery report for partition 0 at offset 10 came after one at 11 (out of order)');

    // Once the partition drained, offsets may start over (a topic deleted and made again).
    report(client, null, 0, 12, 1);
    const again = producer.send(TOPIC, [record('d')]);
    await until(() => client.produced.length === 4);
    report(client, null, 0, 0, 1);
    await expect(again).resolves.toEqual([0]);
    await producer.disconnect();
  });

  it('pairs the reports of two topics, interleaved, with each topic\'s records', async () => {
    const producer = idempotentProducer();
    const orders = producer.send(TOPIC, [record('o'), record('oo')]);
    const payments = producer.send('payments', [record('ppp'), record('pppp')]);
    await until(() => clients.at(-1)?.produced.length === 4);
    const client = clients.at(-1)!;
    report(client, null, 0, 5, 3, 'payments');
    report(client, null, 0, 70, 1);
    report(client, null, 0, 6, 4, 'payments');
    report(client, null, 0, 71, 2);
    await expect(orders).resolves.toEqual([70, 71]);
    await expect(payments).resolves.toEqual([5, 6]);
    await producer.disconnect();
  });

  it('produces nothing more for a call that failed while it waited for room in a full queue', async () => {
    const { producer, client, sending } = await waitingForRoom();
    // The first record fails; the call fails with it and its caller will send both again.
    report(client, new Error('Local: Message timed out'), 0, -1, 1);
    await expect(sending).rejects.toThrow('not acknowledged within');
    client.capacity = Number.POSITIVE_INFINITY;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.produced.map((record) => String(record.value))).toEqual(['a']);
    await producer.disconnect();
  });

  it("takes reports through node-rdkafka's public dr_cb and leaves its private callback config as node-rdkafka made it", async () => {
    const producer = idempotentProducer();
    const sending = producer.send(TOPIC, [record('x', 1)]);
    await until(() => clients.at(-1)?.produced.length === 1);
    const client = clients.at(-1)!;
    const ownCallback = client._cb_configs.event.delivery_cb;
    expect(client.listenerCount('delivery-report')).toBe(1);
    report(client, null, 1, 3, 1);
    await expect(sending).resolves.toEqual([3]);
    expect(client._cb_configs.event.delivery_cb).toBe(ownCallback);
    await producer.disconnect();
  });
});

describe('rdkafka transport polling', () => {
  /** The intervals set and not cleared since the call. */
  function watchIntervals(): Set<NodeJS.Timeout> {
    const running = new Set<NodeJS.Timeout>();
    const set = globalThis.setInterval;
    const clear = globalThis.clearInterval;
    vi.spyOn(globalThis, 'setInterval').mockImplementation(((...args: Parameters<typeof setInterval>) => {
      const interval = set(...args);
      running.add(interval);
      return interval;
    }) as typeof setInterval);
    vi.spyOn(globalThis, 'clearInterval').mockImplementation(((interval?: NodeJS.Timeout) => {
      if (interval) running.delete(interval);
      clear(interval);
    }) as typeof clearInterval);
    return running;
  }

  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('stops for good at disconnect, also when a send was waiting for room in a full queue', async () => {
    const intervals = watchIntervals();
    const { producer, sending } = await waitingForRoom();
    await producer.disconnect();
    await expect(sending).rejects.toThrow('closed before delivery');
    // The waiting send wakes from its backoff, fails on the closed client, and must not poll again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(intervals.size).toBe(0);
  });
});
