// Scale down without partition reassignment: drain a cluster (every topic moves off it with the
// topic move, a few at a time, under load), then it is retired and leaves the mapping.
import { uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoad, startOperationsPlatform, type OperationsPlatform } from './operations-platform';

describe('cluster drain', () => {
  let platform: OperationsPlatform;

  beforeAll(async () => {
    platform = await startOperationsPlatform();
    await platform.startWorker();
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  it('moves every topic off the cluster under load, loses nothing, then retires it', async () => {
    const admin = platform.management.admin();
    const topics = [uniqueName('drain-a'), uniqueName('drain-b'), uniqueName('drain-c')];
    for (const topic of topics) await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions: 2, cluster: 'fronting-1' });
    const load = await startLoad(platform, topics[0] ?? '', { keyed: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const started = await admin.operations.drainCluster.mutate({ cluster: 'fronting-1', parallelism: 2, pollMs: 300 });
      expect(started.moves.map((m) => m.to)).toEqual(['fronting-2', 'fronting-2', 'fronting-2']);
      await expect(admin.topics.create.mutate({ name: uniqueName('late'), tier: 'medium', cluster: 'fronting-1' })).rejects.toThrow(/fronting-1/);

      const deadline = Date.now() + 150_000;
      let status = await admin.operations.status.query({ workflowId: started.workflowId });
      while (status.status === 'running' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        status = await admin.operations.status.query({ workflowId: started.workflowId });
      }
      await load.stopProducing();
      const readDeadline = Date.now() + 60_000;
      while (load.missing().length > 0 && Date.now() < readDeadline) await new Promise((resolve) => setTimeout(resolve, 250));

      expect(status.status).toBe('completed');
      expect(load.missing()).toEqual([]);
      for (const topic of topics) {
        expect((await admin.topics.describe.query({ name: topic })).placement).toEqual({ producers: ['fronting-2'], consumers: ['fronting-2'] });
      }
      expect((await admin.clusters.list.query()).find((c) => c.name === 'fronting-1')?.state).toBe('retired');
      expect(Object.keys((await admin.mapping.current.query())?.document.clusters ?? {})).not.toContain('fronting-1');
    } finally {
      await load.close();
    }
  }, 240_000);
});
