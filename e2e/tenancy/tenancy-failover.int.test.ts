// A cluster failover (kill -9) under load from an application that authenticates at the brokers:
// its ACLs and credential are already on the standby (they are kept on every active cluster), so
// no send is refused while producers switch, and every acknowledged record, those the dead cluster
// held included, is read back by a consumer group created after it returned.
import { connectAdmin } from '@flotilla/kafka';
import { testCluster } from '@flotilla/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceUntilStopped, startTenancyPlatform, unreadByPlatformGroup, waitForPhase, type TenancyPlatform } from './tenancy-platform';

describe('tenancy at the brokers through a failover', () => {
  let platform: TenancyPlatform;

  beforeAll(async () => {
    platform = await startTenancyPlatform();
  }, 120_000);

  afterAll(async () => {
    // Later files need a healthy fleet whatever happened here.
    const fronting1 = testCluster('fronting-1').control;
    if (!fronting1.isRunning()) await fronting1.restart();
    await platform?.stop();
  }, 120_000);

  it('fails a killed cluster over under an authenticated producer: the standby takes it, nothing refused, nothing lost', async () => {
    const app = await platform.application();
    await platform.management.admin().topics.create.mutate({ name: app.topic, tier: 'medium', partitions: 3, cluster: platform.clusters.one, retentionMs: 120_000 });
    const fronting1 = testCluster('fronting-1').control;
    const load = await produceUntilStopped(app);
    let switched = false;
    try {
      await sleep(1_500);
      await fronting1.kill();
      const { workflowId } = await platform.management.admin().operations.failoverCluster.mutate({ cluster: platform.clusters.one, pollMs: 300, maxPollMs: 1_000 });
      const status = await waitForPhase(platform.management, workflowId, 'tail');
      expect(status.clusterProgress?.phase, JSON.stringify(status)).toBe('tail');
      const atSwitch = load.acknowledged.size;
      const deadline = Date.now() + 30_000;
      while (load.acknowledged.size < atSwitch + 200 && Date.now() < deadline) await sleep(100);
      switched = load.acknowledged.size >= atSwitch + 200;
    } finally {
      // The cluster first: a load stuck on it must not keep the fleet down.
      if (!fronting1.isRunning()) await fronting1.restart();
      await load.stop();
    }

    expect(switched).toBe(true);
    expect(load.refused).toEqual([]);
    // What fronting-1 acknowledged before it died is read from it once it serves the topic again
    // (a broker back from kill -9 recovers its logs first).
    const admin = await connectAdmin({ bootstrap: testCluster('fronting-1').bootstrap });
    try {
      await expect.poll(() => admin.topicOffsets(app.topic).then(() => true, () => false), { timeout: 60_000, interval: 500 }).toBe(true);
    } finally {
      await admin.close();
    }
    // Read back by the platform: an application's consumer group made right after the cluster came
    // back from kill -9 sometimes never joins on it (no error, no crash event; issue #25's note),
    // which this test does not hide by waiting longer. Nothing acknowledged may be missing.
    expect(await unreadByPlatformGroup(platform, app.topic, load.acknowledged)).toEqual([]);
  }, 240_000);
});
