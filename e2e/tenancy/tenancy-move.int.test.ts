// A topic move under load from an application that authenticates at the brokers: its ACLs and
// credential are on the target cluster before producers switch (they are kept on every active
// cluster), so no send is refused on the way, and every acknowledged record is read back, as the
// application, by a consumer group created afterwards.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { produceUntilStopped, startTenancyPlatform, unreadByNewGroup, waitForPhase, type TenancyPlatform } from './tenancy-platform';

describe('tenancy at the brokers through a topic move', () => {
  let platform: TenancyPlatform;

  beforeAll(async () => {
    platform = await startTenancyPlatform();
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  }, 60_000);

  it('moves a topic an authenticated application produces to: nothing refused, nothing lost', async () => {
    const app = await platform.application();
    await platform.management.admin().topics.create.mutate({ name: app.topic, tier: 'medium', partitions: 3, cluster: platform.clusters.one, retentionMs: 300_000 });
    const load = await produceUntilStopped(app);
    try {
      await sleep(1_500);
      const { workflowId } = await platform.management.admin().operations.moveTopic.mutate({ topic: app.topic, to: platform.clusters.two, pollMs: 300 });
      const status = await waitForPhase(platform.management, workflowId, 'tail');
      expect(status.progress?.phase, JSON.stringify(status)).toBe('tail');
      expect((await platform.management.admin().topics.describe.query({ name: app.topic })).placement.producers).toEqual([platform.clusters.two]);
      await sleep(1_500);
    } finally {
      await load.stop();
    }

    expect(load.refused).toEqual([]);
    expect(load.acknowledged.size).toBeGreaterThan(100);
    expect(await unreadByNewGroup(app, load.acknowledged)).toEqual([]);
  }, 240_000);
});
