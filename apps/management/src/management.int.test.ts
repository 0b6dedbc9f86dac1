// The management service end to end: real Kafka clusters, a real database (PGlite always,
// PostgreSQL when FLOTILLA_TEST_DATABASE_URL is set), the real HTTP server and a real smart client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appRouter, createCallerFactory } from '@flotilla/api';
import { liveMappingSource, MultiClusterProducer } from '@flotilla/client';
import { connectAdmin, transportFor } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl, startManagementHarness, type Dialect, type ManagementHarness } from './test-support/management-harness';

const dialects: { dialect: Dialect; skip?: string }[] = [
  { dialect: 'pglite' },
  { dialect: 'postgres', ...(postgresUrl ? {} : { skip: "set FLOTILLA_TEST_DATABASE_URL (CI starts Debian's postgresql)" }) },
];

for (const { dialect, skip } of dialects) {
  describe.skipIf(skip !== undefined)(`management on ${dialect}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let management: ManagementHarness;
    const fronting1 = testCluster('fronting-1');
    const fronting2 = testCluster('fronting-2');
    const consumer1 = testCluster('consumer-1');

    beforeAll(async () => {
      management = await startManagementHarness(dialect);
      const admin = management.admin();
      // The same Kafka clusters registered under per-tier names: each tier's pool has a cluster.
      await admin.clusters.add.mutate({ name: 'fronting-1', role: 'fronting', tier: 'medium', bootstrap: fronting1.bootstrap });
      await admin.clusters.add.mutate({ name: 'fronting-2', role: 'fronting', tier: 'medium', bootstrap: fronting2.bootstrap });
      await admin.clusters.add.mutate({ name: 'low-1', role: 'fronting', tier: 'low', bootstrap: fronting1.bootstrap });
      await admin.clusters.add.mutate({ name: 'high-1', role: 'fronting', tier: 'high', bootstrap: fronting2.bootstrap, capacityBytesPerSec: 1_000_000 });
      await admin.clusters.add.mutate({ name: 'consumer-1', role: 'consumer', bootstrap: consumer1.bootstrap });
    }, 60_000);

    afterAll(async () => {
      await management?.stop();
    });

    describe('clusters', () => {
      it('registers clusters with the broker count they report and lists them', async () => {
        const clusters = await management.admin().clusters.list.query();

        expect(clusters.map((c) => [c.name, c.role, c.tier, c.brokerCount, c.state])).toEqual([
          ['consumer-1', 'consumer', null, 1, 'active'],
          ['fronting-1', 'fronting', 'medium', 1, 'active'],
          ['fronting-2', 'fronting', 'medium', 1, 'active'],
          ['high-1', 'fronting', 'high', 1, 'active'],
          ['low-1', 'fronting', 'low', 1, 'active'],
        ]);
        const current = await management.admin().mapping.current.query();
        expect(Object.keys(current?.document.clusters ?? {}).sort()).toEqual(['consumer-1', 'fronting-1', 'fronting-2', 'high-1', 'low-1']);
      });

      it('refuses a cluster that does not answer, a wrong broker count and a taken name, naming each', async () => {
        const admin = management.admin();

        await expect(admin.clusters.add.mutate({ name: 'ghost', role: 'consumer', bootstrap: ['127.0.0.1:1'] })).rejects.toThrow(/127\.0\.0\.1:1/);
        await expect(admin.clusters.add.mutate({ name: 'wrong', role: 'consumer', bootstrap: consumer1.bootstrap, brokerCount: 3 })).rejects.toThrow(
          'brokerCount: the cluster at ' + consumer1.bootstrap.join(',') + ' reports 1 broker(s), got 3',
        );
        await expect(admin.clusters.add.mutate({ name: 'fronting-1', role: 'fronting', tier: 'medium', bootstrap: fronting1.bootstrap })).rejects.toThrow(
          'cluster "fronting-1" already exists',
        );
        await expect(admin.clusters.add.mutate({ name: 'no-tier', role: 'fronting', bootstrap: fronting1.bootstrap })).rejects.toThrow('tier: a fronting cluster needs a tier');
        expect((await admin.clusters.list.query()).map((c) => c.name)).not.toContain('ghost');
      });

      it('describes a cluster with its live brokers and topics', async () => {
        const topic = uniqueName('described');
        await management.admin().topics.create.mutate({ name: topic, tier: 'low' });

        const described = await management.admin().clusters.describe.query({ name: 'low-1' });

        expect(described.live).toMatchObject({ brokers: [expect.objectContaining({ host: '127.0.0.1' })] });
        expect('topics' in described.live ? described.live.topics.map((t) => t.topic) : []).toContain(topic);
      });
    });

    describe('topics', () => {
      it.each([
        ['low', 'low-1', 2 * 3_600_000],
        ['medium', undefined, 4 * 3_600_000],
        ['high', 'high-1', 24 * 3_600_000],
      ] as const)('creates a %s-tier topic on that tier\'s pool with its retention, visible on the broker', async (tier, expectedCluster, retentionMs) => {
        const name = uniqueName(`tier-${tier}`);

        const created = await management.admin().topics.create.mutate({ name, tier, partitions: 3 });

        expect(created.created).toBe(true);
        const cluster = created.placement.producers[0] ?? '';
        if (expectedCluster) expect(cluster).toBe(expectedCluster);
        else expect(['fronting-1', 'fronting-2']).toContain(cluster);
        expect(created.topic).toMatchObject({ tier, partitions: 3, replicas: 1, retentionMs });
        const bootstrap = (await management.admin().clusters.list.query()).find((c) => c.name === cluster)?.bootstrap ?? [];
        const admin = await connectAdmin({ bootstrap });
        try {
          expect(await admin.describeTopic(name)).toMatchObject({ partitions: 3, replicationFactor: 1, configs: { 'retention.ms': String(retentionMs) } });
        } finally {
          await admin.close();
        }
        const mapping = await management.admin().mapping.current.query();
        expect(JSON.stringify(mapping?.document.producers)).toContain(name);
      });

      it('is idempotent: the same create answers with the topic, a different one is a conflict', async () => {
        const name = uniqueName('again');
        const first = await management.admin().topics.create.mutate({ name, tier: 'medium' });

        const second = await management.admin().topics.create.mutate({ name, tier: 'medium' });

        expect(second).toMatchObject({ created: false, topic: { name }, placement: first.placement });
        await expect(management.admin().topics.create.mutate({ name, tier: 'high' })).rejects.toThrow(`topic "${name}" already exists with tier medium (asked high)`);
      });

      it('refuses an invalid topic name, an unknown cluster and a partition count below the current one', async () => {
        const admin = management.admin();

        await expect(admin.topics.create.mutate({ name: 'has space', tier: 'medium' })).rejects.toThrow(
          'invalid topic: name: invalid topic name "has space", expected only the characters a-z A-Z 0-9 . _ -',
        );
        await expect(admin.topics.create.mutate({ name: uniqueName('t'), tier: 'medium', cluster: 'fronting-9' })).rejects.toThrow('cluster "fronting-9" not found');
        const name = uniqueName('shrink');
        await admin.topics.create.mutate({ name, tier: 'medium', partitions: 4 });
        await expect(admin.topics.create.mutate({ name, tier: 'medium', partitions: 2 })).resolves.toMatchObject({ created: false });
        await expect(admin.topics.place.mutate({ name, producers: ['fronting-9'] })).rejects.toThrow('cluster "fronting-9" not found');
      });

      it('deletes a topic from the registry, the mapping and Kafka', async () => {
        const name = uniqueName('doomed');
        const created = await management.admin().topics.create.mutate({ name, tier: 'medium' });

        const deleted = await management.admin().topics.delete.mutate({ name });

        expect(deleted.kafka).toEqual([{ cluster: created.placement.producers[0], deleted: true }]);
        await expect(management.admin().topics.describe.query({ name })).rejects.toThrow(`topic "${name}" not found`);
        expect(JSON.stringify((await management.admin().mapping.current.query())?.document)).not.toContain(name);
      });
    });

    describe('mapping', () => {
      it('pushes a published version to a subscribed smart client within a second, and its records follow', async () => {
        const name = uniqueName('follow');
        await management.admin().topics.create.mutate({ name, tier: 'medium', cluster: 'fronting-1' });
        await management.admin().topics.create.mutate({ name: `${name}-warm`, tier: 'medium', cluster: 'fronting-2' });
        const cacheDir = await mkdtemp(join(tmpdir(), 'flotilla-cache-'));
        const producer = new MultiClusterProducer({
          clientId: uniqueName('producer'),
          mapping: liveMappingSource({ url: management.url, cacheFile: join(cacheDir, 'mapping.json') }),
          transport: transportFor('kafkajs'),
        });
        try {
          await producer.connect();
          await producer.send({ topic: name, messages: [{ value: 'before' }] });
          const bootstrap2 = fronting2.bootstrap;
          const kafka2 = await connectAdmin({ bootstrap: bootstrap2 });
          await kafka2.ensureTopic({ topic: name, partitions: 1, replicationFactor: 1 });

          const published = await management.admin().topics.place.mutate({ name, producers: ['fronting-2'], consumers: ['fronting-1', 'fronting-2'] });
          const t0 = Date.now();
          while (producer.clientInfo().mappingVersion !== published.version && Date.now() - t0 < 5_000) await new Promise((r) => setTimeout(r, 10));
          const switchMs = Date.now() - t0;

          expect(producer.clientInfo().mappingVersion).toBe(published.version);
          expect(switchMs).toBeLessThan(1_000);
          const [metadata] = await producer.send({ topic: name, messages: [{ value: 'after' }] });
          expect(metadata?.cluster).toBe('fronting-2');
          expect((await kafka2.endOffsets(name)).get(0)).toBe(1n);
          await kafka2.close();
        } finally {
          await producer.disconnect();
          await rm(cacheDir, { recursive: true, force: true });
        }
      });

      it('pushes each new version to a tRPC mapping subscription', async () => {
        const caller = createCallerFactory(appRouter)({
          services: management.running.services,
          identity: { application: 'flotilla-admin', credentialId: 'test', role: 'viewer' },
          authProblem: undefined,
        });
        const current = (await management.admin().mapping.current.query())?.version ?? 0;
        const stream = await caller.mapping.subscribe({ after: current });
        const iterator = stream[Symbol.asyncIterator]();

        const next = iterator.next();
        const published = await management.admin().mapping.publish.mutate({ reason: 'subscription test' });

        const received = await next;
        await iterator.return?.();
        expect(received.value).toMatchObject({ version: published.version, reason: 'subscription test' });
      });

      it('serves the mapping over plain HTTP and the event stream', async () => {
        const current = await management.admin().mapping.current.query();

        const response = await fetch(`${management.url}/v1/mapping`);
        expect(response.status).toBe(200);
        expect((await response.json()) as unknown).toEqual(current?.document);
      });

      it('gives concurrent publishes consecutive versions, none lost, and diffs two versions', async () => {
        const before = (await management.admin().mapping.current.query())?.version ?? 0;

        const versions = await Promise.all(Array.from({ length: 10 }, (_, i) => management.admin().mapping.publish.mutate({ reason: `concurrent ${i}` })));

        expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => before + i + 1));
        const history = await management.admin().mapping.history.query({ limit: 10 });
        expect(history.map((v) => v.reason).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `concurrent ${i}`).sort());
        const diff = await management.admin().mapping.diff.query({ from: 1 });
        expect(diff.toVersion).toBe(before + 10);
        expect(diff.clusters.length + diff.topics.length).toBeGreaterThan(0);
      });
    });

    describe('identity and policies', () => {
      it('answers policy questions as the policies are written: deny beats allow, default deny', async () => {
        const admin = management.admin();
        const app = uniqueName('billing').toLowerCase();
        await admin.applications.add.mutate({ id: app, owner: 'billing team' });
        await admin.policies.add.mutate({ application: app, verb: 'PUT', resource: '/topics/payments.*', effect: 'allow' });
        await admin.policies.add.mutate({ application: app, verb: 'PUT', resource: '/topics/payments.secret', effect: 'deny' });

        const allowed = await admin.policies.authorize.query({ application: app, verb: 'PUT', resource: '/topics/payments.eu' });
        const denied = await admin.policies.authorize.query({ application: app, verb: 'PUT', resource: '/topics/payments.secret' });
        const unlisted = await admin.policies.authorize.query({ application: app, verb: 'GET', resource: '/topics/payments.eu' });

        expect([allowed.allowed, denied.allowed, unlisted.allowed]).toEqual([true, false, false]);
        expect(denied.reason).toContain('deny');
        await expect(admin.policies.add.mutate({ application: app, verb: 'PUT', resource: 'topics/no-slash', effect: 'allow' })).rejects.toThrow('resource');
      });

      it('lets roles do what they allow, refuses a revoked or unknown token, and needs a token at all', async () => {
        const admin = management.admin();
        const app = uniqueName('viewer-app').toLowerCase();
        await admin.applications.add.mutate({ id: app, owner: 'ops' });
        const viewer = await admin.tokens.issue.mutate({ application: app, role: 'viewer' });

        await expect(management.client(viewer.token).clusters.list.query()).resolves.toHaveLength(5);
        await expect(management.client(viewer.token).topics.create.mutate({ name: uniqueName('x'), tier: 'medium' })).rejects.toThrow(
          `has role "viewer"; operate access needs role "operator" or higher`,
        );
        await admin.tokens.revoke.mutate({ id: viewer.id });
        const refused = management.client(viewer.token).clusters.list.query();
        await expect(refused).rejects.toThrow(`API token ${viewer.id} was revoked`);
        await expect(refused).rejects.toSatisfy((error: unknown) => error instanceof TRPCClientError && error.data?.httpStatus === 401);
        await expect(management.client().clusters.list.query()).rejects.toThrow('no credentials');
        await expect(management.client('flt_0123456789abcdef_' + 'A'.repeat(43)).clusters.list.query()).rejects.toThrow('unknown API token 0123456789abcdef');
      });

      it('records heartbeats under the caller\'s application and shows them on the topic', async () => {
        const admin = management.admin();
        const app = uniqueName('hb').toLowerCase();
        await admin.applications.add.mutate({ id: app, owner: 'team' });
        const { token } = await admin.tokens.issue.mutate({ application: app });
        const topic = uniqueName('seen');
        await admin.topics.create.mutate({ name: topic, tier: 'medium' });

        await management.client(token).clients.heartbeat.mutate({ clientId: 'p-1', kind: 'producer', mappingVersion: 3, produces: [topic], produced: { [topic]: { '2026-11-22T06:00Z': 10 } } });

        const described = await admin.topics.describe.query({ name: topic });
        expect(described.producers).toEqual([expect.objectContaining({ clientId: 'p-1', application: app, mappingVersion: 3 })]);
      });

      it('refuses a request body over the limit with 413, storing nothing', async () => {
        const response = await fetch(`${management.url}/trpc/applications.add`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${management.adminToken}` },
          body: JSON.stringify({ id: 'huge', owner: 'x'.repeat(2 * 1024 * 1024) }),
        });

        expect(response.status).toBe(413);
        await expect(management.admin().applications.get.query({ id: 'huge' })).rejects.toThrow('application "huge" not found');
      });
    });

    it('keeps everything across a restart', async () => {
      const before = {
        clusters: await management.admin().clusters.list.query(),
        topics: (await management.admin().topics.list.query()).map((t) => t.name),
        version: (await management.admin().mapping.current.query())?.version,
      };

      await management.restart();

      expect(await management.admin().clusters.list.query()).toEqual(before.clusters);
      expect((await management.admin().topics.list.query()).map((t) => t.name)).toEqual(before.topics);
      expect((await management.admin().mapping.current.query())?.version).toBe(before.version);
    }, 60_000);
  });
}
