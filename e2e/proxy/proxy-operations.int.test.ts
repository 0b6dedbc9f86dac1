// The proxy under a topic move and a cluster failover: records keep being answered 200 while the
// topic's producers switch clusters, and every record answered 200 is read back afterwards by a
// new consumer group (a sequence audit), from the old cluster during its tail and the new one.
import { testCluster } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readAll, startProxyPlatform, type ProxyPlatform, type ProxyProcess } from './proxy-platform';

let platform: ProxyPlatform;
let proxy: ProxyProcess;

beforeAll(async () => {
  platform = await startProxyPlatform();
  await platform.startWorker();
  proxy = await platform.startProxy();
}, 120_000);

afterAll(async () => {
  await platform?.stop();
}, 60_000);

/** Writes batches of 10 numbered records over HTTP until stopped; what was answered 200, and the other statuses. */
function startLoad(topic: string, token: string) {
  const answered: string[] = [];
  const refused = new Map<number, number>();
  let producing = true;
  const running = (async () => {
    for (let i = 0; producing; i++) {
      const values = Array.from({ length: 10 }, (_, j) => `s${i}-${j}`);
      const answer = await proxy.post(`/v1/topics/${topic}/records`, { records: values.map((value) => ({ value })) }, { token });
      if (answer.status === 200) answered.push(...values.map((value) => JSON.stringify(value)));
      else refused.set(answer.status, (refused.get(answer.status) ?? 0) + 1);
    }
  })();
  return {
    answered,
    refused,
    stop: async () => {
      producing = false;
      await running;
    },
  };
}

async function waitForPhase(workflowId: string, done: (status: { progress?: { phase?: string } | null; clusterProgress?: { phase?: string } | null }) => boolean): Promise<void> {
  const admin = platform.management.admin();
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (done(await admin.operations.status.query({ workflowId }))) return;
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
  throw new Error(`operation ${workflowId} did not reach the phase in 90 s`);
}

describe('HTTP proxy under operations', () => {
  it('keeps answering during a topic move; every record answered 200 is in Kafka', async () => {
    const topic = await platform.topic(3, 60_000);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const load = startLoad(topic, app.token);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const admin = platform.management.admin();
    const { workflowId } = await admin.operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300 });
    await waitForPhase(workflowId, (status) => status.progress?.phase === 'tail');
    // Producers (the proxy among them) are on the target now; keep writing there a while.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await load.stop();
    expect((await admin.topics.describe.query({ name: topic })).placement.producers).toEqual(['fronting-2']);
    expect(load.answered.length).toBeGreaterThan(500);
    const read = new Set(await readAll(platform, topic, (values) => values.length >= load.answered.length, 60_000));
    expect(load.answered.filter((value) => !read.has(value))).toEqual([]);
    // The switch itself refuses nothing: a record waits for its new cluster instead.
    expect([...load.refused.keys()].filter((status) => status !== 503)).toEqual([]);
  }, 180_000);

  it('keeps every answered record through a failover after kill -9 of the topic\'s cluster', async () => {
    const topic = await platform.topic(3, 30_000);
    const app = await platform.application([{ verb: 'PUT', resource: '/topics/**' }]);
    const fronting1 = testCluster('fronting-1').control;
    const load = startLoad(topic, app.token);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await fronting1.kill();
      const admin = platform.management.admin();
      const { workflowId } = await admin.operations.failoverCluster.mutate({ cluster: 'fronting-1', pollMs: 300, maxPollMs: 1_000 });
      await waitForPhase(workflowId, (status) => status.clusterProgress?.phase === 'tail');
      // Answers resume on the standby while fronting-1 is still dead.
      const atSwitch = load.answered.length;
      const deadline = Date.now() + 60_000;
      while (load.answered.length < atSwitch + 300 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(load.answered.length).toBeGreaterThanOrEqual(atSwitch + 300);
    } finally {
      await fronting1.restart();
      await load.stop();
    }
    // What fronting-1 acknowledged before it died is read from it now it is back, the rest from the standby.
    const read = new Set(await readAll(platform, topic, (values) => values.length >= load.answered.length, 90_000));
    expect(load.answered.filter((value) => !read.has(value))).toEqual([]);
    expect([...load.refused.keys()].filter((status) => status !== 503)).toEqual([]);
  }, 240_000);
});
