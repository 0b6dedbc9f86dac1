// The router under faults and operations, end to end: a destination cluster killed with kill -9
// and brought back, topic moves of a route's source and of its destination while it routes, and
// the router instances `routes describe` reports as routers come and go. Every test judges loss
// by reading the destination with a consumer group created afterwards.
//
// The cluster killed here is one of this file's own (a single broker it starts and stops): the test
// fleet's clusters are shared by every test of the run.
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ROUTE_INSTANCE_ACTIVE_MS } from '@flotilla/api';
import { runCli } from '@flotilla/cli';
import type { MultiClusterProducer } from '@flotilla/client';
import { startCluster, type KafkaCluster } from '@flotilla/local-kafka';
import { testPlatform, uniqueName } from '@flotilla/testing';
import { readWithNewGroup, startRouterPlatform, type Read, type RouterPlatform, type RouterProcess } from './router-platform';

/** This file's consumer cluster: above the fleet's ports and the 3-broker test's (19392). */
const DEST_CLUSTER = 'router-dest-1';
const DEST_BASE_PORT = 19_592;
const OUT = 'flotilla_router_records_out_total';

let platform: RouterPlatform | undefined;
let destCluster: KafkaCluster | undefined;

beforeAll(async () => {
  const { portOffset, runDir } = testPlatform();
  destCluster = await startCluster({ name: DEST_CLUSTER, basePort: DEST_BASE_PORT + portOffset, runDir, heapMb: 384 });
  platform = await startRouterPlatform();
  await platform.addConsumerCluster(DEST_CLUSTER, destCluster.bootstrap);
  await platform.startWorker();
}, 180_000);

afterAll(async () => {
  // Each on its own: a failed platform stop must not leave the cluster's JVM running.
  await platform?.stop().catch(() => undefined);
  await destCluster?.stop();
}, 120_000);

const the = (): RouterPlatform => {
  if (!platform) throw new Error('the router platform did not start');
  return platform;
};

interface SourceLoad {
  /** Values the source acknowledged. */
  readonly acknowledged: Set<string>;
  stop(): Promise<void>;
}

/** Sends numbered records to `topic` in small batches until stopped; a failed send is simply not acknowledged. */
async function startSourceLoad(topic: string, perBatch = 50, everyMs = 50): Promise<SourceLoad> {
  const producer: MultiClusterProducer = await the().producer();
  const acknowledged = new Set<string>();
  let producing = true;
  let next = 0;
  const loop = (async () => {
    while (producing) {
      const values = Array.from({ length: perBatch }, () => String(next++));
      await producer.send({ topic, messages: values.map((value) => ({ value })) }).then(
        () => values.forEach((value) => acknowledged.add(value)),
        () => undefined,
      );
      await sleep(everyMs);
    }
  })();
  return {
    acknowledged,
    async stop() {
      producing = false;
      await loop;
    },
  };
}

async function addRoute(source: string, destination: string): Promise<string> {
  const name = uniqueName('fault');
  await the().management.admin().routes.add.mutate({ definition: { name, source, destinations: [{ topic: destination }], deadLetterTopic: await the().consumerTopic(1) } });
  return name;
}

async function waitForOut(router: RouterProcess, route: string, atLeast: number, timeout = 60_000): Promise<void> {
  await vi.waitFor(async () => expect(await router.counter(OUT, route)).toBeGreaterThanOrEqual(atLeast), { timeout, interval: 250 });
}

/** Every acknowledged value at the destination, read by a new group; duplicates are what it read more than once. */
async function audit(destination: string, acknowledged: ReadonlySet<string>): Promise<{ missing: string[]; duplicates: number }> {
  const read: Read = await readWithNewGroup(the(), destination, (r) => r.messages.length >= acknowledged.size && [...acknowledged].every((v) => seenIn(r).has(v)), 180_000);
  const seen = seenIn(read);
  return { missing: [...acknowledged].filter((value) => !seen.has(value)), duplicates: read.messages.length - seen.size };
}

const seenCache = new WeakMap<Read, { size: number; values: Set<string> }>();
/** The distinct values read so far (kept between polls, so a long read is not re-scanned each time). */
function seenIn(read: Read): Set<string> {
  const cached = seenCache.get(read) ?? { size: 0, values: new Set<string>() };
  for (let i = cached.size; i < read.messages.length; i += 1) cached.values.add(read.messages[i]?.value?.toString() ?? '');
  cached.size = read.messages.length;
  seenCache.set(read, cached);
  return cached.values;
}

type Status = Awaited<ReturnType<ReturnType<RouterPlatform['management']['admin']>['operations']['status']['query']>>;

async function waitForOperation(workflowId: string, until: (s: Status) => boolean, timeout = 120_000): Promise<Status> {
  let last: Status | undefined;
  await vi.waitFor(
    async () => {
      last = await the().management.admin().operations.status.query({ workflowId });
      if (last.status === 'failed') throw new Error(`operation failed: ${last.error}`);
      expect(until(last), JSON.stringify(last)).toBe(true);
    },
    { timeout, interval: 300 },
  );
  if (!last) throw new Error('no status');
  return last;
}

describe('router under faults', () => {
  it('pauses while its destination cluster is killed with kill -9 and resumes by itself when it is back: nothing lost, duplicates bounded', async () => {
    const cluster = destCluster;
    if (!cluster) throw new Error('the destination cluster did not start');
    const source = await the().frontingTopic(3);
    const destination = await the().topicOn(DEST_CLUSTER, 3);
    const route = await addRoute(source, destination);
    const router = await the().startRouter();
    const load = await startSourceLoad(source);
    try {
      await waitForOut(router, route, 2_000);
      await cluster.kill();
      // Sends in flight at the kill fail or time out; after that nothing is acknowledged.
      await sleep(3_000);
      const outWhileDown = await router.counter(OUT, route);
      await sleep(10_000);
      expect(await router.counter(OUT, route)).toBe(outWhileDown);

      await cluster.restart();
      // The same router process goes on by itself once the cluster answers.
      await waitForOut(router, route, outWhileDown + 2_000, 120_000);
    } finally {
      await load.stop();
    }
    const { missing, duplicates } = await audit(destination, load.acknowledged);
    expect(load.acknowledged.size).toBeGreaterThan(5_000);
    expect(missing).toEqual([]);
    // At most the batches in flight when the cluster died (retried whole), far from a replay.
    expect(duplicates).toBeLessThan(load.acknowledged.size / 4);
    await router.stop();
  }, 420_000);

  it('loses nothing when its source topic moves to another fronting cluster while it routes', async () => {
    const admin = the().management.admin();
    // A short retention, so the move's tail (the old source kept readable) ends within the test.
    const source = uniqueName('move-source');
    await admin.topics.create.mutate({ name: source, tier: 'medium', partitions: 3, cluster: 'fronting-1', retentionMs: 20_000 });
    const destination = await the().consumerTopic(3);
    const route = await addRoute(source, destination);
    const router = await the().startRouter();
    const load = await startSourceLoad(source);
    let done: Status;
    try {
      await waitForOut(router, route, 1_000);
      const { workflowId } = await admin.operations.moveTopic.mutate({ topic: source, to: 'fronting-2', pollMs: 300 });
      done = await waitForOperation(workflowId, (s) => s.status !== 'running', 180_000);
      // Records written to the source's new home flow too.
      await waitForOut(router, route, (await router.counter(OUT, route)) + 1_000);
    } finally {
      await load.stop();
    }
    expect(done.status).toBe('completed');
    expect((await admin.topics.describe.query({ name: source })).placement).toEqual({ producers: ['fronting-2'], consumers: ['fronting-2'] });
    const { missing } = await audit(destination, load.acknowledged);
    expect(missing).toEqual([]);
    await router.stop();
  }, 420_000);

  it('loses nothing when its destination topic moves to another consumer cluster while it routes; the move waits for the router to switch', async () => {
    const admin = the().management.admin();
    const source = await the().frontingTopic(3);
    const destination = await the().consumerTopic(3);
    const route = await addRoute(source, destination);
    const router = await the().startRouter();
    const load = await startSourceLoad(source);
    let active: Status;
    try {
      await waitForOut(router, route, 1_000);
      const { workflowId } = await admin.operations.moveTopic.mutate({ topic: destination, to: DEST_CLUSTER, pollMs: 300 });
      // The tail: producers (the router, by its heartbeats) write to the target; consumers read both.
      active = await waitForOperation(workflowId, (s) => s.progress?.phase === 'tail', 180_000);
      await waitForOut(router, route, (await router.counter(OUT, route)) + 1_000);
    } finally {
      await load.stop();
    }
    expect(active.progress?.producers.total).toBeGreaterThanOrEqual(1);
    expect(active.progress?.producers.switched).toBe(active.progress?.producers.total);
    expect(active.progress?.producers.fenced).toBe(false);
    expect((await admin.topics.describe.query({ name: destination })).placement).toEqual({ producers: [DEST_CLUSTER], consumers: ['consumer-1', DEST_CLUSTER] });
    const { missing } = await audit(destination, load.acknowledged);
    expect(missing).toEqual([]);
    await router.stop();
  }, 420_000);

  it('describes a route with each router serving it, and drops a killed one within the drop-out time', async () => {
    const admin = the().management.admin();
    const source = await the().frontingTopic(2);
    const destination = await the().consumerTopic(2);
    const route = await addRoute(source, destination);
    const [first, second] = await Promise.all([the().startRouter(), the().startRouter()]);
    if (!first || !second) throw new Error('routers did not start');
    const producer = await the().producer();
    await producer.send({ topic: source, messages: Array.from({ length: 2_000 }, (_, i) => ({ value: String(i) })) });

    await vi.waitFor(
      async () => {
        const { instances } = await admin.routes.describe.query({ name: route });
        expect(instances.map((i) => i.clientId)).toEqual([first.instanceId, second.instanceId].sort());
        // Between them they read every record, as their windows count them, and have none left
        // (each counting only the partitions it holds after their rebalance).
        const read = instances.reduce((sum, i) => sum + i.windows.reduce((s, w) => s + w.in, 0), 0);
        expect(read).toBeGreaterThanOrEqual(2_000);
        expect(instances.map((i) => i.lag)).toEqual([0, 0]);
      },
      { timeout: 60_000, interval: 500 },
    );
    const lines: string[] = [];
    const code = await runCli(['routes', 'describe', route], {
      url: the().management.url,
      token: the().management.adminToken,
      tokenFile: '/nonexistent',
      output: (json) => ({ json, write: (text) => void lines.push(text), error: (text) => void lines.push(`ERR ${text}`) }),
    });
    expect(code).toBe(0);
    expect(lines.join('\n')).toContain(first.instanceId);
    expect(lines.join('\n')).toContain(second.instanceId);

    await first.kill();
    const killedAt = Date.now();
    await vi.waitFor(
      async () => expect((await admin.routes.describe.query({ name: route })).instances.map((i) => i.clientId)).toEqual([second.instanceId]),
      { timeout: ROUTE_INSTANCE_ACTIVE_MS + 10_000, interval: 500 },
    );
    // Not before three missed beats, and not long after.
    expect(Date.now() - killedAt).toBeGreaterThan(ROUTE_INSTANCE_ACTIVE_MS - 3_000);
    await second.stop();
  }, 180_000);
});
