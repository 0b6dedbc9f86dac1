// The cluster repository's contract, written once and run against every driver (PGlite and
// PostgreSQL) by cluster-repository.int.test.ts, so both stores behave the same for callers.
import { ConflictError, NotFoundError, ValidationError } from '@flotilla/errors';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createClusterRepository } from './cluster-repository';
import type { ClusterRepository } from './cluster-repository';
import type { Database, DbHandle } from './create-db';
import { migrate } from './migrate';
import type { MigrationReport } from './migrate';
import { clusters } from './schema/clusters';
import type { ClusterState, NewCluster } from './schema/clusters';

/** One empty database, private to one test. */
export interface TestDatabase {
  /** Opens a handle on this database; after a close, opens the same data again, as a restart would. */
  open(): Promise<DbHandle>;
  /** Removes the database and everything in it. */
  destroy(): Promise<void>;
}

const fronting: NewCluster = {
  name: 'fronting-kafka-1',
  role: 'fronting',
  tier: 'medium',
  bootstrap: ['127.0.0.1:19092', '127.0.0.1:19093'],
  brokerCount: 2,
  zone: 'zone-a',
};

const consumer: NewCluster = {
  name: 'consumer-kafka-1',
  role: 'consumer',
  bootstrap: ['127.0.0.1:19292'],
  brokerCount: 1,
};

export function clusterRepositorySuite(makeDb: () => Promise<TestDatabase>): void {
  let database: TestDatabase | undefined;
  let handle: DbHandle | undefined;
  let firstMigration: MigrationReport;
  let repository: ClusterRepository;

  beforeEach(async () => {
    database = await makeDb();
    handle = await database.open();
    firstMigration = await migrate(handle);
    repository = createClusterRepository(handle.db);
  });

  const openHandle = (): DbHandle => {
    if (!handle) throw new Error('the test database is not open');
    return handle;
  };
  const openDatabase = (): TestDatabase => {
    if (!database) throw new Error('the test database was not created');
    return database;
  };

  afterEach(async () => {
    await handle?.close();
    await database?.destroy();
    handle = undefined;
    database = undefined;
  });

  describe('add, get and list', () => {
    it('returns an added cluster from get and list, active and with timestamps', async () => {
      const added = await repository.add(fronting);

      expect(added).toMatchObject({ ...fronting, state: 'active' });
      expect(added.createdAt).toBeInstanceOf(Date);
      expect(await repository.get('fronting-kafka-1')).toEqual(added);
      expect(await repository.list()).toEqual([added]);
    });

    it('stores a consumer cluster without tier or zone as nulls', async () => {
      await repository.add(consumer);

      expect(await repository.get('consumer-kafka-1')).toMatchObject({
        role: 'consumer',
        tier: null,
        zone: null,
        bootstrap: ['127.0.0.1:19292'],
      });
    });

    it('lists every cluster, ordered by name', async () => {
      await repository.add({ ...fronting, name: 'fronting-kafka-2' });
      await repository.add(consumer);
      await repository.add(fronting);

      const names = (await repository.list()).map((cluster) => cluster.name);
      expect(names).toEqual(['consumer-kafka-1', 'fronting-kafka-1', 'fronting-kafka-2']);
    });

    it('reports an unknown cluster as not found, naming it', async () => {
      const lookup = repository.get('no-such-cluster');

      await expect(lookup).rejects.toBeInstanceOf(NotFoundError);
      await expect(lookup).rejects.toThrow('cluster "no-such-cluster" not found');
    });
  });

  describe('rejections', () => {
    it('rejects a duplicate name with a conflict naming the cluster, keeping the original', async () => {
      await repository.add(fronting);

      const duplicate = repository.add({ ...fronting, tier: 'high', bootstrap: ['10.0.0.1:9092'] });

      await expect(duplicate).rejects.toBeInstanceOf(ConflictError);
      await expect(duplicate).rejects.toThrow('cluster "fronting-kafka-1" already exists');
      expect(await repository.get('fronting-kafka-1')).toMatchObject({ tier: 'medium', bootstrap: fronting.bootstrap });
    });

    it('rejects invalid input naming the field, the value and what was expected, writing nothing', async () => {
      const noTier = repository.add({ ...fronting, tier: null });
      const badAddress = repository.add({ ...consumer, bootstrap: ['127.0.0.1:19292', 'kafka-without-port'] });
      const consumerWithTier = repository.add({ ...consumer, tier: 'high' });

      await expect(noTier).rejects.toBeInstanceOf(ValidationError);
      await expect(noTier).rejects.toThrow(
        'invalid cluster "fronting-kafka-1": tier: a fronting cluster needs a tier: one of low, medium, high, got null',
      );
      await expect(noTier).rejects.toMatchObject({ field: 'tier', code: 'VALIDATION', retryable: false });
      await expect(badAddress).rejects.toThrow('bootstrap.1: expected host:port, got "kafka-without-port"');
      await expect(consumerWithTier).rejects.toThrow('tier: a consumer cluster has no tier');
      expect(await repository.list()).toEqual([]);
    });

    it('rejects keys it does not know instead of silently dropping them', async () => {
      const typo = repository.add({ ...consumer, brokers: 3 } as NewCluster);

      await expect(typo).rejects.toThrow(/Unrecognized key: "brokers"/);
    });

    it('refuses rows that break the rules even when written around the repository', async () => {
      // The check constraints are the last line of defence for writes that skip validation.
      const db: Database = openHandle().db;
      const row = { name: 'sneaky', bootstrap: ['127.0.0.1:1'], brokerCount: 1 };

      await expect(db.insert(clusters).values({ ...row, role: 'fronting', tier: null })).rejects.toMatchObject({
        cause: { code: '23514' },
      });
      await expect(db.insert(clusters).values({ ...row, role: 'consumer', brokerCount: 0 })).rejects.toMatchObject({
        cause: { code: '23514' },
      });
      expect(await repository.list()).toEqual([]);
    });
  });

  describe('state', () => {
    it('changes state and keeps it after the database is closed and reopened', async () => {
      const added = await repository.add(fronting);

      const draining = await repository.setState('fronting-kafka-1', 'draining');
      expect(draining).toMatchObject({ state: 'draining', createdAt: added.createdAt });
      expect(draining.updatedAt.getTime()).toBeGreaterThanOrEqual(added.updatedAt.getTime());

      await openHandle().close();
      handle = await openDatabase().open();
      const reopened = createClusterRepository(handle.db);

      expect(await reopened.get('fronting-kafka-1')).toEqual(draining);
    });

    it('rejects an unknown state, listing the valid ones, and leaves the cluster as it was', async () => {
      await repository.add(fronting);

      const change = repository.setState('fronting-kafka-1', 'exploded' as ClusterState);

      await expect(change).rejects.toBeInstanceOf(ValidationError);
      await expect(change).rejects.toThrow(
        'invalid cluster "fronting-kafka-1": state: Invalid option: expected one of "active"|"draining"|"failed"|"retired", got "exploded"',
      );
      expect(await repository.get('fronting-kafka-1')).toMatchObject({ state: 'active' });
    });

    it('reports a state change on an unknown cluster as not found', async () => {
      const change = repository.setState('no-such-cluster', 'failed');

      await expect(change).rejects.toBeInstanceOf(NotFoundError);
      await expect(change).rejects.toThrow('cluster "no-such-cluster" not found');
    });
  });

  describe('migrations', () => {
    it('applies every migration to a fresh database, and none when run again, keeping data', async () => {
      await repository.add(consumer);

      const again = await migrate(openHandle());

      expect(firstMigration.applied).toBe(firstMigration.available);
      expect(firstMigration.available).toBeGreaterThan(0);
      expect(again).toEqual({ available: firstMigration.available, applied: 0 });
      expect(await repository.list()).toHaveLength(1);
    });
  });
}
