// How the node-rdkafka transport pairs delivery reports with records when librdkafka reports out
// of produce order: it does so for failures (a purged or timed-out queued record is reported at
// once, ahead of records still in flight), which no broker run can provoke on cue. Also that its
// polling ends at disconnect when a send was waiting for room in a full local queue. node-rdkafka's
// client is replaced by one that records produce() calls and lets the test emit the reports; the
// pairing itself runs against real clusters in the transport contract suite.
import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';

interface Produced {
  topic: string;
  partition: number;
  value: Buffer | null;
}

const clients: FakeProducer[] = [];

/** librdkafka's ERR__QUEUE_FULL: produce() finds the local queue full. */
const QUEUE_FULL = -184;

class FakeProducer extends EventEmitter {
  readonly produced: Produced[] = [];
  /** Records it takes before produce() throws QUEUE_FULL. */
  capacity = Number.POSITIVE_INFINITY;
  polls = 0;
  private connected = true;
  constructor() {
    super();
    clients.push(this);
  }
  connect(_options: unknown, callback: (error: Error | null) => void): void {
    setImmediate(() => callback(null));
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

function report(client: FakeProducer, error: { message: string; code: number } | null, partition: number, offset: number, size: number): void {
  client.emit('delivery-report', error, { topic: TOPIC, partition, offset, size });
}

describe('rdkafka transport delivery reports (idempotent producer)', () => {
  it('fails every call still waiting on a partition at its first error, and never acknowledges one for another record', async () => {
    const producer = rdkafkaProducer({ bootstrap: ['127.0.0.1:1'], clientId: 'order', acks: -1, lingerMs: 5, deliveryTimeoutMs: 30_000 });
    const value = Buffer.from('same-size');
    const a = producer.send(TOPIC, [
      { partition: 0, key: null, value },
      { partition: 0, key: null, value },
    ]);
    const b = producer.send(TOPIC, [{ partition: 0, key: null, value }]);
    const outcomes = Promise.allSettled([a, b]);
    await until(() => clients.at(-1)?.produced.length === 3);
    const client = clients.at(-1)!;

    // b's record timed out in the queue and is reported first; a's are still in flight.
    report(client, { message: 'Local: Message timed out', code: -1 }, 0, -1, value.length);
    report(client, null, 0, 100, value.length);
    report(client, null, 0, 101, value.length);
    const [first, second] = await outcomes;
    expect(first.status).toBe('rejected');
    expect(second.status).toBe('rejected');

    // Later calls pair with their own reports again.
    const c = producer.send(TOPIC, [{ partition: 0, key: null, value }]);
    await until(() => client.produced.length === 4);
    report(client, null, 0, 102, value.length);
    await expect(c).resolves.toEqual(['102']);
    await producer.disconnect();
  });

  it('pairs in-order reports of interleaved partitions with their own records and offsets', async () => {
    const producer = rdkafkaProducer({ bootstrap: ['127.0.0.1:1'], clientId: 'order', acks: -1, lingerMs: 5, deliveryTimeoutMs: 30_000 });
    const sending = producer.send(TOPIC, [
      { partition: 0, key: null, value: Buffer.from('a') },
      { partition: 1, key: null, value: Buffer.from('bb') },
      { partition: 0, key: null, value: Buffer.from('ccc') },
    ]);
    await until(() => clients.at(-1)?.produced.length === 3);
    const client = clients.at(-1)!;
    // Partition 1 answers first; each partition in its own order.
    report(client, null, 1, 7, 2);
    report(client, null, 0, 40, 1);
    report(client, null, 0, 41, 3);
    await expect(sending).resolves.toEqual([
      '40', // partition 0
      '7', // partition 1
      '41', // partition 0
    ]);
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
    const producer = rdkafkaProducer({ bootstrap: ['127.0.0.1:1'], clientId: 'polling', acks: -1, lingerMs: 5, deliveryTimeoutMs: 30_000 });
    await producer.connect();
    const client = clients.at(-1)!;
    client.capacity = 1;
    const sending = producer.send(TOPIC, [
      { partition: 0, key: null, value: Buffer.from('a') },
      { partition: 0, key: null, value: Buffer.from('b') },
    ]);
    // One record out and unreported, the second waiting for room: the transport polls meanwhile.
    await until(() => client.produced.length === 1 && client.polls > 0);
    await producer.disconnect();
    await expect(sending).rejects.toThrow('closed before delivery');
    // The waiting send wakes from its backoff, fails on the closed client, and must not poll again.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(intervals.size).toBe(0);
  });
});
