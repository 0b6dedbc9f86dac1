// What the router tests share: a real management (in-process, PGlite, the test platform's
// Temporal), the test fleet's fronting-1 and consumer-1 registered, routed topics set up as an
// operator would (sources on fronting-1, destinations on consumer-1, a topic produced on
// fronting-1 and read on consumer-1 for a route from a topic to itself), router processes as real children (so a test can kill -9 one), and readers that
// audit a destination with a consumer group created afterwards. Routers and the applications'
// producers heartbeat with a data-plane token, so `routes describe` and topic moves see them; a
// worker process on the platform's own task queue runs operations when a test starts one.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { liveMappingSource, MultiClusterConsumer, MultiClusterProducer, type ConsumerMessage } from '@flotilla/client';
import { startHeartbeats, type HeartbeatReporter } from '@flotilla/client/internal';
import { connectAdmin, transportFor } from '@flotilla/kafka';
import { freePort } from '@flotilla/local-runtime';
import { startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { testCluster, testPlatform, uniqueName } from '@flotilla/testing';
import { startWorkerProcess, type WorkerProcess } from '../operations/worker-process';

const routerMain = fileURLToPath(new URL('../../apps/router/src/main.ts', import.meta.url));

export interface RouterPlatform {
  readonly management: ManagementHarness;
  /** A topic on fronting-1, produced and read there (a route's source). */
  frontingTopic(partitions?: number): Promise<string>;
  /** A topic produced on fronting-1 and read on consumer-1: what a route from it to itself copies between. */
  layeredTopic(partitions?: number): Promise<string>;
  /** A topic placed on consumer-1 only (a destination, a dead-letter topic); `configs` for its copy there. */
  consumerTopic(partitions?: number, configs?: Record<string, string>): Promise<string>;
  /** A topic produced and read on `cluster` only (a destination on a cluster a test started). */
  topicOn(cluster: string, partitions?: number): Promise<string>;
  /** Registers a consumer cluster a test started. */
  addConsumerCluster(name: string, bootstrap: readonly string[]): Promise<void>;
  startRouter(): Promise<RouterProcess>;
  /** A smart producer of the applications: writes where the mapping's producer side says, and heartbeats. */
  producer(): Promise<MultiClusterProducer>;
  /** A worker process for operations (topic moves) on this platform's task queue. */
  startWorker(): Promise<WorkerProcess>;
  stop(): Promise<void>;
}

export interface RouterProcess {
  readonly metricsUrl: string;
  /** The router's instance id in its heartbeats (what `routes describe` lists). */
  readonly instanceId: string;
  /** The value of a counter of /metrics for a route, summed over its other labels. */
  counter(name: string, route: string): Promise<number>;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startRouterPlatform(): Promise<RouterPlatform> {
  const { temporal } = testPlatform();
  // A task queue of its own: no other test's worker picks up this platform's operations.
  const taskQueue = uniqueName('flotilla-operations');
  const management = await startManagementHarness('pglite', { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_TASK_QUEUE: taskQueue });
  const routers = new Set<RouterProcess>();
  const producers = new Set<MultiClusterProducer>();
  const reporters = new Set<HeartbeatReporter>();
  const workers = new Set<WorkerProcess>();
  const dirs: string[] = [];
  const admin = management.admin();
  let dataPlaneToken: string;
  try {
    await admin.clusters.add.mutate({ name: 'fronting-1', role: 'fronting', tier: 'medium', bootstrap: testCluster('fronting-1').bootstrap });
    await admin.clusters.add.mutate({ name: 'fronting-2', role: 'fronting', tier: 'medium', bootstrap: testCluster('fronting-2').bootstrap });
    await admin.clusters.add.mutate({ name: 'consumer-1', role: 'consumer', bootstrap: testCluster('consumer-1').bootstrap });
    // A data-plane application's token (no management role): what routers and applications heartbeat with.
    await admin.applications.add.mutate({ id: 'router-tests', owner: 'tests' });
    dataPlaneToken = (await admin.tokens.issue.mutate({ application: 'router-tests' })).token;
  } catch (error) {
    await management.stop();
    throw error;
  }
  const tempDir = async (prefix: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  /** A topic registered through management with the given placement (management creates it on the clusters it adds). */
  const placedTopic = async (prefix: string, partitions: number, consumers: string[], producers?: string[], configs?: Record<string, string>): Promise<string> => {
    const topic = uniqueName(prefix);
    await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions, cluster: 'fronting-1' });
    if (configs) {
      // Made on consumer-1 first with these configs; placing it there then finds it.
      const kafka = await connectAdmin({ bootstrap: [...testCluster('consumer-1').bootstrap], clientId: 'router-tests' });
      try {
        await kafka.ensureTopic({ topic, partitions, replicationFactor: 1, configs });
      } finally {
        await kafka.close();
      }
    }
    await admin.topics.place.mutate({ name: topic, consumers, ...(producers ? { producers } : {}), reason: 'router test placement' });
    return topic;
  };
  return {
    management,
    frontingTopic: async (partitions = 3) => {
      const topic = uniqueName('source');
      await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions, cluster: 'fronting-1' });
      return topic;
    },
    layeredTopic: (partitions = 3) => placedTopic('layered', partitions, ['consumer-1']),
    // Created through management (which places new topics on fronting clusters), then moved to consumer-1.
    consumerTopic: (partitions = 3, configs?: Record<string, string>) => placedTopic('dest', partitions, ['consumer-1'], ['consumer-1'], configs),
    topicOn: (cluster, partitions = 3) => placedTopic('dest', partitions, [cluster], [cluster]),
    async addConsumerCluster(name, bootstrap) {
      await admin.clusters.add.mutate({ name, role: 'consumer', bootstrap: [...bootstrap] });
    },
    async startWorker() {
      const worker = await startWorkerProcess({ temporal, taskQueue, managementUrl: management.url, managementToken: management.adminToken, onExit: (ended) => workers.delete(ended) });
      workers.add(worker);
      return worker;
    },
    async startRouter() {
      const port = await freePort();
      const dir = await tempDir('flotilla-router-');
      const child = spawn(process.execPath, ['--import', 'tsx', routerMain], {
        env: {
          ...process.env,
          FLOTILLA_MANAGEMENT_URL: management.url,
          FLOTILLA_ROUTER_TOKEN: dataPlaneToken,
          ROUTER_HEARTBEAT_INTERVAL_MS: '1000',
          ROUTER_PORT: String(port),
          ROUTER_MAPPING_CACHE: join(dir, 'mapping.json'),
          LOG_LEVEL: 'warn',
          LOG_FORMAT: 'json',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const metricsUrl = `http://127.0.0.1:${port}/metrics`;
      const end = async (signal: NodeJS.Signals): Promise<void> => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
        routers.delete(router);
      };
      const router: RouterProcess = {
        metricsUrl,
        // As start-router.ts names it: ROUTER_CLIENT_ID (default), host, pid.
        instanceId: `flotilla-router/${hostname()}/${child.pid ?? 0}`,
        counter: async (name, route) => sumCounter(await (await fetch(metricsUrl)).text(), name, route),
        kill: () => end('SIGKILL'),
        stop: () => end('SIGTERM'),
      };
      routers.add(router);
      await waitForReady(child, `http://127.0.0.1:${port}/readyz`);
      return router;
    },
    async producer() {
      const dir = await tempDir('flotilla-router-producer-');
      const producer = new MultiClusterProducer({
        clientId: 'router-tests',
        mapping: liveMappingSource({ url: management.url, cacheFile: join(dir, 'mapping.json') }),
        transport: transportFor('kafkajs'),
      });
      await producer.connect();
      producers.add(producer);
      // Heartbeats, as an application's producer sends them: a topic move waits for it to switch.
      reporters.add(
        startHeartbeats({
          url: management.url,
          token: dataPlaneToken,
          clientId: uniqueName('router-tests-producer'),
          kind: 'producer',
          intervalMs: 500,
          snapshot: () => {
            const info = producer.clientInfo();
            return { mappingVersion: info.mappingVersion, produces: info.produces, produced: info.counts };
          },
        }),
      );
      return producer;
    },
    async stop() {
      for (const reporter of reporters) reporter.stop();
      await Promise.all([...producers].map((p) => p.disconnect().catch(() => undefined)));
      await Promise.all([...workers].map((w) => w.kill()));
      await Promise.all([...routers].map((r) => r.kill()));
      await management.stop();
      await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
    },
  };
}

async function waitForReady(child: ChildProcess, url: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the router exited (${child.exitCode ?? child.signalCode}) before it was ready`);
    const ready = await fetch(url).then((response) => response.ok, () => false);
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  child.kill('SIGKILL');
  throw new Error(`the router was not ready at ${url} within 60 s`);
}

function sumCounter(text: string, name: string, route: string): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) || !line.includes(`route="${route}"`)) continue;
    sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

export interface Read {
  readonly messages: (ConsumerMessage & { partition: number })[];
}

/**
 * Reads `topic` from the beginning with a new consumer group, through the applications' mapping
 * (where consumers read it), until `done` says so or the time is up.
 */
export async function readWithNewGroup(platform: RouterPlatform, topic: string, done: (read: Read) => boolean, timeoutMs = 90_000): Promise<Read> {
  const dir = await mkdtemp(join(tmpdir(), 'flotilla-router-read-'));
  const consumer = new MultiClusterConsumer({
    groupId: uniqueName('audit'),
    mapping: liveMappingSource({ url: platform.management.url, cacheFile: join(dir, 'mapping.json') }),
    transport: transportFor('kafkajs'),
  });
  const read: Read = { messages: [] };
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ partition, message }) => void read.messages.push({ ...message, partition }) });
    const deadline = Date.now() + timeoutMs;
    while (!done(read) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    return read;
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}
