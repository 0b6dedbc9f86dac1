// Routes through the real management service: real database (PGlite), real Kafka (the dead-letter
// topic is created on the broker), the real HTTP server and its /v1/routes event stream. What an
// operator sees: each change published as the next route set and audited, each refusal naming the
// field, and a refused change leaving the routes in force as they were.
import { createRegistry } from '@flotilla/db';
import { connectAdmin } from '@flotilla/kafka';
import { testCluster, uniqueName } from '@flotilla/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startManagementHarness, type ManagementHarness } from './test-support/management-harness';

/** Reads `/v1/routes/stream` into `text` until `stop()`. */
function followRouteStream(url: string): { readonly text: () => string; stop(): void } {
  const abort = new AbortController();
  let text = '';
  void fetch(`${url}/v1/routes/stream`, { signal: abort.signal })
    .then(async (response) => {
      const decoder = new TextDecoder();
      for await (const chunk of response.body ?? []) text += decoder.decode(chunk as Uint8Array, { stream: true });
    })
    .catch(() => {});
  return { text: () => text, stop: () => abort.abort() };
}

// PGlite only: the route set is a versioned document like the mapping, whose storage
// management.int.test.ts and the db suites run on both databases.
describe('routes', () => {
  let management: ManagementHarness;
  const fronting = testCluster('fronting-1');
  const consumer = testCluster('consumer-1');
  let source: string;
  let destination: string;

  beforeAll(async () => {
    management = await startManagementHarness('pglite');
    const admin = management.admin();
    await admin.clusters.add.mutate({ name: 'fronting-1', role: 'fronting', tier: 'medium', bootstrap: fronting.bootstrap });
    await admin.clusters.add.mutate({ name: 'consumer-1', role: 'consumer', bootstrap: consumer.bootstrap });
    source = uniqueName('clicks');
    destination = uniqueName('clicks-eu');
    await admin.topics.create.mutate({ name: source, tier: 'medium', partitions: 2 });
    await admin.topics.create.mutate({ name: destination, tier: 'medium' });
  }, 60_000);

  afterAll(async () => {
    await management?.stop();
  });

  const auditEntries = async () => createRegistry(management.running.services.db).audit.list({ limit: 50 });
  const routeSetVersion = async () => (await management.admin().routes.list.query()).version;

  it('adds, lists, describes, pauses, resumes and removes a route, each change a new route set on the stream and in the audit log', async () => {
    const admin = management.admin();
    const name = uniqueName('eu-clicks');
    const stream = followRouteStream(management.url);
    try {
      const before = await routeSetVersion();

      const added = await admin.routes.add.mutate({
        definition: { name, source, destinations: [{ topic: destination }], steps: [{ filter: "value.region = 'eu'" }, { project: { keep: ['id', 'region'] } }] },
      });

      expect(added).toMatchObject({
        version: before + 1,
        replaced: false,
        route: { name, state: 'active', definition: { name, source, destinations: [{ topic: destination }], keyed: false, deadLetterTopic: `${name}.dlq` } },
        deadLetterTopic: { name: `${name}.dlq`, created: true, cluster: 'fronting-1' },
      });
      // The dead-letter topic is registered and exists on Kafka, with the source's partitions.
      expect((await admin.topics.describe.query({ name: `${name}.dlq` })).topic).toMatchObject({ tier: 'medium', partitions: 2 });
      const kafka = await connectAdmin({ bootstrap: fronting.bootstrap });
      try {
        expect(await kafka.describeTopic(`${name}.dlq`)).toMatchObject({ partitions: 2 });
      } finally {
        await kafka.close();
      }
      await vi.waitFor(() => expect(stream.text()).toContain(`id: ${added.version}\nevent: routes\n`), { timeout: 5_000 });
      const served = (await (await fetch(`${management.url}/v1/routes`)).json()) as { version: number; routes: { name: string; state: string }[] };
      expect(served.version).toBe(added.version);
      expect(served.routes.find((r) => r.name === name)).toMatchObject({ state: 'active', definition: { source } });

      const listed = await admin.routes.list.query();
      expect(listed.routes.find((r) => r.name === name)).toMatchObject({ state: 'active', source, destinations: [destination], steps: 2, deadLetterTopic: `${name}.dlq` });

      const paused = await admin.routes.pause.mutate({ name });
      const pausedAgain = await admin.routes.pause.mutate({ name });
      const described = await admin.routes.describe.query({ name });
      expect(paused).toMatchObject({ state: 'paused', changed: true, version: added.version + 1 });
      expect(pausedAgain).toMatchObject({ changed: false, version: added.version + 1 });
      expect(described).toMatchObject({ route: { name, state: 'paused', definition: { source } }, routeSet: { version: added.version + 1, reason: `pause route ${name}` }, instances: [] });

      const resumed = await admin.routes.resume.mutate({ name });
      const removed = await admin.routes.remove.mutate({ name });
      expect(resumed).toMatchObject({ state: 'active', version: added.version + 2 });
      expect(removed).toMatchObject({ name, version: added.version + 3, deadLetterTopic: `${name}.dlq` });
      await vi.waitFor(() => expect(stream.text()).toContain(`id: ${removed.version}\n`), { timeout: 5_000 });
      expect((await admin.routes.list.query()).routes.map((r) => r.name)).not.toContain(name);
      await expect(admin.routes.describe.query({ name })).rejects.toThrow(`route "${name}" not found`);

      const adminId = (await admin.whoami.query()).credentialId;
      const entries = (await auditEntries()).filter((e) => e.target === `route/${name}`).map((e) => [e.actor, e.action, e.details?.['routeSetVersion']]);
      expect(entries).toEqual([
        [`flotilla-admin/${adminId}`, 'routes.remove', removed.version],
        [`flotilla-admin/${adminId}`, 'routes.resume', resumed.version],
        [`flotilla-admin/${adminId}`, 'routes.pause', paused.version],
        [`flotilla-admin/${adminId}`, 'routes.add', added.version],
      ]);
    } finally {
      stream.stop();
    }
  });

  it('refuses a malformed definition naming the field, and the routes in force stay as they were', async () => {
    const admin = management.admin();
    const kept = uniqueName('kept');
    await admin.routes.add.mutate({ definition: { name: kept, source, destinations: [{ topic: destination }] } });
    const before = await admin.routes.list.query();
    const entriesBefore = (await auditEntries()).length;

    const refused = admin.routes.add.mutate({ definition: { name: uniqueName('bad'), source, destinations: [{ topic: destination }], steps: [{ filter: 'value.region = ' }] } });

    await expect(refused).rejects.toThrow(/steps\[0\]\.filter: /);
    await expect(admin.routes.add.mutate({ definition: { name: uniqueName('bad'), source, destinations: [] } })).rejects.toThrow('destinations: expected at least one destination');
    expect(await admin.routes.list.query()).toEqual(before);
    expect((await (await fetch(`${management.url}/v1/routes`)).json()) as { version: number }).toMatchObject({ version: before.version });
    expect((await auditEntries()).length).toBe(entriesBefore);
  });

  it('refuses an unregistered topic, a cycle, a route into its own input and a taken name, each naming why; replace changes a route', async () => {
    const admin = management.admin();
    const name = uniqueName('checked');
    const missing = uniqueName('missing');
    const before = await routeSetVersion();

    await expect(admin.routes.add.mutate({ definition: { name, source, destinations: [{ topic: missing }] } })).rejects.toThrow(
      `destinations[0].topic: topic "${missing}" not found; routes only name registered topics: create it first (flotilla topics create ${missing})`,
    );
    await expect(admin.routes.add.mutate({ definition: { name, source: missing, destinations: [{ topic: destination }] } })).rejects.toThrow(`source: topic "${missing}" not found`);
    // The source is produced and consumed on fronting-1: routing it to itself would read back what it writes.
    await expect(admin.routes.add.mutate({ definition: { name, source, destinations: [{}] } })).rejects.toThrow(
      `invalid route "${name}": destinations[0].topic: "${source}" is the source topic, and in the current mapping its producers' clusters (fronting-1: where the router reads it) and its consumers' clusters (fronting-1: where the router writes it) share fronting-1`,
    );
    const forward = uniqueName('forward');
    await admin.routes.add.mutate({ definition: { name: forward, source, destinations: [{ topic: destination }] } });
    await expect(admin.routes.add.mutate({ definition: { name, source: destination, destinations: [{ topic: source }] } })).rejects.toThrow(
      `destinations: it would close a cycle, ${destination} → ${source} (route "${name}") → ${destination} (route "${forward}")`,
    );
    await expect(admin.routes.add.mutate({ definition: { name: forward, source, destinations: [{ topic: destination }] } })).rejects.toThrow(
      `route "${forward}" already exists; add it with --replace`,
    );
    expect(await routeSetVersion()).toBe(before + 1);

    // Once the topic's consumers read consumer-1, a route to the same topic moves records between the layers.
    const layered = uniqueName('layered');
    await admin.topics.create.mutate({ name: layered, tier: 'medium' });
    await admin.topics.place.mutate({ name: layered, consumers: ['consumer-1'] });
    await admin.routes.add.mutate({ definition: { name: layered, source: layered, destinations: [{}], deadLetterTopic: destination + '.dlq' } });
    await admin.routes.pause.mutate({ name: layered });
    const replaced = await admin.routes.add.mutate({ definition: { name: layered, source: layered, destinations: [{}], keyed: true, deadLetterTopic: destination + '.dlq' }, replace: true });
    expect(replaced).toMatchObject({ replaced: true, route: { state: 'paused', definition: { keyed: true, destinations: [{ topic: layered }] } } });
  });

  it('lets operators and admins change routes and viewers only read them', async () => {
    const admin = management.admin();
    const app = uniqueName('route-readers').toLowerCase();
    await admin.applications.add.mutate({ id: app, owner: 'ops' });
    const viewer = management.client((await admin.tokens.issue.mutate({ application: app, role: 'viewer' })).token);
    const operator = management.client((await admin.tokens.issue.mutate({ application: app, role: 'operator' })).token);
    const name = uniqueName('by-operator');
    const before = await routeSetVersion();

    await expect(viewer.routes.add.mutate({ definition: { name, source, destinations: [{ topic: destination }] } })).rejects.toThrow(
      `has role "viewer"; operate access needs role "operator" or higher`,
    );
    expect(await routeSetVersion()).toBe(before);
    await operator.routes.add.mutate({ definition: { name, source, destinations: [{ topic: destination }] } });
    await expect(viewer.routes.describe.query({ name })).resolves.toMatchObject({ route: { name, updatedBy: expect.stringMatching(new RegExp(`^${app}/`)) } });
    await expect(viewer.routes.remove.mutate({ name })).rejects.toThrow('operate access');
    await expect(operator.routes.remove.mutate({ name })).resolves.toMatchObject({ name });
  });
});
