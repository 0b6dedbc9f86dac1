// Gives each test of a suite its own empty database, migrated to the latest schema and closed
// and destroyed afterwards, whatever the test did.
import { afterEach, beforeEach } from 'vitest';
import type { Database, DbHandle } from '../create-db';
import { migrate } from '../migrate';
import type { MakeTestDatabase, TestDatabase } from './database-drivers';

/** Registers the hooks; the returned function is the current test's database. */
export function useMigratedDatabase(makeDb: MakeTestDatabase): () => Database {
  let database: TestDatabase | undefined;
  let handle: DbHandle | undefined;

  beforeEach(async () => {
    database = await makeDb();
    handle = await database.open();
    await migrate(handle);
  });

  afterEach(async () => {
    try {
      await handle?.close();
    } finally {
      await database?.destroy();
      handle = undefined;
      database = undefined;
    }
  });

  return () => {
    if (!handle) throw new Error('no test database is open (use it inside a test)');
    return handle.db;
  };
}
