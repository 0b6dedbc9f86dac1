// The contract of the repositories a mapping is built from (topics, placements, handoffs, mapping
// versions), run against every driver by repositories.int.test.ts.
import { ConflictError, NotFoundError, ValidationError } from '@flotilla/errors';
import { composeMapping } from '@flotilla/mapping';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClusterRepository } from './cluster-repository';
import type { TestDatabase } from './cluster-repository.suite';
import type { DbHandle } from './create-db';
import { createHandoffRepository } from './handoff-repository';
import { createMappingRepository } from './mapping-repository';
import { migrate } from './migrate';
import { createPlacementRepository } from './placement-repository';
import { createTopicRepository } from './topic-repository';

const orders = { name: 'orders', tier: 'medium' as const, partitions: 2, replicas: 1, retentionMs: 14_400_000 };

export function placementAndMappingSuite(makeDb: () => Promise<TestDatabase>): void {
  let database: TestDatabase | undefined;
  let handle: DbHandle;

  const repositories = () => ({
    clusters: createClusterRepository(handle.db),
    topics: createTopicRepository(handle.db),
    placements: createPlacementRepository(handle.db),
    handoffs: createHandoffRepository(handle.db),
    mapping: createMappingRepository(handle.db),
  });

  beforeEach(async () => {
    database = await makeDb();
    handle = await database.open();
    await migrate(handle);
    const { clusters } = repositories();
    for (const name of ['fronting-1', 'fronting-2']) {
      await clusters.add({ name, role: 'fronting', tier: 'medium', bootstrap: [`127.0.0.1:${name === 'fronting-1' ? 19_092 : 19_192}`], brokerCount: 1 });
    }
  });

  afterEach(async () => {
    await handle.close();
    await database?.destroy();
    database = undefined;
  });

  /** Publishes the registry as it stands, as management does after every change. */
  const publishRegistry = async (reason: string) => {
    const { clusters, placements, handoffs, mapping } = repositories();
    const [clusterRows, placementRows, handoffRows] = await Promise.all([clusters.list(), placements.list(), handoffs.list()]);
    return mapping.publish({
      author: 'test',
      reason,
      compose: (version) =>
        composeMapping({
          version,
          clusters: clusterRows,
          placements: placementRows,
          handoffs: handoffRows.map((h) => ({ topic: h.topic, from: h.fromCluster, to: h.toCluster, keyed: h.keyed, sealed: h.sealed })),
        }),
    });
  };

  describe('topics', () => {
    it('round-trips a topic, refuses a duplicate and an invalid Kafka name naming it', async () => {
      const { topics } = repositories();
      const added = await topics.add(orders);

      expect(added).toMatchObject({ ...orders, keyed: false, owner: null });
      await expect(topics.add({ ...orders, partitions: 9 })).rejects.toBeInstanceOf(ConflictError);
      await expect(topics.add({ ...orders, name: 'bad name!' })).rejects.toThrow(
        'invalid topic "bad name!": name: invalid topic name "bad name!", expected only the characters a-z A-Z 0-9 . _ -',
      );
      expect(await topics.list()).toEqual([added]);
    });

    it('raises partitions but refuses fewer than today, naming the current count', async () => {
      const { topics } = repositories();
      await topics.add(orders);

      expect((await topics.setPartitions('orders', 4)).partitions).toBe(4);
      const shrink = topics.setPartitions('orders', 3);
      await expect(shrink).rejects.toBeInstanceOf(ValidationError);
      await expect(shrink).rejects.toThrow('expected a whole number of at least 4 (its current count; Kafka cannot remove partitions), got 3');
    });

    it('refuses an owner that is not a registered application', async () => {
      await expect(repositories().topics.add({ ...orders, owner: 'nobody' })).rejects.toThrow('application "nobody" not found');
    });
  });

  describe('placements', () => {
    it('replaces one side of a topic and leaves the other alone', async () => {
      const { topics, placements } = repositories();
      await topics.add(orders);
      await placements.set('orders', 'producer', ['fronting-1']);
      await placements.set('orders', 'consumer', ['fronting-1']);

      await placements.set('orders', 'consumer', ['fronting-1', 'fronting-2']);

      expect(await placements.of('orders')).toEqual({ topic: 'orders', producers: ['fronting-1'], consumers: ['fronting-1', 'fronting-2'] });
      expect(await placements.topicsOn('fronting-2')).toEqual(['orders']);
    });

    it('refuses unknown clusters, retired clusters, repeats and empty lists, keeping what was there', async () => {
      const { topics, placements, clusters } = repositories();
      await topics.add(orders);
      await placements.set('orders', 'producer', ['fronting-1']);
      await clusters.setState('fronting-2', 'retired');

      await expect(placements.set('orders', 'producer', ['fronting-9'])).rejects.toThrow('cluster "fronting-9" not found');
      await expect(placements.set('orders', 'producer', ['fronting-2'])).rejects.toThrow('producers: cluster "fronting-2" is retired');
      await expect(placements.set('orders', 'producer', ['fronting-1', 'fronting-1'])).rejects.toThrow('cluster "fronting-1" is listed twice');
      await expect(placements.set('orders', 'producer', [])).rejects.toThrow('producers: expected at least one cluster, got []');
      await expect(placements.set('nope', 'producer', ['fronting-1'])).rejects.toBeInstanceOf(NotFoundError);
      expect((await placements.of('orders')).producers).toEqual(['fronting-1']);
    });

    it('drops a deleted topic\'s placements with it', async () => {
      const { topics, placements } = repositories();
      await topics.add(orders);
      await placements.set('orders', 'producer', ['fronting-1']);

      await topics.remove('orders');

      expect(await placements.list()).toEqual([]);
    });
  });

  describe('mapping versions', () => {
    it('publishes the registry as consecutive, immutable versions with author and reason', async () => {
      const { topics, placements, mapping } = repositories();
      await topics.add(orders);
      await placements.set('orders', 'producer', ['fronting-1']);
      await placements.set('orders', 'consumer', ['fronting-1']);

      const first = await publishRegistry('create orders');
      await placements.set('orders', 'consumer', ['fronting-1', 'fronting-2']);
      const second = await publishRegistry('move orders: read both');

      expect([first.version, second.version]).toEqual([1, 2]);
      expect(second.document.consumers).toEqual({ orders: [{ vip: 'fronting-1' }, { vip: 'fronting-2' }] });
      expect((await mapping.get(1)).document.consumers).toEqual({ orders: [{ vip: 'fronting-1' }] });
      expect(await mapping.currentVersion()).toBe(2);
      expect((await mapping.current())?.document).toEqual(second.document);
      expect((await mapping.history()).map((v) => [v.version, v.reason])).toEqual([
        [2, 'move orders: read both'],
        [1, 'create orders'],
      ]);
    });

    it('gives concurrent publishers consecutive versions, losing none', async () => {
      const { mapping } = repositories();

      const published = await Promise.all(
        Array.from({ length: 12 }, (_, i) => mapping.publish({ author: `writer-${i}`, reason: `r${i}`, compose: (version) => emptyMapping(version) })),
      );

      expect(published.map((v) => v.version).sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      expect((await mapping.history({ limit: 100 })).length).toBe(12);
      for (const version of published) expect((await mapping.get(version.version)).author).toBe(version.author);
    });

    it('publishes nothing and uses up no number when composing fails', async () => {
      const { mapping } = repositories();
      await mapping.publish({ author: 't', reason: 'first', compose: emptyMapping });

      const failed = mapping.publish({ author: 't', reason: 'bad', compose: () => { throw new ValidationError('bad placement'); } });

      await expect(failed).rejects.toThrow('bad placement');
      expect(await mapping.currentVersion()).toBe(1);
      expect((await mapping.publish({ author: 't', reason: 'next', compose: emptyMapping })).version).toBe(2);
    });

    it('carries keyed handoffs and their sealed offsets into the document', async () => {
      const { topics, placements, handoffs } = repositories();
      await topics.add({ ...orders, keyed: true });
      await placements.set('orders', 'producer', ['fronting-2']);
      await placements.set('orders', 'consumer', ['fronting-1', 'fronting-2']);
      await handoffs.start({ topic: 'orders', fromCluster: 'fronting-1', toCluster: 'fronting-2', keyed: true });
      await handoffs.seal('orders', { '0': 120, '1': 97 });

      const version = await publishRegistry('seal');

      expect(version.document.handoffs).toEqual({ orders: { from: 'fronting-1', to: 'fronting-2', keyed: true, sealed: { '0': 120, '1': 97 } } });
      await expect(handoffs.seal('orders', { x: 1 })).rejects.toThrow('sealed.x: expected a partition number mapped to an offset ≥ 0');
    });

    it('keeps every version across a restart', async () => {
      await repositories().mapping.publish({ author: 't', reason: 'before restart', compose: emptyMapping });
      await handle.close();
      if (!database) throw new Error('no database');
      handle = await database.open();

      const { mapping } = repositories();
      expect((await mapping.current())?.reason).toBe('before restart');
      expect((await mapping.publish({ author: 't', reason: 'after', compose: emptyMapping })).version).toBe(2);
    });

    it('reports an unknown version as not found', async () => {
      await expect(repositories().mapping.get(41)).rejects.toThrow('mapping version "41" not found');
    });
  });
}

function emptyMapping(version: number) {
  return { version, clusters: {}, producers: {}, consumers: {}, handoffs: {} };
}
