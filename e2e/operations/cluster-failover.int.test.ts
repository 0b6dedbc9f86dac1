// Cluster failover on the real platform: kill -9 a fronting cluster under produce and consume
// load, fail it over through management, bring it back, and check the promise of ARCHITECTURE.md
// §4: producers switch to the standby, and nothing a producer was told is accepted is lost —
// what the dead cluster acknowledged is read once it returns, by a group created then too; it
// leaves the consumer side only when the topic's retention has passed (short here). Failback then
// moves the topic home and reactivates the cluster, releasing the standby early once drained.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveMappingSource, MultiClusterConsumer } from '@flotilla/client';
import { connectAdmin, transportFor } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWithNewGroup, startLoad, startOperationsPlatform, waitForOperation, type OperationStatus, type OperationsPlatform } from './operations-platform';

/** Long enough for the killed cluster to come back within it; short enough for a test. */
const RETENTION_MS = 60_000;

type Status = OperationStatus;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('cluster failover', () => {
  let platform: OperationsPlatform;

  beforeAll(async () => {
    platform = await startOperationsPlatform();
    await platform.startWorker();
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const waitFor = (workflowId: string, until: (s: Status) => boolean, timeoutMs?: number): Promise<Status> => waitForOperation(platform, workflowId, until, timeoutMs);

  async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await pause(200);
    }
  }

  const placement = async (topic: string) => {
    const { placement: p } = await platform.management.admin().topics.describe.query({ name: topic });
    return { producers: [...p.producers].sort(), consumers: [...p.consumers].sort() };
  };
  const clusterState = async (name: string) => (await platform.management.admin().clusters.list.query()).find((c) => c.name === name)?.state;

  it('kill -9 under load: producers switch to the standby, what the dead cluster acknowledged is read after it returns, none lost; failback moves the topic home', async () => {
    const admin = platform.management.admin();
    const topic = uniqueName('failover');
    await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions: 3, cluster: 'fronting-1', retentionMs: RETENTION_MS });
    const fronting1 = testCluster('fronting-1').control;
    const load = await startLoad(platform, topic, { keyed: false });
    // A second consumer group that falls behind on purpose: it is paused before the kill, so
    // records fronting-1 acknowledged are still unread there when it dies.
    const lagging = await startReader(platform, topic);
    try {
      await pause(3_000);
      lagging.consumer.pause([{ topic }]);
      await pause(3_000);

      const acknowledgedBeforeKill = new Set(load.acknowledged);
      const laggingSawBeforeKill = new Set(lagging.received);
      await fronting1.kill();
      const killedAt = Date.now();
      const unreadAtKill = [...acknowledgedBeforeKill].filter((value) => !laggingSawBeforeKill.has(value));

      const { workflowId, standbys } = await admin.operations.failoverCluster.mutate({ cluster: 'fronting-1', pollMs: 300, maxPollMs: 1_000 });
      expect(standbys).toEqual({ [topic]: 'fronting-2' });
      const waiting = await waitFor(workflowId, (s) => s.clusterProgress?.phase === 'tail');
      expect(waiting.clusterProgress).toMatchObject({ kind: 'cluster-failover', step: 'retain-failed', topics: { total: 1, switched: 1, released: 0 } });
      expect(await clusterState('fronting-1')).toBe('failed');
      expect(await placement(topic)).toEqual({ producers: ['fronting-2'], consumers: ['fronting-1', 'fronting-2'] });

      // Produce availability comes back on the standby while fronting-1 is still dead, buffered
      // records included (the client re-sends what fronting-1 never acknowledged).
      const acknowledgedAtSwitch = load.acknowledged.size;
      await until('acknowledgements from the standby', () => load.acknowledged.size > acknowledgedAtSwitch + 300);
      const producingAgainAfterMs = Date.now() - killedAt;
      expect(fronting1.isRunning()).toBe(false);
      expect((await waitFor(workflowId, () => true)).status).toBe('running');

      await fronting1.restart();
      lagging.consumer.resume([{ topic }]);
      // Everything fronting-1 acknowledged before it died, and the lagging group had not read,
      // is read from it after it came back, within the tail.
      expect(unreadAtKill.length).toBeGreaterThan(0);
      await until('the lagging group reads what fronting-1 held', () => unreadAtKill.every((value) => lagging.received.includes(value)), RETENTION_MS);
      await waitFor(workflowId, (s) => s.clusterProgress?.kind === 'cluster-failover' && s.clusterProgress.returned === true);
      // A group created after the cluster returned reads every record it acknowledged before the kill.
      const late = await readWithNewGroup(platform, topic, acknowledgedBeforeKill);
      expect((await waitFor(workflowId, () => true)).status).toBe('running');
      expect(late.missing).toEqual([]);

      const failedOver = await waitFor(workflowId, (s) => s.status !== 'running', RETENTION_MS + 60_000);
      expect(failedOver.status).toBe('completed');
      expect(failedOver.clusterProgress).toMatchObject({ step: 'done', phase: 'done', returned: true, topics: { total: 1, switched: 1, released: 1 }, fenced: [], failed: {} });
      expect(Date.now() - killedAt).toBeGreaterThanOrEqual(RETENTION_MS);
      expect(await placement(topic)).toEqual({ producers: ['fronting-2'], consumers: ['fronting-2'] });
      // Failed until failback: no new topic lands on it meanwhile.
      expect(await clusterState('fronting-1')).toBe('failed');
      const source = await connectAdmin({ bootstrap: testCluster('fronting-1').bootstrap });
      expect(await source.partitionCount(topic)).toBeUndefined();
      await source.close();

      // The lagging group stops for good: with no members and no commits it must not hold the
      // failback's early release, only be reported.
      await lagging.close();

      const { workflowId: failbackId, topics } = await admin.operations.failbackCluster.mutate({ cluster: 'fronting-1', pollMs: 300, releaseWhenDrained: true, staleGroupMs: 3_000 });
      expect(topics).toEqual([topic]);
      const active = await waitFor(failbackId, (s) => s.clusterProgress?.phase !== 'active');
      expect(await clusterState('fronting-1')).toBe('active');
      expect(active.children.map((c) => c.workflowId)).toEqual([`${failbackId}/topic-move:${topic}`]);
      const failedBack = await waitFor(failbackId, (s) => s.status !== 'running', RETENTION_MS + 60_000);
      expect(failedBack.status).toBe('completed');
      expect(failedBack.clusterProgress).toMatchObject({ kind: 'cluster-failback', step: 'done', topics: { total: 1, moved: 1, completed: 1 }, failed: {} });
      const child = await admin.operations.status.query({ workflowId: `${failbackId}/topic-move:${topic}` });
      expect(child.result).toMatchObject({ releasedEarly: true });
      expect(child.progress?.tail?.groups.find((g) => g.stale)).toBeDefined();
      expect(await placement(topic)).toEqual({ producers: ['fronting-1'], consumers: ['fronting-1'] });
      expect(await clusterState('fronting-1')).toBe('active');

      await load.stopProducing();
      await until('every acknowledged record read', () => load.missing().length === 0, 60_000).catch(() => undefined);
      expect(load.missing()).toEqual([]);
      expect(load.acknowledged.size).toBeGreaterThan(1_000);
      process.stderr.write(
        `[failover] ${unreadAtKill.length} records unread on fronting-1 at the kill, all read after it returned; producing again ${producingAgainAfterMs} ms after the kill; ${load.acknowledged.size} acknowledged, none lost\n`,
      );
    } finally {
      await lagging.close();
      await load.close();
      // Later files need a healthy fleet whatever happened here.
      if (!fronting1.isRunning()) await fronting1.restart();
    }
  }, 300_000);

  it('refuses to fail back a cluster that is not failed, to fail over a cluster it does not know, and one without a standby', async () => {
    const admin = platform.management.admin();
    await expect(admin.operations.failbackCluster.mutate({ cluster: 'fronting-2' })).rejects.toThrow('cannot fail back cluster "fronting-2": cluster: it is active, expected failed');
    await expect(admin.operations.failoverCluster.mutate({ cluster: 'nowhere-1' })).rejects.toThrow('cluster "nowhere-1" not found');
    // A consumer cluster alone in its role: nothing could take its traffic.
    await admin.clusters.add.mutate({ name: 'consumer-1', role: 'consumer', bootstrap: testCluster('consumer-1').bootstrap });
    await expect(admin.operations.failoverCluster.mutate({ cluster: 'consumer-1' })).rejects.toThrow('cannot fail over: no other active consumer cluster to take its traffic');
    expect(await clusterState('consumer-1')).toBe('active');
  });
});

interface Reader {
  readonly consumer: MultiClusterConsumer;
  readonly received: string[];
  close(): Promise<void>;
}

/** A smart consumer group of its own on the topic, following management's mapping. */
async function startReader(platform: OperationsPlatform, topic: string): Promise<Reader> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'flotilla-reader-'));
  const consumer = new MultiClusterConsumer({
    groupId: uniqueName('lagging-group'),
    mapping: liveMappingSource({ url: platform.management.url, cacheFile: join(cacheDir, 'mapping.json') }),
    transport: transportFor('kafkajs'),
  });
  const received: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ message }) => {
      received.push(message.value?.toString() ?? '');
    },
  });
  return {
    consumer,
    received,
    async close() {
      await consumer.disconnect().catch(() => {});
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}
