import type { ConsumerMessage, ConsumerRunConfig, EachBatchPayload } from '@flotilla/client';
import { describe, expect, it } from 'vitest';
import { ConsumeSession, kafkaGroupId, type SessionConsumer } from './consume-session';

/** A consumer whose batches the test hands in, and whose commits and pauses it reads. */
class FakeConsumer {
  readonly events = { GROUP_JOIN: 'consumer.group_join', REBALANCING: 'consumer.rebalancing' } as SessionConsumer['events'];
  readonly listeners = new Map<string, (event: { payload: unknown }) => void>();
  readonly commits: unknown[] = [];
  readonly pauses: string[] = [];
  config: ConsumerRunConfig | undefined;
  disconnected = false;
  on = (name: string, listener: (event: { payload: unknown }) => void) => {
    this.listeners.set(name, listener);
    return () => undefined;
  };
  connect = async () => undefined;
  subscribe = async () => undefined;
  run = async (config: ConsumerRunConfig) => {
    this.config = config;
  };
  commitOffsets = async (offsets: unknown) => void this.commits.push(offsets);
  pause = () => void this.pauses.push('pause');
  resume = () => void this.pauses.push('resume');
  disconnect = async () => {
    this.disconnected = true;
  };
  emit(name: string, payload: unknown): void {
    this.listeners.get(name)?.({ payload });
  }
  /** Delivers a batch as the smart consumer would; resolves when the handler returns, with what it resolved. */
  async deliver(cluster: string, partition: number, offsets: number[]): Promise<string[]> {
    const resolved: string[] = [];
    const messages = offsets.map((offset) => ({ offset: String(offset), key: null, value: Buffer.from(`v${offset}`), headers: {}, timestamp: '1', attributes: 0 }) satisfies ConsumerMessage);
    await this.config!.eachBatch!({
      batch: { cluster, topic: 'payments', partition, messages },
      resolveOffset: (offset: string) => void resolved.push(offset),
      heartbeat: async () => undefined,
    } as unknown as EachBatchPayload);
    return resolved;
  }
}

async function started(onHanded?: (records: number, bytes: number) => void): Promise<{ session: ConsumeSession; consumer: FakeConsumer }> {
  const consumer = new FakeConsumer();
  const session = new ConsumeSession({ application: 'billing', group: 'readers', topic: 'payments', consumer: 'c1' }, consumer as unknown as SessionConsumer, Date.now, onHanded);
  await session.start();
  return { session, consumer };
}

describe('ConsumeSession', () => {
  it('runs its consumer without auto-commit, in the group namespaced by application', async () => {
    const { consumer } = await started();
    expect(consumer.config).toMatchObject({ autoCommit: false, eachBatchAutoResolve: false });
    expect(kafkaGroupId({ application: 'billing', group: 'readers' })).toBe('billing.readers');
  });

  it('holds a batch until fetches took all of it, and commits what was given when asked without offsets', async () => {
    const { session, consumer } = await started();
    const handled = consumer.deliver('c1', 0, [4, 5, 6]);
    expect((await session.fetch(2, 1_000)).map((r) => r.message.offset)).toEqual(['4', '5']);
    expect((await session.fetch(10, 1_000)).map((r) => r.message.offset)).toEqual(['6']);
    expect(await handled).toEqual(['5', '6']);
    expect(await session.commit()).toEqual([{ cluster: 'c1', partition: 0, offset: '7' }]);
    expect(consumer.commits).toEqual([[{ cluster: 'c1', topic: 'payments', partition: 0, offset: '7' }]]);
    // Nothing new given: nothing to commit.
    expect(await session.commit()).toEqual([]);
    expect(session.uncommitted()).toEqual([]);
  });

  it('tells what each fetch handed out, records and value bytes (these have no key), and nothing for an empty fetch', async () => {
    const handed: [number, number][] = [];
    const { session, consumer } = await started((records, bytes) => handed.push([records, bytes]));
    void consumer.deliver('c1', 0, [4, 5, 6]);
    await session.fetch(2, 1_000);
    await session.fetch(10, 1_000);
    await session.fetch(10, 10);
    const bytesOf = (offsets: number[]) => offsets.reduce((sum, o) => sum + Buffer.byteLength(`v${o}`), 0);
    expect(handed).toEqual([
      [2, bytesOf([4, 5])],
      [1, bytesOf([6])],
    ]);
  });

  it('commits the offsets a client names', async () => {
    const { session, consumer } = await started();
    await session.commit([{ cluster: 'c1', partition: 1, offset: '3' }]);
    expect(consumer.commits).toEqual([[{ cluster: 'c1', topic: 'payments', partition: 1, offset: '3' }]]);
  });

  it('answers an empty fetch after its time, and one as soon as a batch comes', async () => {
    const { session, consumer } = await started();
    const startedAt = Date.now();
    expect(await session.fetch(10, 100)).toEqual([]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(90);
    const fetching = session.fetch(10, 10_000);
    void consumer.deliver('c1', 0, [1]);
    expect(await fetching).toHaveLength(1);
  });

  it('gives held batches back when the group rebalances, and stops offering what was given of partitions it lost', async () => {
    const { session, consumer } = await started();
    const handled = consumer.deliver('c1', 0, [1, 2]);
    await session.fetch(1, 100);
    consumer.emit('consumer.rebalancing', { cluster: 'c1' });
    expect(await handled).toEqual(['1']);
    consumer.emit('consumer.group_join', { cluster: 'c1', memberAssignment: { payments: [1] } });
    expect(session.assignment()).toEqual([{ cluster: 'c1', partitions: [1] }]);
    expect(session.uncommitted()).toEqual([]);
  });

  it('is idle only without a fetch or a stream for the idle time; closing gives back what it holds and leaves the group', async () => {
    let now = 0;
    const consumer = new FakeConsumer();
    const session = new ConsumeSession({ application: 'a', group: 'g', topic: 'payments', consumer: 'c' }, consumer as unknown as SessionConsumer, () => now);
    await session.start();
    const detach = session.attach();
    now = 60_000;
    expect(session.isIdle(now, 30_000)).toBe(false);
    detach();
    expect(session.isIdle(now, 30_000)).toBe(false);
    expect(session.isIdle(now + 30_000, 30_000)).toBe(true);
    const handled = consumer.deliver('c1', 0, [1]);
    await session.close();
    expect(await handled).toEqual([]);
    expect([consumer.disconnected, session.closed]).toEqual([true, true]);
    session.pauseFetching();
    expect(consumer.pauses).toEqual(['pause']);
  });
});
