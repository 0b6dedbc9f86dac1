// A topic move and a cluster failover (kill -9) under load from an application that authenticates
// at the brokers: its ACLs and credential are on the target cluster before producers switch (they
// are kept on every active cluster), so no send is refused on the way, and every acknowledged
// record is read back, as the application, by a consumer group created afterwards.
import { Flotilla } from '@flotilla/client';
import { startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { testCluster, testPlatform, uniqueName } from '@flotilla/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerProcess, type WorkerProcess } from '../operations/worker-process';

const RETENTION_MS = 5_000;

describe('tenancy at the brokers through a topic move and a failover', () => {
  let management: ManagementHarness;
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    const { temporal } = testPlatform();
    const taskQueue = uniqueName('tenancy-operations');
    management = await startManagementHarness('pglite', {
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      TEMPORAL_TASK_QUEUE: taskQueue,
      FLOTILLA_BROKER_SYNC: 'on',
      FLOTILLA_BROKER_SYNC_INTERVAL_MS: '0',
    });
    for (const name of ['fronting-1', 'fronting-2']) {
      const cluster = testCluster(name);
      await management.admin().clusters.add.mutate({ name, role: 'fronting', tier: 'medium', bootstrap: cluster.bootstrap, saslBootstrap: cluster.saslBootstrap });
    }
    worker = await startWorkerProcess({ temporal, taskQueue, managementUrl: management.url, managementToken: management.adminToken, onExit: () => undefined });
  }, 120_000);

  afterAll(async () => {
    await worker?.kill();
    if (!management) return;
    const admin = management.admin();
    for (const credential of await admin.kafkaCredentials.list.query()) await admin.kafkaCredentials.revoke.mutate({ application: credential.application }).catch(() => undefined);
    await management.stop();
  }, 60_000);

  /** An application allowed to produce and consume `<prefix>.*`, with its Kafka credential and an API token. */
  async function application() {
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
  }

  /** Sends one record at a time until stopped, keeping what was acknowledged and what was refused. */
  async function produceUntilStopped(flotilla: Flotilla, topic: string) {
    const producer = flotilla.producer();
    await producer.connect();
    const acknowledged = new Set<string>();
    const refused: string[] = [];
    let producing = true;
    const loop = (async () => {
      for (let seq = 0; producing; seq++) {
        const value = `r${seq}`;
        await producer.send({ topic, messages: [{ value }] }).then(
          () => acknowledged.add(value),
          (error: Error) => refused.push(`${value}: ${error.message}`),
        );
        await sleep(5);
      }
    })();
    return {
      acknowledged,
      refused,
      async stop() {
        producing = false;
        await loop;
        await producer.disconnect();
      },
    };
  }

  /** Every acknowledged value not read by a consumer group of the application's made now, reading both clusters. */
  async function unreadByNewGroup(app: Awaited<ReturnType<typeof application>>, acknowledged: ReadonlySet<string>): Promise<string[]> {
    const consumer = app.flotilla.consumer({ groupId: `${app.id}.${uniqueName('audit')}` });
    const received = new Set<string>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: app.topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.add(message.value?.toString() ?? '') });
      const deadline = Date.now() + 60_000;
      while ([...acknowledged].some((v) => !received.has(v)) && Date.now() < deadline) await sleep(250);
    } finally {
      await consumer.disconnect();
    }
    return [...acknowledged].filter((v) => !received.has(v));
  }

  async function waitForPhase(workflowId: string, phase: string) {
    const deadline = Date.now() + 120_000;
    for (;;) {
      const status = await management.admin().operations.status.query({ workflowId });
      const current = status.progress?.phase ?? status.clusterProgress?.phase;
      if (current === phase || status.status !== 'running' || Date.now() > deadline) return status;
      await sleep(300);
    }
  }

  it('moves a topic an authenticated application produces to: nothing refused, nothing lost', async () => {
    const app = await application();
    await management.admin().topics.create.mutate({ name: app.topic, tier: 'medium', partitions: 3, cluster: 'fronting-1', retentionMs: RETENTION_MS * 60 });
    const load = await produceUntilStopped(app.flotilla, app.topic);
    try {
      await sleep(1_500);
      const { workflowId } = await management.admin().operations.moveTopic.mutate({ topic: app.topic, to: 'fronting-2', pollMs: 300 });
      const status = await waitForPhase(workflowId, 'tail');
      expect(status.progress?.phase, JSON.stringify(status)).toBe('tail');
      expect((await management.admin().topics.describe.query({ name: app.topic })).placement.producers).toEqual(['fronting-2']);
      await sleep(1_500);
    } finally {
      await load.stop();
    }

    expect(load.refused).toEqual([]);
    expect(load.acknowledged.size).toBeGreaterThan(100);
    expect(await unreadByNewGroup(app, load.acknowledged)).toEqual([]);
  }, 240_000);

  it('fails a killed cluster over under an authenticated producer: the standby takes it at once, nothing refused, nothing lost', async () => {
    const app = await application();
    await management.admin().topics.create.mutate({ name: app.topic, tier: 'medium', partitions: 3, cluster: 'fronting-1', retentionMs: 120_000 });
    const fronting1 = testCluster('fronting-1').control;
    const load = await produceUntilStopped(app.flotilla, app.topic);
    try {
      await sleep(1_500);
      await fronting1.kill();
      const { workflowId } = await management.admin().operations.failoverCluster.mutate({ cluster: 'fronting-1', pollMs: 300, maxPollMs: 1_000 });
      const status = await waitForPhase(workflowId, 'tail');
      expect(status.clusterProgress?.phase, JSON.stringify(status)).toBe('tail');
      const atSwitch = load.acknowledged.size;
      const deadline = Date.now() + 30_000;
      while (load.acknowledged.size < atSwitch + 200 && Date.now() < deadline) await sleep(100);
      expect(load.acknowledged.size).toBeGreaterThanOrEqual(atSwitch + 200);
      await fronting1.restart();
    } finally {
      await load.stop();
      // Later files need a healthy fleet whatever happened here.
      if (!fronting1.isRunning()) await fronting1.restart();
    }

    expect(load.refused).toEqual([]);
    // What fronting-1 acknowledged before it died is read from it now that it is back.
    expect(await unreadByNewGroup(app, load.acknowledged)).toEqual([]);
  }, 240_000);
});
