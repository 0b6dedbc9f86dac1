// Scale down without partition reassignment: drain a cluster (every topic moves off it with the
// topic move, a few at a time, under load). It is retired only once every move released its
// source there, after the topics' retention (short here): until then a consumer group created
// late still reads every record. An abort reaches every child move and gives the cluster back.
import { connectAdmin } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { readWithNewGroup, startLoad, startOperationsPlatform, waitForOperation, type OperationStatus, type OperationsPlatform } from './operations-platform';

const RETENTION_MS = 20_000;

describe('cluster drain', () => {
  let platform: OperationsPlatform;

  beforeAll(async () => {
    platform = await startOperationsPlatform();
    await platform.startWorker();
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const waitFor = (workflowId: string, until: (s: OperationStatus) => boolean, timeoutMs = 150_000): Promise<OperationStatus> => waitForOperation(platform, workflowId, until, timeoutMs);
  const clusterState = async (name: string) => (await platform.management.admin().clusters.list.query()).find((c) => c.name === name)?.state;

  it('aborts a drain after its producers moved: every child move goes back, the cluster is active again, nothing lost', async () => {
    const admin = platform.management.admin();
    const topic = uniqueName('drain-abort');
    await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions: 2, cluster: 'fronting-1', retentionMs: RETENTION_MS });
    const load = await startLoad(platform, topic, { keyed: false, consume: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const started = await admin.operations.drainCluster.mutate({ cluster: 'fronting-1', parallelism: 2, pollMs: 300 });
      const active = await waitFor(started.workflowId, (s) => s.clusterProgress?.phase === 'tail');
      const childId = `${started.workflowId}/topic-move:${topic}`;
      expect(active.children.map((c) => c.workflowId)).toContain(childId);
      expect(await clusterState('fronting-1')).toBe('draining');

      await admin.operations.signal.mutate({ workflowId: started.workflowId, signal: 'abort' });
      await waitFor(childId, (s) => s.progress?.state === 'aborting' || s.progress?.state === 'aborted');
      // Producers are back on fronting-1 and it is active again while fronting-2, which took
      // writes during the drain, stays readable for their retention: a group created now reads all.
      const back = await waitFor(started.workflowId, (s) => s.clusterProgress?.state === 'aborting' && s.children.every((c) => c.progress?.phase !== 'active'));
      await vi.waitFor(async () => expect(await clusterState('fronting-1')).toBe('active'), { timeout: 60_000, interval: 300 });
      expect(back.status).toBe('running');
      await load.stopProducing();
      const late = await readWithNewGroup(platform, topic, load.acknowledged);
      const done = await waitFor(started.workflowId, (s) => s.status !== 'running');

      expect(late.missing).toEqual([]);
      expect(done.status).toBe('aborted');
      expect(await clusterState('fronting-1')).toBe('active');
      expect((await admin.topics.describe.query({ name: topic })).placement).toEqual({ producers: ['fronting-1'], consumers: ['fronting-1'] });
    } finally {
      await load.close();
    }
  }, 240_000);

  it('moves every topic off the cluster under load; a group created after the move reads everything; retired once its sources are released', async () => {
    const admin = platform.management.admin();
    const topics = [uniqueName('drain-a'), uniqueName('drain-b'), uniqueName('drain-c')];
    for (const topic of topics) await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions: 2, cluster: 'fronting-1', retentionMs: RETENTION_MS });
    const load = await startLoad(platform, topics[0] ?? '', { keyed: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const started = await admin.operations.drainCluster.mutate({ cluster: 'fronting-1', parallelism: 2, pollMs: 300 });
      expect(started.moves.map((m) => m.to)).toEqual(started.moves.map(() => 'fronting-2'));
      expect(started.moves.map((m) => m.topic)).toEqual(expect.arrayContaining(topics));
      await expect(admin.topics.create.mutate({ name: uniqueName('late'), tier: 'medium', cluster: 'fronting-1' })).rejects.toThrow(/fronting-1/);

      await waitFor(started.workflowId, (s) => s.clusterProgress?.phase === 'tail');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await load.stopProducing();
      // Producers left fronting-1, but it still holds what it acknowledged and is not retired.
      expect(await clusterState('fronting-1')).toBe('draining');
      const late = await readWithNewGroup(platform, topics[0] ?? '', load.acknowledged);
      expect(late.missing).toEqual([]);

      const status = await waitFor(started.workflowId, (s) => s.status !== 'running');
      const readDeadline = Date.now() + 60_000;
      while (load.missing().length > 0 && Date.now() < readDeadline) await new Promise((resolve) => setTimeout(resolve, 250));

      expect(status.status).toBe('completed');
      expect(load.missing()).toEqual([]);
      const source = await connectAdmin({ bootstrap: testCluster('fronting-1').bootstrap });
      try {
        for (const topic of topics) {
          expect((await admin.topics.describe.query({ name: topic })).placement).toEqual({ producers: ['fronting-2'], consumers: ['fronting-2'] });
          expect(await source.partitionCount(topic)).toBeUndefined();
        }
      } finally {
        await source.close();
      }
      expect(await clusterState('fronting-1')).toBe('retired');
      expect(Object.keys((await admin.mapping.current.query())?.document.clusters ?? {})).not.toContain('fronting-1');
    } finally {
      await load.close();
    }
  }, 240_000);
});
