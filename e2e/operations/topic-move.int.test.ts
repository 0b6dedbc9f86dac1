// Topic moves on the real platform: management starts the workflow on the real Temporal server,
// a real worker process runs it against real Kafka clusters, while a smart producer and consumer
// keep traffic flowing and report heartbeats. Every acknowledged record must be consumed, also by
// a consumer group created after the move: the source stays readable for the topic's retention
// (short here, so the tail ends within the test) and is deleted only then.
import { runCli } from '@flotilla/cli';
import { connectAdmin } from '@flotilla/kafka';
import { Kafka, logLevel } from 'kafkajs';
import { testCluster, uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  orderViolations,
  partitionsOn,
  readWithNewGroup,
  startLoad,
  startOperationsPlatform,
  waitForOperation,
  type OperationStatus,
  type OperationsPlatform,
  type WorkerProcess,
} from './operations-platform';

/** Short, so a move's tail (the source kept readable for retention) ends within a test. */
const RETENTION_MS = 20_000;

type Status = OperationStatus;

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
  const waitFor = (workflowId: string, until: (s: Status) => boolean, timeoutMs?: number): Promise<Status> => waitForOperation(platform, workflowId, until, timeoutMs);

  async function createTopic(keyed: boolean, retentionMs = RETENTION_MS): Promise<string> {
    const topic = uniqueName(keyed ? 'move-keyed' : 'move');
    await platform.management.admin().topics.create.mutate({ name: topic, tier: 'medium', partitions: 3, keyed, cluster: 'fronting-1', retentionMs });
    return topic;
  }

  async function readEverything(load: Awaited<ReturnType<typeof startLoad>>): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (load.missing().length > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
  }

  it('moves a topic under produce and consume load: nothing lost, the source readable for its retention, then dropped', async () => {
    const topic = await createTopic(false);
    const load = await startLoad(platform, topic, { keyed: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const { workflowId } = await platform.management.admin().operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300 });

      const active = await waitFor(workflowId, (s) => s.progress?.phase === 'tail');
      expect(active.status).toBe('running');
      expect(active.progress).toMatchObject({ step: 'retain-source', producers: { fenced: false } });
      expect(active.progress?.tail?.readableUntil).toBeGreaterThan(Date.now());
      expect((await platform.management.admin().topics.describe.query({ name: topic })).placement).toEqual({ producers: ['fronting-2'], consumers: ['fronting-1', 'fronting-2'] });

      const done = await waitFor(workflowId, (s) => s.status !== 'running');
      await load.stopProducing();
      await readEverything(load);

      expect(done.status).toBe('completed');
      expect(done.progress).toMatchObject({ step: 'done', phase: 'done', producers: { fenced: false } });
      expect(done.progress?.producers.switched).toBe(done.progress?.producers.total);
      expect(done.progress?.producers.total).toBeGreaterThanOrEqual(1);
      // Released at its retention, not earlier: the load's group had read everything long before.
      expect(Date.now()).toBeGreaterThanOrEqual((active.progress?.tail?.producersLeftAt ?? Number.POSITIVE_INFINITY) + RETENTION_MS);
      expect(done.result).toMatchObject({ releasedEarly: false });
      expect(load.acknowledged.size).toBeGreaterThan(500);
      expect(load.missing()).toEqual([]);
      const described = await platform.management.admin().topics.describe.query({ name: topic });
      expect(described.placement).toEqual({ producers: ['fronting-2'], consumers: ['fronting-2'] });
      expect(await partitionsOn('fronting-1', topic)).toBeUndefined();
    } finally {
      await load.close();
    }
  }, 180_000);

  it('moves a topic nobody consumes yet: a consumer group created after the move reads every acknowledged record', async () => {
    const topic = await createTopic(false);
    // No consumer group at all, as on a fronting cluster before its router starts.
    const load = await startLoad(platform, topic, { keyed: false, consume: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const { workflowId } = await platform.management.admin().operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300 });
      await waitFor(workflowId, (s) => s.progress?.phase === 'tail');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await load.stopProducing();
      const onSource = await sourceRecords(topic);

      const late = await readWithNewGroup(platform, topic, load.acknowledged);
      const status = await waitFor(workflowId, () => true);

      expect(onSource).toBeGreaterThan(0);
      expect(load.acknowledged.size).toBeGreaterThan(500);
      expect(late.missing).toEqual([]);
      // Read while the source is still on the consumer side: retention has not passed.
      expect(status.status).toBe('running');
      const done = await waitFor(workflowId, (s) => s.status !== 'running');
      expect(done.status).toBe('completed');
      expect(await partitionsOn('fronting-1', topic)).toBeUndefined();
    } finally {
      await load.close();
    }
  }, 180_000);

  it('keeps per-key order across a keyed move, for the group that ran and for one created after it', async () => {
    const topic = await createTopic(true);
    const load = await startLoad(platform, topic, { keyed: true });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const { workflowId } = await platform.management.admin().operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300 });

      const active = await waitFor(workflowId, (s) => s.progress?.phase === 'tail');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await load.stopProducing();
      const late = await readWithNewGroup(platform, topic, load.acknowledged);
      await readEverything(load);
      const done = await waitFor(workflowId, (s) => s.status !== 'running');

      expect(active.progress?.sealed).not.toBeNull();
      expect(done.status).toBe('completed');
      expect(load.missing()).toEqual([]);
      expect(orderViolations(load.received)).toEqual([]);
      expect(late.missing).toEqual([]);
      expect(orderViolations(late.received)).toEqual([]);
    } finally {
      await load.close();
    }
  }, 180_000);

  it('releases the source early only when asked and only once a live group read it to the end', async () => {
    // An hour of retention: only an early release can end this move within the test.
    const topic = await createTopic(false, 3_600_000);
    const withoutGroup = await createTopic(false, 3_600_000);
    const load = await startLoad(platform, topic, { keyed: false });
    const silent = await startLoad(platform, withoutGroup, { keyed: false, consume: false });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const admin = platform.management.admin();
      const released = await admin.operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300, releaseWhenDrained: true });
      const held = await admin.operations.moveTopic.mutate({ topic: withoutGroup, to: 'fronting-2', pollMs: 300 });

      const done = await waitFor(released.workflowId, (s) => s.status !== 'running');
      expect(done.status).toBe('completed');
      expect(done.result).toMatchObject({ releasedEarly: true });
      expect(await partitionsOn('fronting-1', topic)).toBeUndefined();

      // No group has read the other one: asked to release it, the move names why it waits.
      await waitFor(held.workflowId, (s) => s.progress?.phase === 'tail');
      await admin.operations.signal.mutate({ workflowId: held.workflowId, signal: 'release' });
      const blocked = await waitFor(held.workflowId, (s) => (s.progress?.tail?.blockedBy ?? '') !== '');
      expect(blocked.status).toBe('running');
      expect(blocked.progress?.tail?.blockedBy).toContain('no live consumer group has read fronting-1');
      expect(await partitionsOn('fronting-1', withoutGroup)).toBe(3);
      await silent.stopProducing();
      const late = await readWithNewGroup(platform, withoutGroup, silent.acknowledged);
      expect(late.missing).toEqual([]);
      // That late group read it to the end: now the early release goes through.
      expect((await waitFor(held.workflowId, (s) => s.status !== 'running')).result).toMatchObject({ releasedEarly: true });
    } finally {
      await load.close();
      await silent.close();
    }
  }, 180_000);

  it('refuses a move onto a cluster that holds an older copy of the topic, and starts clean when told to', async () => {
    const topic = await createTopic(false);
    const admin = platform.management.admin();
    // An old copy on fronting-2 with records nobody reads through the mapping.
    const target = await connectAdmin({ bootstrap: testCluster('fronting-2').bootstrap });
    await target.ensureTopic({ topic, partitions: 1, replicationFactor: 1 });
    await target.close();
    const old = new Kafka({ brokers: testCluster('fronting-2').bootstrap, logLevel: logLevel.NOTHING }).producer();
    await old.connect();
    await old.send({ topic, messages: [{ value: 'old:0' }, { value: 'old:1' }] });
    await old.disconnect();

    await expect(admin.operations.moveTopic.mutate({ topic, to: 'fronting-2' })).rejects.toThrow(/fronting-2": it still holds an older copy of the topic \(2 records\)/);

    const load = await startLoad(platform, topic, { keyed: false, consume: false });
    try {
      const { workflowId } = await admin.operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300, replaceStaleTarget: true });
      await waitFor(workflowId, (s) => s.progress?.phase === 'tail');
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await load.stopProducing();
      const late = await readWithNewGroup(platform, topic, load.acknowledged);
      expect(late.missing).toEqual([]);
      expect(late.received.filter((value) => value.startsWith('old:'))).toEqual([]);
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
      expect(done.progress?.phase).toBe('done');
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
      // The target was kept readable for its retention after producers left it, then dropped.
      expect(await partitionsOn('fronting-2', topic)).toBeUndefined();
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

  it('follows a move from the CLI: one JSON line per change, returning when producers are on the target', async () => {
    const topic = await createTopic(false);
    const lines: string[] = [];
    const output = (json: boolean) => ({ json, write: (text: string) => void lines.push(text.trim()), error: (text: string) => void lines.push(`ERR ${text.trim()}`) });

    const code = await runCli(['topics', 'move', topic, '--to', 'fronting-2', '--json'], {
      url: platform.management.url,
      token: platform.management.adminToken,
      tokenFile: '/nonexistent',
      output,
    });

    const events = lines.map((line) => JSON.parse(line) as { workflowId: string; status: string; progress: { step: string; phase: string } | null });
    expect(code).toBe(0);
    expect(events.at(-1)).toMatchObject({ status: 'running', progress: { step: 'retain-source', phase: 'tail' } });
    expect(new Set(events.map((e) => e.progress?.step)).size).toBeGreaterThan(1);

    // --follow --wait stays to the end of the tail.
    lines.length = 0;
    const waited = await runCli(['operations', 'status', events.at(-1)?.workflowId ?? '', '--follow', '--wait', '--json'], {
      url: platform.management.url,
      token: platform.management.adminToken,
      tokenFile: '/nonexistent',
      output,
    });
    expect(waited).toBe(0);
    expect(JSON.parse(lines.at(-1) ?? '{}')).toMatchObject({ status: 'completed', progress: { step: 'done', phase: 'done' } });
  }, 180_000);
});

async function sourceRecords(topic: string): Promise<bigint> {
  const admin = await connectAdmin({ bootstrap: testCluster('fronting-1').bootstrap });
  try {
    return (await admin.describeTopic(topic))?.records ?? 0n;
  } finally {
    await admin.close();
  }
}
