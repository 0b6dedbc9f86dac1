// Runs a repository suite against every driver the control plane supports: PGlite always, and
// PostgreSQL when FLOTILLA_TEST_DATABASE_URL points at one (CI runs tools/ci/postgres.sh). Every
// test gets an empty, unmigrated database of its own, so suites can also test migrating.
import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { afterAll, describe } from 'vitest';
import { createDb } from '../create-db';
import type { DbHandle } from '../create-db';

/** One empty database, private to one test. */
export interface TestDatabase {
  /** Opens a handle on this database; after a close, opens the same data again, as a restart would. */
  open(): Promise<DbHandle>;
  /** Removes the database and everything in it. */
  destroy(): Promise<void>;
}

/** A PGlite test database also names its data directory, for tests of the directory lock. */
export interface PgliteTestDatabase extends TestDatabase {
  readonly dataDir: string;
}

export type MakeTestDatabase = () => Promise<TestDatabase>;

/** Which driver a suite is running on, for the few tests that only make sense on one. */
export type TestDriver =
  | { readonly dialect: 'pglite'; readonly makeDb: () => Promise<PgliteTestDatabase> }
  | { readonly dialect: 'postgres'; readonly makeDb: MakeTestDatabase };

export type DatabaseSuite = (makeDb: MakeTestDatabase, driver: TestDriver) => void;

export interface DriverOptions {
  /** The PostgreSQL to create per-test databases in; the environment's FLOTILLA_TEST_DATABASE_URL by default. */
  readonly postgresUrl?: string | undefined;
}

const postgresSkipReason = "skipped: FLOTILLA_TEST_DATABASE_URL is not set; tools/ci/postgres.sh provides one, as CI does";

/**
 * Declares `<title> on PGlite` and `<title> on PostgreSQL` and runs `suite` inside each. Call it
 * once per file with every suite inside: PGlite's initdb then runs once for the whole file.
 */
export function describeOnEveryDatabase(title: string, suite: DatabaseSuite, options: DriverOptions = {}): void {
  const postgresUrl = 'postgresUrl' in options ? options.postgresUrl : process.env['FLOTILLA_TEST_DATABASE_URL'];

  describe(`${title} on PGlite`, () => {
    const makeDb = pgliteDatabases();
    suite(makeDb, { dialect: 'pglite', makeDb });
  });

  describe.skipIf(!postgresUrl)(`${title} on PostgreSQL${postgresUrl ? '' : ` (${postgresSkipReason})`}`, () => {
    const makeDb = postgresDatabases(postgresUrl ?? '');
    suite(makeDb, { dialect: 'postgres', makeDb });
  });
}

/**
 * initdb takes seconds; every test starts from a copy of one freshly initialised, unmigrated data
 * directory instead, so each still migrates an empty database of its own. Directories left by a
 * test that failed before destroying its database are removed when the block ends.
 */
function pgliteDatabases(): () => Promise<PgliteTestDatabase> {
  let template: Promise<string> | undefined;
  const scratch: string[] = [];

  const makeTempDir = async (prefix: string): Promise<string> => {
    const dir = await mkdtemp(join(tmpdir(), prefix));
    scratch.push(dir);
    return dir;
  };
  const initialisedDataDir = async (): Promise<string> => {
    const dataDir = join(await makeTempDir('flotilla-db-template-'), 'db');
    await (await createDb({ dataDir })).close();
    return dataDir;
  };

  afterAll(async () => {
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  return async () => {
    template ??= initialisedDataDir();
    const root = await makeTempDir('flotilla-db-');
    const dataDir = join(root, 'db');
    await cp(await template, dataDir, { recursive: true });
    return {
      dataDir,
      open: () => createDb({ dataDir }),
      destroy: () => rm(root, { recursive: true, force: true }),
    };
  };
}

/**
 * Each test gets a database of its own, created from the URL's database and dropped after, so
 * tests never see each other's rows and the URL's own database is left untouched (the role
 * needs CREATEDB, nothing more).
 */
function postgresDatabases(baseUrl: string): MakeTestDatabase {
  return async () => {
    const name = `flotilla_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
    await withAdminClient(baseUrl, (client) => client.query(`create database "${name}"`));
    const url = new URL(baseUrl);
    url.pathname = `/${name}`;
    return {
      open: () => createDb({ databaseUrl: url.toString() }),
      destroy: () => withAdminClient(baseUrl, (client) => dropDatabase(client, name)),
    };
  };
}

const insufficientPrivilege = '42501';

/**
 * Drops with force, so a connection a test left open cannot keep the database. PostgreSQL
 * refuses that force to a role without pg_signal_backend while an autovacuum worker happens to
 * be in the database (42501, "must be a member of the role whose process is being
 * terminated"); a plain drop stops such a worker itself, so that refusal falls back to one.
 */
async function dropDatabase(client: Client, name: string): Promise<void> {
  try {
    await client.query(`drop database if exists "${name}" with (force)`);
  } catch (error) {
    if ((error as { code?: unknown }).code !== insufficientPrivilege) throw error;
    await client.query(`drop database if exists "${name}"`);
  }
}

async function withAdminClient(url: string, action: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await action(client);
  } finally {
    await client.end();
  }
}
