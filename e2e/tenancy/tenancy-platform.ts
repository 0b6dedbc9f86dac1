// What the tenancy operation tests share: a real management with broker sync on and the test
// fleet's fronting clusters registered with their authenticated listeners, a worker process for
// operations, applications allowed `<prefix>.*` with a Kafka credential, an authenticated load
// and the audit that reads it back as the application.
import { Flotilla, MultiClusterConsumer, liveMappingSource } from '@flotilla/client';
import { transportFor } from '@flotilla/kafka';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { testCluster, testPlatform, uniqueName } from '@flotilla/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWorkerProcess, type WorkerProcess } from '../operations/worker-process';

export interface TenancyPlatform {
  readonly management: ManagementHarness;
  /**
   * The registry's names for the fleet's fronting-1 and fronting-2: this run's own, because
   * operation ids (`cluster-failover:<cluster>:<n>`) are per name on the Temporal server every
   * test file shares, and another file's failover of "fronting-1" may still be running.
   */
  readonly clusters: { readonly one: string; readonly two: string };
  /** An application allowed to produce and consume `<prefix>.*`, with its Kafka credential and an API token. */
  application(): Promise<TenancyApplication>;
  stop(): Promise<void>;
}

export interface TenancyApplication {
  readonly id: string;
  readonly topic: string;
  readonly flotilla: Flotilla;
}

export interface AuthenticatedLoad {
  readonly acknowledged: ReadonlySet<string>;
  readonly refused: readonly string[];
  /** Stops sending and waits (at most `timeoutMs`) for the send in flight; then disconnects. */
  stop(timeoutMs?: number): Promise<void>;
}

export async function startTenancyPlatform(): Promise<TenancyPlatform> {
  const { temporal } = testPlatform();
  const taskQueue = uniqueName('tenancy-operations');
  const management = await startManagementHarness('pglite', {
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: taskQueue,
    FLOTILLA_BROKER_SYNC: 'on',
    FLOTILLA_BROKER_SYNC_INTERVAL_MS: '0',
  });
  let worker: WorkerProcess | undefined;
  const clusters = { one: uniqueName('fronting-1'), two: uniqueName('fronting-2') };
  const stop = async (): Promise<void> => {
    await worker?.kill();
    const admin = management.admin();
    // Leave the shared fleet without this platform's application users and ACLs.
    for (const credential of await admin.kafkaCredentials.list.query().catch(() => [])) await admin.kafkaCredentials.revoke.mutate({ application: credential.application }).catch(() => undefined);
    await management.stop();
  };
  try {
    for (const [name, fleetName] of [
      [clusters.one, 'fronting-1'],
      [clusters.two, 'fronting-2'],
    ] as const) {
      const cluster = testCluster(fleetName);
      await management.admin().clusters.add.mutate({ name, role: 'fronting', tier: 'medium', bootstrap: cluster.bootstrap, saslBootstrap: cluster.saslBootstrap });
    }
    worker = await startWorkerProcess({ temporal, taskQueue, managementUrl: management.url, managementToken: management.adminToken, onExit: () => undefined });
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    management,
    clusters,
    async application() {
      const admin = management.admin();
      const id = uniqueName('mover');
      const prefix = uniqueName('ledger');
      await admin.applications.add.mutate({ id, owner: 'tenancy-tests' });
      for (const verb of ['PUT', 'GET'] as const) await admin.policies.add.mutate({ application: id, verb, resource: `/topics/${prefix}.*`, effect: 'allow' });
      const { password } = await admin.kafkaCredentials.rotate.mutate({ application: id });
      const { token } = await admin.tokens.issue.mutate({ application: id });
      // Heartbeats with the application's token: operations wait for its producer to switch.
      const flotilla = new Flotilla({ clientId: id, application: id, token, mappingUrl: management.url, transport: 'kafkajs', sasl: { username: id, password }, mappingCacheFile: false });
      return { id, topic: `${prefix}.eu`, flotilla };
    },
    stop,
  };
}

/** Sends one record at a time until stopped, keeping what was acknowledged and what was refused. */
export async function produceUntilStopped(app: TenancyApplication): Promise<AuthenticatedLoad> {
  const producer = app.flotilla.producer();
  await producer.connect();
  const acknowledged = new Set<string>();
  const refused: string[] = [];
  let producing = true;
  const loop = (async () => {
    for (let seq = 0; producing; seq++) {
      const value = `r${seq}`;
      await producer.send({ topic: app.topic, messages: [{ value }] }).then(
        () => acknowledged.add(value),
        (error: Error) => refused.push(`${value}: ${error.message}`),
      );
      await sleep(5);
    }
  })();
  return {
    acknowledged,
    refused,
    async stop(timeoutMs = 30_000) {
      producing = false;
      await Promise.race([loop, sleep(timeoutMs)]);
      await Promise.race([producer.disconnect().catch(() => undefined), sleep(timeoutMs)]);
    },
  };
}

/** Every acknowledged value a consumer group of the application's made now does not read within `timeoutMs`, reading every cluster the mapping gives. */
export async function unreadByNewGroup(app: TenancyApplication, acknowledged: ReadonlySet<string>, timeoutMs = 60_000): Promise<string[]> {
  const consumer = app.flotilla.consumer({ groupId: `${app.id}.${uniqueName('audit')}` });
  const received = new Set<string>();
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: app.topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.add(message.value?.toString() ?? '') });
    const deadline = Date.now() + timeoutMs;
    while ([...acknowledged].some((v) => !received.has(v)) && Date.now() < deadline) await sleep(250);
  } finally {
    await consumer.disconnect();
  }
  return [...acknowledged].filter((v) => !received.has(v));
}

/** Every acknowledged value a platform consumer group (plaintext listener) made now does not read within a minute. */
export async function unreadByPlatformGroup(platform: TenancyPlatform, topic: string, acknowledged: ReadonlySet<string>): Promise<string[]> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'flotilla-tenancy-'));
  const consumer = new MultiClusterConsumer({ groupId: uniqueName('platform-audit'), mapping: liveMappingSource({ url: platform.management.url, cacheFile: join(cacheDir, 'mapping.json') }), transport: transportFor('kafkajs') });
  const received = new Set<string>();
  try {
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.add(message.value?.toString() ?? '') });
    const deadline = Date.now() + 60_000;
    while ([...acknowledged].some((v) => !received.has(v)) && Date.now() < deadline) await sleep(250);
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await rm(cacheDir, { recursive: true, force: true });
  }
  return [...acknowledged].filter((v) => !received.has(v));
}

/** The operation's status once its (topic or cluster) phase is `phase`, it ended, or two minutes passed. */
export async function waitForPhase(management: ManagementHarness, workflowId: string, phase: string) {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const status = await management.admin().operations.status.query({ workflowId });
    const current = status.progress?.phase ?? status.clusterProgress?.phase;
    if (current === phase || status.status !== 'running' || Date.now() > deadline) return status;
    await sleep(300);
  }
}
