// Topic moves on the real platform: management starts the workflow on the real Temporal server,
// a real worker process runs it against real Kafka clusters, while a smart producer and consumer
// keep traffic flowing and report heartbeats. Every acknowledged record must be consumed.
import { runCli } from '@flotilla/cli';
import { connectAdmin } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderViolations, startLoad, startOperationsPlatform, type OperationsPlatform, type WorkerProcess } from './operations-platform';

type Status = Awaited<ReturnType<ReturnType<OperationsPlatform['management']['admin']>['operations']['status']['query']>>;

describe('topic move', () => {
  let platform: OperationsPlatform;
  let worker: WorkerProcess;

  beforeAll(async () => {
    platform = await startOperationsPlatform();
    worker = await platform.startWorker();
  }, 120_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const status = (workflowId: string): Promise<Status> => platform.management.admin().operations.status.query({ workflowId });

  async function waitFor(workflowId: string, until: (s: Status) => boolean, timeoutMs = 120_000): Promise<Status> {
    const deadline = Date.now() + timeoutMs;
    let last: Status | undefined;
    while (Date.now() < deadline) {
      last = await status(workflowId);
      if (until(last)) return last;
      if (last.status === 'failed') throw new Error(`operation failed: ${last.error}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
    throw new Error(`operation did not get there in time; last: ${JSON.stringify(last)}`);
  }

  async function createTopic(keyed: boolean): Promise<string> {
    const topic = uniqueName(keyed ? 'move-keyed' : 'move');
    await platform.management.admin().topics.create.mutate({ name: topic, tier: 'medium', partitions: 3, keyed, cluster: 'fronting-1' });
    return topic;
  }

  async function readEverything(load: Awaited<ReturnType<typeof startLoad>>): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (load.missing().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  }

  it('moves a topic under produce and consume load: nothing lost, producers switched, the source drained and dropped', async () => {
    const topic = await createTopic(false);
    const load = await startLoad(platform, topic, { keyed: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const { workflowId } = await platform.management.admin().operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300 });

      const done = await waitFor(workflowId, (s) => s.status !== 'running');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await load.stopProducing();
      await readEverything(load);

      expect(done.status).toBe('completed');
      expect(done.progress).toMatchObject({ step: 'done', producers: { fenced: false } });
      expect(done.progress?.producers.switched).toBe(done.progress?.producers.total);
      expect(done.progress?.producers.total).toBeGreaterThanOrEqual(1);
      expect(load.acknowledged.size).toBeGreaterThan(500);
      expect(load.missing()).toEqual([]);
      const described = await platform.management.admin().topics.describe.query({ name: topic });
      expect(described.placement).toEqual({ producers: ['fronting-2'], consumers: ['fronting-2'] });
      const source = await connectAdmin({ bootstrap: testCluster('fronting-1').bootstrap });
      expect(await source.partitionCount(topic)).toBeUndefined();
      await source.close();
    } finally {
      await load.close();
    }
  }, 180_000);

  it('keeps per-key order across a keyed move', async () => {
    const topic = await createTopic(true);
    const load = await startLoad(platform, topic, { keyed: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const { workflowId } = await platform.management.admin().operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300 });

      const done = await waitFor(workflowId, (s) => s.status !== 'running');
      await load.stopProducing();
      await readEverything(load);

      expect(done.status).toBe('completed');
      expect(done.progress?.sealed).not.toBeNull();
      expect(load.missing()).toEqual([]);
      expect(orderViolations(load.received)).toEqual([]);
    } finally {
      await load.close();
    }
  }, 180_000);

  it('completes a move whose worker was killed -9 half-way, once a worker runs again, fencing a straggler', async () => {
    const topic = await createTopic(false);
    const load = await startLoad(platform, topic, { keyed: false });
    // A producer that never takes the new version keeps the move waiting in wait-producers
    // until its switch timeout, then gets fenced on the source.
    const straggler = setInterval(() => {
      void fetch(`${platform.management.url}/trpc/clients.heartbeat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.clientToken}` },
        body: JSON.stringify({ clientId: `straggler-${topic}`, kind: 'producer', mappingVersion: 1, produces: [topic] }),
      }).catch(() => {});
    }, 300);
    try {
      const { workflowId } = await platform.management.admin().operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300, producerSwitchTimeoutMs: 8_000 });
      await waitFor(workflowId, (s) => s.progress?.step === 'wait-producers');

      await worker.kill();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const stalled = await status(workflowId);
      worker = await platform.startWorker();
      const done = await waitFor(workflowId, (s) => s.status !== 'running');
      await load.stopProducing();
      await readEverything(load);

      expect(stalled.status).toBe('running');
      expect(done.status).toBe('completed');
      // The straggler never switched, so the move fenced the source once its timeout passed.
      expect(done.progress?.producers.fenced).toBe(true);
      expect(done.progress?.producers.switched).toBeLessThan(done.progress?.producers.total ?? 0);
      expect(load.missing()).toEqual([]);
      expect((await platform.management.admin().topics.describe.query({ name: topic })).placement.consumers).toEqual(['fronting-2']);
    } finally {
      clearInterval(straggler);
      await load.close();
    }
  }, 180_000);

  it('aborts a move half-way: the mapping goes back to the source and nothing is lost', async () => {
    const topic = await createTopic(false);
    const load = await startLoad(platform, topic, { keyed: false });
    // A producer that has not switched holds the move in wait-producers, with the real producer
    // already writing to the target: the abort then has real traffic to bring back.
    const straggler = setInterval(() => {
      void fetch(`${platform.management.url}/trpc/clients.heartbeat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${platform.clientToken}` },
        body: JSON.stringify({ clientId: `straggler-${topic}`, kind: 'producer', mappingVersion: 1, produces: [topic] }),
      }).catch(() => {});
    }, 300);
    try {
      const admin = platform.management.admin();
      const { workflowId } = await admin.operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300, producerSwitchTimeoutMs: 60_000 });
      await waitFor(workflowId, (s) => s.progress?.step === 'wait-producers' && s.progress.producers.switched >= 1);
      await admin.operations.signal.mutate({ workflowId, signal: 'pause' });
      await waitFor(workflowId, (s) => s.progress?.state === 'paused');

      await admin.operations.signal.mutate({ workflowId, signal: 'abort' });
      clearInterval(straggler);
      const done = await waitFor(workflowId, (s) => s.status !== 'running');
      await load.stopProducing();
      await readEverything(load);

      expect(done.status).toBe('aborted');
      expect(load.missing()).toEqual([]);
      expect((await admin.topics.describe.query({ name: topic })).placement).toEqual({ producers: ['fronting-1'], consumers: ['fronting-1'] });
      const target = await connectAdmin({ bootstrap: testCluster('fronting-2').bootstrap });
      expect(await target.partitionCount(topic)).toBeUndefined();
      await target.close();
    } finally {
      clearInterval(straggler);
      await load.close();
    }
  }, 180_000);

  it('refuses a second move of the same topic while one runs and a move to where it already is, and moves it again later', async () => {
    const topic = await createTopic(false);
    const admin = platform.management.admin();

    await expect(admin.operations.moveTopic.mutate({ topic, to: 'fronting-1' })).rejects.toThrow(`it already lives on "fronting-1"`);
    const { workflowId } = await admin.operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300 });
    await expect(admin.operations.moveTopic.mutate({ topic, to: 'fronting-2' })).rejects.toThrow(/in the middle of a change|already has a running operation/);
    await waitFor(workflowId, (s) => s.status !== 'running');

    // Once it is done, the same topic moves again (back), as a new operation of its own.
    const back = await admin.operations.moveTopic.mutate({ topic, to: 'fronting-1', pollMs: 300 });
    expect(back.workflowId).not.toBe(workflowId);
    expect((await waitFor(back.workflowId, (s) => s.status !== 'running')).status).toBe('completed');
    expect((await admin.topics.describe.query({ name: topic })).placement).toEqual({ producers: ['fronting-1'], consumers: ['fronting-1'] });
  }, 180_000);

  it('follows a move from the CLI: one JSON line per change, ending completed', async () => {
    const topic = await createTopic(false);
    const lines: string[] = [];
    const output = (json: boolean) => ({ json, write: (text: string) => void lines.push(text.trim()), error: (text: string) => void lines.push(`ERR ${text.trim()}`) });

    const code = await runCli(['topics', 'move', topic, '--to', 'fronting-2', '--json'], {
      url: platform.management.url,
      token: platform.management.adminToken,
      tokenFile: '/nonexistent',
      output,
    });

    const events = lines.map((line) => JSON.parse(line) as { status: string; progress: { step: string } | null });
    expect(code).toBe(0);
    expect(events.at(-1)).toMatchObject({ status: 'completed', progress: { step: 'done' } });
    expect(new Set(events.map((e) => e.progress?.step)).size).toBeGreaterThan(1);
  }, 180_000);
});
