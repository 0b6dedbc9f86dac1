// Topic expansion on the real platform. A non-keyed topic gains partitions where it is; a keyed
// topic moves to a placement with more partitions through the keyed handoff, so per-key order
// holds although keys change partitions (Kafka alone cannot do this). The old placement stays
// readable for the topic's retention (short here): a group created afterwards reads every record.
import { uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderViolations, partitionsOn, readWithNewGroup, startLoad, startOperationsPlatform, type OperationsPlatform } from './operations-platform';

describe('topic expand', () => {
  let platform: OperationsPlatform;

  beforeAll(async () => {
    platform = await startOperationsPlatform();
    await platform.startWorker();
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  async function finished(workflowId: string) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const status = await platform.management.admin().operations.status.query({ workflowId });
      if (status.status !== 'running') return status;
      if (Date.now() > deadline) throw new Error(`${workflowId} still running: ${JSON.stringify(status)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  it('adds partitions to a non-keyed topic in place', async () => {
    const topic = uniqueName('expand');
    const admin = platform.management.admin();
    await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions: 2, cluster: 'fronting-1' });

    const { workflowId, partitions } = await admin.operations.expandTopic.mutate({ topic, partitions: 5 });
    const done = await finished(workflowId);

    expect(done.status).toBe('completed');
    expect(partitions).toBe(5);
    expect(await partitionsOn('fronting-1', topic)).toBe(5);
    expect((await admin.topics.describe.query({ name: topic })).topic.partitions).toBe(5);
    await expect(admin.operations.expandTopic.mutate({ topic, partitions: 3 })).rejects.toThrow('partitions: expected more than its current 5, got 3');
  });

  it('expands a keyed topic by moving it to more partitions, keeping per-key order and every record, for a late group too', async () => {
    const topic = uniqueName('expand-keyed');
    const admin = platform.management.admin();
    await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions: 2, keyed: true, cluster: 'fronting-1', retentionMs: 20_000 });
    const load = await startLoad(platform, topic, { keyed: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const { workflowId } = await admin.operations.expandTopic.mutate({ topic, partitions: 6, pollMs: 300 });
      // The active part: producers on the new placement, the registry says 6 partitions.
      const deadline = Date.now() + 120_000;
      let status = await admin.operations.status.query({ workflowId });
      while (status.expandProgress?.phase !== 'tail' && status.status === 'running' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        status = await admin.operations.status.query({ workflowId });
      }
      expect(status.expandProgress).toMatchObject({ phase: 'tail', state: 'running' });
      expect(status.children.map((c) => c.workflowId)).toEqual([`${workflowId}/topic-move:${topic}`]);
      expect((await admin.topics.describe.query({ name: topic })).topic.partitions).toBe(6);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await load.stopProducing();
      // Still in its tail: the old placement on fronting-1 is readable, in key order.
      const late = await readWithNewGroup(platform, topic, load.acknowledged);
      expect(await partitionsOn('fronting-1', topic)).toBe(2);

      const done = await finished(workflowId);
      const readDeadline = Date.now() + 60_000;
      while (load.missing().length > 0 && Date.now() < readDeadline) await new Promise((resolve) => setTimeout(resolve, 250));

      expect(done.status).toBe('completed');
      expect(done.result).toMatchObject({ partitions: 6, clusters: ['fronting-2'] });
      expect(await partitionsOn('fronting-2', topic)).toBe(6);
      expect(await partitionsOn('fronting-1', topic)).toBeUndefined();
      expect(load.missing()).toEqual([]);
      expect(orderViolations(load.received)).toEqual([]);
      expect(late.missing).toEqual([]);
      expect(orderViolations(late.received)).toEqual([]);
      expect((await admin.topics.describe.query({ name: topic })).topic.partitions).toBe(6);
    } finally {
      await load.close();
    }
  }, 180_000);
});
