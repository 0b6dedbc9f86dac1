// Failover, failback and drain where the waits are hours: a failed cluster stays on the consumer
// side for its topics' retention since the switch, whether it returns or not; failback and drain
// are child topic moves whose tails keep their sources readable, with bounded parallelism of the
// active parts; abort reaches the children. The real workflow bundle on Temporal's time-skipping
// test server; the activities are an in-memory registry (our own seam).
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { uniqueName } from '@flotilla/testing';
import {
  clusterDrain,
  clusterFailback,
  clusterFailover,
  clusterQueries,
  moveQueries,
  moveSignals,
  type ClusterFailbackInput,
  type ClusterFailoverInput,
  type FailbackProgress,
  type FailoverProgress,
  type MoveProgress,
  type TopicMoveResult,
} from '@flotilla/workflows';
import { describe, expect, it, vi } from 'vitest';
import { f1, f2, failoverTopic, FakeOperationPlatform, HOUR, MINUTE, moveInput } from './test-support/fake-operation-platform';
import { useTimeSkipping } from './test-support/time-skipping-environment';

function failoverInput(topics: string[]): ClusterFailoverInput {
  return {
    cluster: f1,
    brokerCount: 1,
    topics: topics.map(failoverTopic),
    producerSwitchTimeoutMs: 30_000,
    pollMs: 1_000,
    maxPollMs: 60_000,
    parallelism: 16,
    deleteReleased: true,
    releaseWhenDrained: false,
    staleGroupMs: HOUR,
  };
}

function failbackInput(topics: string[], parallelism: number): ClusterFailbackInput {
  return { cluster: f1, moves: topics.map((topic) => moveInput(topic, f2, f1)), parallelism, previousState: 'failed' };
}

/** Where `call` sits in the platform's log; fails the test when it is not there. */
function indexOf(platform: FakeOperationPlatform, call: string): number {
  const index = platform.calls.indexOf(call);
  expect(index, `${call} in ${platform.calls.join(' | ')}`).toBeGreaterThanOrEqual(0);
  return index;
}

describe('cluster failover, failback and drain with time skipping', () => {
  const ts = useTimeSkipping(7_299);

  /** Past every active part (1-minute producer polls), well within a 4 h retention. */
  const intoTails = (handle: WorkflowHandle): Promise<FailbackProgress> =>
    ts.env.sleep(30 * MINUTE).then(() =>
      vi.waitFor(
        async () => {
          const progress = await handle.query<FailbackProgress>(clusterQueries.progress);
          expect(progress.phase).toBe('tail');
          return progress;
        },
        { timeout: 20_000, interval: 100 },
      ),
    );

  describe('failover', () => {
    it('keeps a cluster that never returns on the consumer side for its topics’ retention, then leaves it; nothing is deleted or fenced there, and probing backs off', async () => {
      const platform = new FakeOperationPlatform();
      for (const topic of ['a', 'b']) platform.place(topic, f1.name);

      const result = await ts.withWorker(platform, async (taskQueue) => {
        const handle = await ts.env.client.workflow.start(clusterFailover, { taskQueue, workflowId: uniqueName('failover'), args: [failoverInput(['a', 'b'])] });
        await ts.env.sleep(3 * HOUR);
        const progress = await handle.query<FailoverProgress>(clusterQueries.progress);
        expect(progress).toMatchObject({ phase: 'tail', step: 'retain-failed', returned: false, topics: { total: 2, switched: 2, released: 0 } });
        expect(progress.readableUntil['a']).toBeGreaterThanOrEqual(platform.when(/^publish a producers=f2/) + 4 * HOUR);
        expect(Object.fromEntries(platform.placements)).toEqual({ a: { producers: ['f2'], consumers: ['f1', 'f2'] }, b: { producers: ['f2'], consumers: ['f1', 'f2'] } });
        return handle.result();
      });

      expect(result).toEqual({ cluster: 'f1', standbys: { a: 'f2', b: 'f2' }, returned: false, aborted: false, failed: {}, mappingVersion: 4 });
      for (const topic of ['a', 'b']) {
        const switchedAt = platform.when(new RegExp(`^publish ${topic} producers=f2`));
        expect(platform.when(new RegExp(`^publish ${topic} producers= consumers=f2$`)) - switchedAt).toBeGreaterThanOrEqual(4 * HOUR);
        expect(platform.placements.get(topic)).toEqual({ producers: ['f2'], consumers: ['f2'] });
      }
      expect(platform.calls.filter((call) => /^(drain|delete|fence)/.test(call))).toEqual([]);
      // Four hours at a poll that doubles up to a minute: about 240 probes, not 14,400.
      expect(platform.probes).toBeLessThan(260);
    });

    it('keeps a cluster that returns after an hour and a half readable until 4 h after the switch, fences a producer that never switched once it answers, then deletes the topics there; a topic it cannot fail over is skipped', async () => {
      const platform = new FakeOperationPlatform();
      for (const topic of ['a', 'b', 'gone']) platform.place(topic, f1.name);
      platform.stragglers.add('a');
      platform.refused.add('gone');

      const { result, progress } = await ts.withWorker(platform, async (taskQueue) => {
        platform.returnsAt = (await ts.env.currentTimeMs()) + 1.5 * HOUR;
        const handle = await ts.env.client.workflow.start(clusterFailover, { taskQueue, workflowId: uniqueName('failover'), args: [failoverInput(['a', 'b', 'gone'])] });

        await ts.env.sleep(2 * HOUR);
        const back = await handle.query<FailoverProgress>(clusterQueries.progress);
        expect(back).toMatchObject({ phase: 'tail', step: 'retain-failed', returned: true, fenced: ['a'], topics: { released: 0 } });
        // Back, but still within retention: a group created now reads what f1 acknowledged before it failed.
        expect(platform.placements.get('a')?.consumers).toEqual(['f1', 'f2']);
        expect(platform.placements.get('b')?.consumers).toEqual(['f1', 'f2']);
        expect(platform.calls.filter((call) => call.startsWith('delete'))).toEqual([]);

        const outcome = await handle.result();
        return { result: outcome, progress: await handle.query<FailoverProgress>(clusterQueries.progress) };
      });

      expect(result).toMatchObject({ returned: true, aborted: false, standbys: { a: 'f2', b: 'f2' } });
      expect(result.failed).toEqual({ gone: expect.stringContaining('topic "gone" not found') });
      expect(progress).toMatchObject({ phase: 'done', step: 'done', state: 'completed', returned: true, topics: { total: 3, switched: 2, released: 2 }, fenced: ['a'] });
      const fencedAt = platform.when(/^fence f1 a$/);
      expect(fencedAt).toBeGreaterThanOrEqual(platform.returnsAt);
      expect(fencedAt - platform.returnsAt).toBeLessThan(2 * MINUTE);
      for (const topic of ['a', 'b']) {
        const switchedAt = platform.when(new RegExp(`^publish ${topic} producers=f2`));
        expect(platform.when(new RegExp(`^publish ${topic} producers= consumers=f2$`)) - switchedAt).toBeGreaterThanOrEqual(4 * HOUR);
        expect(platform.when(new RegExp(`^delete f1 ${topic}$`)) - switchedAt).toBeGreaterThanOrEqual(4 * HOUR);
        expect(platform.placements.get(topic)).toEqual({ producers: ['f2'], consumers: ['f2'] });
      }
      // The fence outlives the topic by no more than its delete (ACLs are by name).
      expect(platform.calls.filter((call) => / f1 a$/.test(call) && /^(fence|delete|unfence)/.test(call))).toEqual(['fence f1 a', 'delete f1 a', 'unfence f1 a']);
      expect(platform.calls.filter((call) => /^(fence|delete)/.test(call) && / b$/.test(call))).toEqual(['delete f1 b']);
    });
  });

  describe('failback', () => {
    it('runs at most `parallelism` active parts at once, sets the cluster active once producers are home, and completes after the moves’ tails', async () => {
      const platform = new FakeOperationPlatform();
      const topics = ['t1', 't2', 't3', 't4', 't5'];
      for (const topic of topics) {
        platform.place(topic, f2.name);
        // Producers take two polls to switch, so active parts last and could overlap.
        platform.switchPolls.set(topic, 2);
      }

      const result = await ts.withWorker(platform, async (taskQueue) => {
        const handle = await ts.env.client.workflow.start(clusterFailback, { taskQueue, workflowId: uniqueName('failback'), args: [failbackInput(topics, 2)] });
        const tail = await intoTails(handle);
        expect(tail).toMatchObject({ kind: 'cluster-failback', step: 'retain-sources', state: 'running', running: [], topics: { total: 5, moved: 5, completed: 0 } });
        expect(platform.clusterStates.get('f1')).toBe('active');
        // Every source is still readable: a group created now reads what producers wrote to f2.
        for (const topic of topics) expect(platform.placements.get(topic)).toEqual({ producers: ['f1'], consumers: ['f2', 'f1'] });
        return handle.result();
      });

      expect([...result.moved].sort()).toEqual(topics);
      expect(platform.mostSwitching).toBe(2);
      for (const topic of topics) expect(platform.placements.get(topic)).toEqual({ producers: ['f1'], consumers: ['f1'] });
      const firstDelete = platform.calls.findIndex((call) => call.startsWith('delete f2 '));
      expect(firstDelete).toBeGreaterThan(indexOf(platform, 'state f1 active'));
      expect(platform.when(/^delete f2 /) - platform.when(/^state f1 active$/)).toBeGreaterThanOrEqual(3 * HOUR);
      expect(platform.calls.filter((call) => call.startsWith('delete f2 ')).sort()).toEqual(topics.map((t) => `delete f2 ${t}`));
    });

    it('leaves the cluster failed when a topic does not move back, naming it', async () => {
      const platform = new FakeOperationPlatform();
      for (const topic of ['ok', 'stuck']) platform.place(topic, f2.name);
      platform.refused.add('stuck');

      const error = await ts
        .withWorker(platform, (taskQueue) => ts.env.client.workflow.execute(clusterFailback, { taskQueue, workflowId: uniqueName('failback'), args: [failbackInput(['ok', 'stuck'], 4)] }))
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(WorkflowFailedError);
      expect(((error as WorkflowFailedError).cause as Error).message).toMatch(/failback of f1: 1 topic\(s\) did not move back \(stuck: .*topic "stuck" not found.*\); the cluster stays failed/);
      expect(platform.placements.get('ok')).toEqual({ producers: ['f1'], consumers: ['f1'] });
      expect(platform.calls.filter((call) => call.startsWith('state'))).toEqual([]);
    });

    it('aborted in its tail: every child rolls back (producers to the standby again) and the cluster goes back to failed', async () => {
      const platform = new FakeOperationPlatform();
      const topics = ['t1', 't2'];
      for (const topic of topics) platform.place(topic, f2.name);
      const workflowId = uniqueName('failback');

      const { result, progress, children } = await ts.withWorker(platform, async (taskQueue) => {
        const handle = await ts.env.client.workflow.start(clusterFailback, { taskQueue, workflowId, args: [failbackInput(topics, 2)] });
        const tail = await intoTails(handle);
        expect(platform.clusterStates.get('f1')).toBe('active');
        expect([...tail.children].sort()).toEqual(topics.map((t) => `${workflowId}/topic-move:${t}`));

        await handle.signal(moveSignals.abort);
        // Producers go back within minutes, and the cluster's state with them, while the
        // children keep f1's copies readable for their retention.
        await ts.env.sleep(30 * MINUTE);
        for (const topic of topics) expect(platform.placements.get(topic)).toEqual({ producers: ['f2'], consumers: ['f2', 'f1'] });
        expect(platform.clusterStates.get('f1')).toBe('failed');
        expect(platform.calls.filter((call) => call.startsWith('delete'))).toEqual([]);

        const outcome = await handle.result();
        const childResults = await Promise.all(tail.children.map((id) => ts.env.client.workflow.getHandle(id).result() as Promise<TopicMoveResult>));
        const childProgress = await Promise.all(tail.children.map((id) => ts.env.client.workflow.getHandle(id).query<MoveProgress>(moveQueries.progress)));
        return { result: outcome, progress: await handle.query<FailbackProgress>(clusterQueries.progress), children: { results: childResults, progress: childProgress } };
      });

      expect(result).toEqual({ cluster: 'f1', moved: [], aborted: true });
      expect(progress).toMatchObject({ state: 'aborted', phase: 'done' });
      expect(children.results.map((r) => r.aborted)).toEqual([true, true]);
      expect(children.progress.map((p) => p.state)).toEqual(['aborted', 'aborted']);
      expect(platform.calls.filter((call) => call.startsWith('state'))).toEqual(['state f1 active', 'state f1 failed']);
      for (const topic of topics) {
        expect(platform.placements.get(topic)).toEqual({ producers: ['f2'], consumers: ['f2'] });
        // The copy on f1 held what producers wrote there before the abort: kept for its retention, then deleted.
        expect(platform.when(new RegExp(`^delete f1 ${topic}$`)) - platform.when(new RegExp(`^publish ${topic} producers=f2`))).toBeGreaterThanOrEqual(4 * HOUR);
      }
      expect(platform.calls.filter((call) => call.startsWith('delete f2'))).toEqual([]);
    });
  });

  describe('drain', () => {
    it('retires the cluster only after every move’s tail released and deleted its source there', async () => {
      const platform = new FakeOperationPlatform();
      const topics = ['d1', 'd2', 'd3'];
      for (const topic of topics) platform.place(topic, f2.name);
      const input: ClusterFailbackInput = { cluster: f2, moves: topics.map((topic) => moveInput(topic, f2, f1)), parallelism: 2, previousState: 'active' };

      const result = await ts.withWorker(platform, async (taskQueue) => {
        const handle = await ts.env.client.workflow.start(clusterDrain, { taskQueue, workflowId: uniqueName('drain'), args: [input] });
        const tail = await intoTails(handle);
        expect(tail).toMatchObject({ kind: 'cluster-drain', step: 'retain-sources', topics: { total: 3, moved: 3, completed: 0 } });
        expect(platform.clusterStates.has('f2')).toBe(false);
        for (const topic of topics) expect(platform.placements.get(topic)?.consumers).toEqual(['f2', 'f1']);
        return handle.result();
      });

      expect([...result.moved].sort()).toEqual(topics);
      const retired = indexOf(platform, 'state f2 retired');
      for (const topic of topics) {
        expect(indexOf(platform, `delete f2 ${topic}`)).toBeLessThan(retired);
        expect(platform.when(/^state f2 retired$/) - platform.when(new RegExp(`^publish ${topic} producers=f1`))).toBeGreaterThanOrEqual(4 * HOUR);
      }
      expect(platform.calls.filter((call) => call.startsWith('state'))).toEqual(['state f2 retired']);
    });
  });
});
