// What the operation tests share: the real management service (in-process, PGlite) wired to the
// test platform's Temporal server, the worker as a real child process (so a test can kill -9 it),
// and a load of smart producers and consumers that send heartbeats and audit every record.
import { setTimeout as sleep } from 'node:timers/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { liveMappingSource, MultiClusterConsumer, MultiClusterProducer } from '@flotilla/client';
import { startHeartbeats, type HeartbeatReporter } from '@flotilla/client/internal';
import { connectAdmin, transportFor } from '@flotilla/kafka';
import { testCluster, testPlatform, uniqueName } from '@flotilla/testing';
import { startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { startWorkerProcess, type WorkerProcess } from './worker-process';

export type { WorkerProcess } from './worker-process';

export interface OperationsPlatform {
  readonly management: ManagementHarness;
  readonly taskQueue: string;
  /** A data-plane token for load clients' heartbeats. */
  readonly clientToken: string;
  startWorker(): Promise<WorkerProcess>;
  stop(): Promise<void>;
}

export async function startOperationsPlatform(): Promise<OperationsPlatform> {
  const { temporal } = testPlatform();
  const taskQueue = uniqueName('flotilla-operations');
  const management = await startManagementHarness('pglite', { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace, TEMPORAL_TASK_QUEUE: taskQueue });
  const workers = new Set<WorkerProcess>();
  try {
    const admin = management.admin();
    for (const name of ['fronting-1', 'fronting-2']) {
      await admin.clusters.add.mutate({ name, role: 'fronting', tier: 'medium', bootstrap: testCluster(name).bootstrap });
    }
    await admin.applications.add.mutate({ id: 'loadgen', owner: 'tests' });
    const { token } = await admin.tokens.issue.mutate({ application: 'loadgen' });
    return {
      management,
      taskQueue,
      clientToken: token,
      async startWorker() {
        const worker = await startWorkerProcess({ temporal, taskQueue, managementUrl: management.url, managementToken: management.adminToken, onExit: (ended) => workers.delete(ended) });
        workers.add(worker);
        return worker;
      },
      async stop() {
        await Promise.all([...workers].map((w) => w.kill()));
        await management.stop();
      },
    };
  } catch (error) {
    await management.stop();
    throw error;
  }
}

export interface Load {
  readonly producer: MultiClusterProducer;
  /** Values acknowledged to the producer. */
  readonly acknowledged: Set<string>;
  /** Values the consumer received, in arrival order per key. */
  readonly received: string[];
  /** Stops producing and waits for every send in flight to settle. */
  stopProducing(): Promise<void>;
  /** Values acknowledged but not (yet) received. */
  missing(): string[];
  close(): Promise<void>;
}

/**
 * One smart producer sending `key:sequence` records every few ms (keys k0..k7 when keyed) and one
 * smart consumer group reading them, both following management's mapping and sending heartbeats.
 */
export async function startLoad(platform: OperationsPlatform, topic: string, options: { keyed: boolean; consume?: boolean }): Promise<Load> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'flotilla-load-'));
  const mapping = () => liveMappingSource({ url: platform.management.url, cacheFile: join(cacheDir, `${uniqueName('m')}.json`) });
  const producer = new MultiClusterProducer({ clientId: uniqueName('load-producer'), application: 'loadgen', mapping: mapping(), transport: transportFor('kafkajs') });
  const groupId = uniqueName('load-group');
  const consumer = new MultiClusterConsumer({ groupId, mapping: mapping(), transport: transportFor('kafkajs') });
  const received: string[] = [];
  const acknowledged = new Set<string>();
  // Without a consumer (a fronting topic whose router has not started): no group exists at all,
  // not even in heartbeats.
  const consuming = options.consume !== false;
  const reporters: HeartbeatReporter[] = [
    startHeartbeats({
      url: platform.management.url,
      token: platform.clientToken,
      clientId: uniqueName('hb-producer'),
      kind: 'producer',
      intervalMs: 500,
      snapshot: () => {
        const info = producer.clientInfo();
        return { mappingVersion: info.mappingVersion, produces: [topic], produced: info.counts };
      },
    }),
    ...(consuming
      ? [
          startHeartbeats({
            url: platform.management.url,
            token: platform.clientToken,
            clientId: uniqueName('hb-consumer'),
            kind: 'consumer',
            intervalMs: 500,
            snapshot: () => {
              const info = consumer.clientInfo();
              return { mappingVersion: info.mappingVersion, consumes: [topic], groupId, consumed: info.counts };
            },
          }),
        ]
      : []),
  ];
  await producer.connect();
  if (consuming) {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        received.push(message.value?.toString() ?? '');
      },
    });
  }

  let producing = true;
  const inFlight = new Set<Promise<unknown>>();
  const sequence = new Map<string, number>();
  const loop = (async () => {
    let n = 0;
    while (producing) {
      const key = options.keyed ? `k${n % 8}` : 'all';
      const seq = sequence.get(key) ?? 0;
      sequence.set(key, seq + 1);
      const value = `${key}:${seq}`;
      const sent = producer
        .send({ topic, messages: [{ ...(options.keyed ? { key } : {}), value }] })
        .then(() => acknowledged.add(value))
        .catch(() => {});
      inFlight.add(sent);
      void sent.finally(() => inFlight.delete(sent));
      n += 1;
      await new Promise((resolve) => setTimeout(resolve, 3));
    }
  })();

  return {
    producer,
    acknowledged,
    received,
    async stopProducing() {
      producing = false;
      await loop;
      await Promise.all([...inFlight]);
    },
    missing() {
      const seen = new Set(received);
      return [...acknowledged].filter((value) => !seen.has(value));
    },
    async close() {
      producing = false;
      await loop;
      for (const reporter of reporters) reporter.stop();
      await producer.disconnect().catch(() => {});
      if (consuming) await consumer.disconnect().catch(() => {});
      await rm(cacheDir, { recursive: true, force: true });
    },
  };
}

export interface LateRead {
  /** Values in the order the new group received them. */
  readonly received: string[];
  /** Expected values it never received. */
  readonly missing: string[];
}

/**
 * A consumer group created now, reading the topic from the beginning wherever the mapping says
 * it lives, until it has seen every expected value (or the time is up): the judge of "nothing
 * an operation deleted", since the groups that ran all along may have read records before they
 * were deleted.
 */
export async function readWithNewGroup(platform: OperationsPlatform, topic: string, expected: Iterable<string>, timeoutMs = 60_000): Promise<LateRead> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'flotilla-late-'));
  const consumer = new MultiClusterConsumer({
    groupId: uniqueName('late-group'),
    mapping: liveMappingSource({ url: platform.management.url, cacheFile: join(cacheDir, 'mapping.json') }),
    transport: transportFor('kafkajs'),
  });
  const wanted = new Set(expected);
  const received: string[] = [];
  const seen = new Set<string>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value?.toString() ?? '';
        received.push(value);
        seen.add(value);
      },
    });
    const deadline = Date.now() + timeoutMs;
    while ([...wanted].some((value) => !seen.has(value)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    return { received, missing: [...wanted].filter((value) => !seen.has(value)) };
  } finally {
    await consumer.disconnect().catch(() => {});
    await rm(cacheDir, { recursive: true, force: true });
  }
}

/** Per key, a record the consumer sees for the first time must not be older than one it saw before. */
export function orderViolations(received: readonly string[]): string[] {
  const highest = new Map<string, number>();
  const seen = new Set<string>();
  const violations: string[] = [];
  for (const value of received) {
    // At-least-once: a redelivered record repeats an older number and is not a reordering.
    if (seen.has(value)) continue;
    seen.add(value);
    const [key = '', seqText = ''] = value.split(':');
    const seq = Number(seqText);
    const previous = highest.get(key);
    if (previous !== undefined && seq < previous) violations.push(`${key}: ${seq} after ${previous}`);
    highest.set(key, Math.max(previous ?? -1, seq));
  }
  return violations;
}

export type OperationStatus = Awaited<ReturnType<ReturnType<OperationsPlatform['management']['admin']>['operations']['status']['query']>>;

/**
 * Polls an operation's status until `until` holds; a failed operation ends the wait at once with
 * its error, a timeout with the last status seen.
 */
export async function waitForOperation(platform: OperationsPlatform, workflowId: string, until: (s: OperationStatus) => boolean, timeoutMs = 120_000): Promise<OperationStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: OperationStatus | undefined;
  while (Date.now() < deadline) {
    last = await platform.management.admin().operations.status.query({ workflowId });
    if (until(last)) return last;
    if (last.status === 'failed') throw new Error(`operation failed: ${last.error}`);
    await sleep(300);
  }
  throw new Error(`operation did not get there in time; last: ${JSON.stringify(last)}`);
}

/** Partitions of the topic on a test cluster, or undefined when the cluster does not have it. */
export async function partitionsOn(cluster: string, topic: string): Promise<number | undefined> {
  const admin = await connectAdmin({ bootstrap: testCluster(cluster).bootstrap });
  try {
    return await admin.partitionCount(topic);
  } finally {
    await admin.close();
  }
}
