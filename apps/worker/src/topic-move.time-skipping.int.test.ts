// The topic move's tail, where the waits are hours: the source stays readable on the consumer side
// for the topic's retention after producers left it, so a consumer group created later still
// reads every record; only an explicit early release ends it sooner, and only once live groups
// read it to the end. The real workflow bundle on Temporal's time-skipping test server; the
// activities are an in-memory registry (our own seam).
import type { WorkflowHandle } from '@temporalio/client';
import { uniqueName } from '@flotilla/testing';
import { moveQueries, moveSignals, topicExpand, topicMove, type ExpandProgress, type MoveProgress, type TopicMoveInput } from '@flotilla/workflows';
import { describe, expect, it, vi } from 'vitest';
import { f1, f2, FakeOperationPlatform, HOUR, MINUTE, moveInput } from './test-support/fake-operation-platform';
import { useTimeSkipping } from './test-support/time-skipping-environment';

type MoveHandle = WorkflowHandle<typeof topicMove>;

const progressOf = (handle: MoveHandle): Promise<MoveProgress> => handle.query<MoveProgress>(moveQueries.progress);

/** The progress once the move reached its tail (time stands still meanwhile: only activities run). */
const inTail = (handle: MoveHandle): Promise<MoveProgress> =>
  vi.waitFor(
    async () => {
      const progress = await progressOf(handle);
      expect(progress.phase).toBe('tail');
      return progress;
    },
    { timeout: 20_000, interval: 100 },
  );

const consumersLeft = /^publish orders producers= consumers=f2$/;

describe('topic move tail with time skipping', () => {
  const ts = useTimeSkipping(7_298);

  const start = (taskQueue: string, input: TopicMoveInput, workflowId = uniqueName('move')): Promise<MoveHandle> =>
    ts.env.client.workflow.start(topicMove, { taskQueue, workflowId, args: [input] });

  it('keeps the source readable for the retention after producers left it, then consumers read the target only and the source is deleted', async () => {
    const platform = new FakeOperationPlatform();
    platform.place('orders', f1.name);

    await ts.withWorker(platform, async (taskQueue) => {
      const startedAt = await ts.env.currentTimeMs();
      const handle = await start(taskQueue, moveInput('orders', f1, f2));

      const tail = await inTail(handle);
      const producersLeftAt = platform.when(/^publish orders producers=f2/);
      expect(tail).toMatchObject({ phase: 'tail', step: 'retain-source', state: 'running', producers: { switched: 1, total: 1, fenced: false } });
      expect(tail.tail?.producersLeftAt).toBeGreaterThanOrEqual(producersLeftAt);
      expect(tail.tail?.readableUntil).toBe((tail.tail?.producersLeftAt ?? 0) + 4 * HOUR);
      expect(platform.placements.get('orders')).toEqual({ producers: ['f2'], consumers: ['f1', 'f2'] });

      // Ten minutes before the end of the retention a group created now still finds f1.
      await ts.env.sleep(3 * HOUR + 50 * MINUTE);
      expect(platform.placements.get('orders')).toEqual({ producers: ['f2'], consumers: ['f1', 'f2'] });
      expect(platform.calls.filter((call) => call.startsWith('delete'))).toEqual([]);
      expect(await progressOf(handle)).toMatchObject({ phase: 'tail', step: 'retain-source' });

      const result = await handle.result();
      expect(result).toMatchObject({ aborted: false, releasedEarly: false, fencedStragglers: false });
      expect((await ts.env.currentTimeMs()) - startedAt).toBeGreaterThanOrEqual(4 * HOUR);
      expect(platform.when(consumersLeft) - producersLeftAt).toBeGreaterThanOrEqual(4 * HOUR);
      expect(platform.placements.get('orders')).toEqual({ producers: ['f2'], consumers: ['f2'] });
      expect(platform.calls.slice(-2)).toEqual(['publish orders producers= consumers=f2', 'delete f1 orders']);
      expect(await progressOf(handle)).toMatchObject({ phase: 'done', step: 'done', state: 'completed' });
    });
  });

  it('does not release early while no consumer group exists: a group created later could still need the source', async () => {
    const platform = new FakeOperationPlatform();
    platform.place('orders', f1.name);

    await ts.withWorker(platform, async (taskQueue) => {
      // A one-minute poll: four hours of it stay a few hundred polls.
      const handle = await start(taskQueue, moveInput('orders', f1, f2, { releaseWhenDrained: true, pollMs: MINUTE }));
      await inTail(handle);
      const producersLeftAt = platform.when(/^publish orders producers=f2/);

      await ts.env.sleep(2 * HOUR);
      const progress = await progressOf(handle);
      expect(progress.tail).toMatchObject({ releaseWhenDrained: true, groups: [] });
      expect(progress.tail?.blockedBy).toContain('no live consumer group');
      expect(platform.placements.get('orders')?.consumers).toEqual(['f1', 'f2']);

      const result = await handle.result();
      expect(result.releasedEarly).toBe(false);
      expect(platform.when(consumersLeft) - producersLeftAt).toBeGreaterThanOrEqual(4 * HOUR);
      expect(platform.calls.at(-1)).toBe('delete f1 orders');
    });
  });

  it('releases early once the one live group that was behind has caught up', async () => {
    const platform = new FakeOperationPlatform();
    platform.place('orders', f1.name);
    const group = { members: 1, committed: 500, lag: 40 };
    platform.groups.set('orders', { billing: group });

    await ts.withWorker(platform, async (taskQueue) => {
      const handle = await start(taskQueue, moveInput('orders', f1, f2, { releaseWhenDrained: true }));
      await inTail(handle);
      const producersLeftAt = platform.when(/^publish orders producers=f2/);

      await ts.env.sleep(30 * MINUTE);
      const behind = await progressOf(handle);
      expect(behind.tail?.blockedBy).toMatch(/^group billing is 40 records behind on f1 \(1 members, last commit seen /);
      expect(behind.tail?.groups).toEqual([expect.objectContaining({ group: 'billing', lag: 40, members: 1, stale: false })]);
      expect(behind.lag).toEqual({ billing: 40 });
      expect(platform.placements.get('orders')?.consumers).toEqual(['f1', 'f2']);

      Object.assign(group, { committed: 540, lag: 0 });
      const result = await handle.result();
      expect(result.releasedEarly).toBe(true);
      const releasedAfter = platform.when(consumersLeft) - producersLeftAt;
      expect(releasedAfter).toBeGreaterThanOrEqual(30 * MINUTE);
      expect(releasedAfter).toBeLessThan(HOUR);
      expect(platform.placements.get('orders')).toEqual({ producers: ['f2'], consumers: ['f2'] });
      expect(platform.calls.at(-1)).toBe('delete f1 orders');
    });
  });

  it('does not wait for a stale group (no members, no commit for staleGroupMs) and reports it', async () => {
    const platform = new FakeOperationPlatform();
    platform.place('orders', f1.name);
    platform.groups.set('orders', { audit: { members: 0, committed: 10, lag: 1_000 }, billing: { members: 2, committed: 500, lag: 0 } });

    await ts.withWorker(platform, async (taskQueue) => {
      const handle = await start(taskQueue, moveInput('orders', f1, f2, { releaseWhenDrained: true, staleGroupMs: HOUR }));
      await inTail(handle);
      const producersLeftAt = platform.when(/^publish orders producers=f2/);

      // Within staleGroupMs the audit group might still be alive: it holds the release.
      await ts.env.sleep(30 * MINUTE);
      expect((await progressOf(handle)).tail?.blockedBy).toMatch(/^group audit is 1000 records behind on f1 \(0 members/);

      const result = await handle.result();
      expect(result.releasedEarly).toBe(true);
      const releasedAfter = platform.when(consumersLeft) - producersLeftAt;
      expect(releasedAfter).toBeGreaterThanOrEqual(HOUR);
      expect(releasedAfter).toBeLessThan(HOUR + 5 * MINUTE);
      expect((await progressOf(handle)).tail?.groups).toEqual([
        expect.objectContaining({ group: 'audit', lag: 1_000, members: 0, stale: true }),
        expect.objectContaining({ group: 'billing', lag: 0, members: 2, stale: false }),
      ]);
    });
  });

  it('the release signal mid-tail releases as releaseWhenDrained does', async () => {
    const platform = new FakeOperationPlatform();
    platform.place('orders', f1.name);
    platform.groups.set('orders', { billing: { members: 1, committed: 500, lag: 0 } });

    await ts.withWorker(platform, async (taskQueue) => {
      const handle = await start(taskQueue, moveInput('orders', f1, f2));
      await inTail(handle);
      const producersLeftAt = platform.when(/^publish orders producers=f2/);

      // Without a release asked for, a drained group changes nothing: the source stays readable.
      await ts.env.sleep(HOUR);
      expect((await progressOf(handle)).tail).toMatchObject({ releaseWhenDrained: false, blockedBy: null });
      expect(platform.placements.get('orders')?.consumers).toEqual(['f1', 'f2']);
      expect(platform.calls.filter((call) => call.startsWith('drain'))).toEqual([]);

      await handle.signal(moveSignals.release);
      const result = await handle.result();
      expect(result.releasedEarly).toBe(true);
      const releasedAfter = platform.when(consumersLeft) - producersLeftAt;
      expect(releasedAfter).toBeGreaterThanOrEqual(HOUR);
      expect(releasedAfter).toBeLessThan(HOUR + 5 * MINUTE);
      expect((await progressOf(handle)).tail?.releaseWhenDrained).toBe(true);
      expect(platform.calls.at(-1)).toBe('delete f1 orders');
    });
  });

  it('keeps its retention timer across a worker restart: another worker releases the source when the retention ends, not later', async () => {
    const platform = new FakeOperationPlatform();
    platform.place('orders', f1.name);
    const taskQueue = uniqueName('move-restart');
    const workflowId = uniqueName('move');

    const handle = await ts.withWorker(
      platform,
      async () => {
        const started = await start(taskQueue, moveInput('orders', f1, f2), workflowId);
        await inTail(started);
        await ts.env.sleep(HOUR);
        return started;
      },
      // Without a workflow cache the first worker runs nothing on a sticky queue of its own: the
      // test server would keep the next task there after the worker stopped (a real server moves
      // it to the shared queue after a timeout).
      { taskQueue, worker: { maxCachedWorkflows: 0 } },
    );
    const producersLeftAt = platform.when(/^publish orders producers=f2/);

    // No worker for an hour: nothing happens to the placement meanwhile.
    await ts.env.sleep(HOUR);
    expect(platform.placements.get('orders')).toEqual({ producers: ['f2'], consumers: ['f1', 'f2'] });

    const result = await ts.withWorker(platform, () => handle.result(), { taskQueue });
    expect(result).toMatchObject({ aborted: false, releasedEarly: false });
    const releasedAfter = platform.when(consumersLeft) - producersLeftAt;
    expect(releasedAfter).toBeGreaterThanOrEqual(4 * HOUR);
    // A timer started afresh by the new worker would have ended two hours later.
    expect(releasedAfter).toBeLessThan(4 * HOUR + 5 * MINUTE);
    expect(platform.placements.get('orders')).toEqual({ producers: ['f2'], consumers: ['f2'] });
    expect(platform.calls.filter((call) => /^(publish|delete)/.test(call))).toEqual([
      'publish orders producers= consumers=f1,f2',
      'publish orders producers=f2 consumers=',
      'publish orders producers= consumers=f2',
      'delete f1 orders',
    ]);
  });

  it('a keyed expand records the new partition count once producers write to the new placement, and keeps the old one readable (with its handoff) for the retention', async () => {
    const platform = new FakeOperationPlatform();
    platform.place('r4', f1.name);
    const workflowId = uniqueName('expand');
    const move = moveInput('r4', f1, f2, { keyed: true, partitions: 6 });

    await ts.withWorker(platform, async (taskQueue) => {
      const handle = await ts.env.client.workflow.start(topicExpand, { taskQueue, workflowId, args: [{ topic: 'r4', keyed: true, fromPartitions: 3, partitions: 6, move }] });
      await vi.waitFor(() => expect(platform.calls).toContain('partitions r4 6'), { timeout: 20_000, interval: 100 });
      const progress = await handle.query<ExpandProgress>(moveQueries.progress);
      expect(progress).toMatchObject({ phase: 'tail', step: 'retain-source', state: 'running', children: [`${workflowId}/topic-move:r4`] });
      // The count is recorded once the source is sealed, so no key is read out of order.
      expect(platform.calls.indexOf('partitions r4 6')).toBeGreaterThan(platform.calls.indexOf('publish r4 producers= consumers= handoff=seal'));
      expect(platform.placements.get('r4')).toEqual({ producers: ['f2'], consumers: ['f1', 'f2'] });

      const result = await handle.result();
      expect(result).toEqual({ topic: 'r4', partitions: 6, clusters: ['f2'], aborted: false });
      expect(platform.when(/^publish r4 producers= consumers=f2 handoff=end$/) - platform.when(/^publish r4 producers=f2/)).toBeGreaterThanOrEqual(4 * HOUR);
      expect(platform.calls.at(-1)).toBe('delete f1 r4');
    });
  });
});
