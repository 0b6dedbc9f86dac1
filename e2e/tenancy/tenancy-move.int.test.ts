// A topic move under load from an application that authenticates at the brokers: its ACLs and
// credential are on the target cluster before producers switch (they are kept on every active
// cluster), so no send is refused on the way, and every acknowledged record is read back, as the
// application, by a consumer group created afterwards.
import { Flotilla } from '@flotilla/client';
import { startManagementHarness, type ManagementHarness } from '@flotilla/management/testing';
import { testCluster, testPlatform, uniqueName } from '@flotilla/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorkerProcess, type WorkerProcess } from '../operations/worker-process';

const RETENTION_MS = 5_000;

describe('tenancy at the brokers through a topic move', () => {
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

  it('moves a topic an authenticated application produces to: nothing refused, nothing lost', async () => {
    const admin = management.admin();
    const app = uniqueName('mover');
    const prefix = uniqueName('ledger');
    const topic = `${prefix}.eu`;
    await admin.applications.add.mutate({ id: app, owner: 'tenancy-tests' });
    for (const verb of ['PUT', 'GET'] as const) await admin.policies.add.mutate({ application: app, verb, resource: `/topics/${prefix}.*`, effect: 'allow' });
    const { password } = await admin.kafkaCredentials.rotate.mutate({ application: app });
    const { token } = await admin.tokens.issue.mutate({ application: app });
    await admin.topics.create.mutate({ name: topic, tier: 'medium', partitions: 3, cluster: 'fronting-1', retentionMs: RETENTION_MS * 60 });

    // Heartbeats with the application's token: the move waits for this producer to switch.
    const flotilla = new Flotilla({ clientId: app, application: app, token, mappingUrl: management.url, transport: 'kafkajs', sasl: { username: app, password }, mappingCacheFile: false });
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
    try {
      await sleep(1_500);
      const { workflowId } = await admin.operations.moveTopic.mutate({ topic, to: 'fronting-2', pollMs: 300 });
      const deadline = Date.now() + 120_000;
      let status = await admin.operations.status.query({ workflowId });
      while (status.progress?.phase !== 'tail' && status.status === 'running' && Date.now() < deadline) {
        await sleep(300);
        status = await admin.operations.status.query({ workflowId });
      }
      expect(status.progress?.phase, JSON.stringify(status)).toBe('tail');
      expect((await admin.topics.describe.query({ name: topic })).placement.producers).toEqual(['fronting-2']);
      await sleep(1_500);
    } finally {
      producing = false;
      await loop;
      await producer.disconnect();
    }

    expect(refused).toEqual([]);
    expect(acknowledged.size).toBeGreaterThan(100);
    // Read back as the application, on both clusters, by a group made now.
    const consumer = flotilla.consumer({ groupId: `${app}.audit` });
    const received = new Set<string>();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void received.add(message.value?.toString() ?? '') });
      const readDeadline = Date.now() + 60_000;
      while ([...acknowledged].some((v) => !received.has(v)) && Date.now() < readDeadline) await sleep(250);
    } finally {
      await consumer.disconnect();
    }
    expect([...acknowledged].filter((v) => !received.has(v))).toEqual([]);
  }, 240_000);
});
