// Runs the cluster repository suite on PGlite always, and on PostgreSQL when
// FLOTILLA_TEST_DATABASE_URL points at one (CI runs tools/ci/postgres.sh to provide it).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { UnavailableError } from '@flotilla/errors';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { clusterRepositorySuite } from './cluster-repository.suite';
import type { TestDatabase } from './cluster-repository.suite';
import { createDb } from './create-db';

const postgresUrl = process.env['FLOTILLA_TEST_DATABASE_URL'];

describe('cluster repository on PGlite', () => {
  // initdb takes seconds; every test starts from a copy of one freshly initialised, unmigrated
  // data directory instead, so each still migrates an empty database of its own.
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
  const freshDataDir = async (): Promise<{ root: string; dataDir: string }> => {
    template ??= initialisedDataDir();
    const root = await makeTempDir('flotilla-db-');
    const dataDir = join(root, 'db');
    await cp(await template, dataDir, { recursive: true });
    return { root, dataDir };
  };

  afterAll(async () => {
    await Promise.all(scratch.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  clusterRepositorySuite(async (): Promise<TestDatabase> => {
    const { root, dataDir } = await freshDataDir();
    return {
      open: () => createDb({ dataDir }),
      destroy: () => rm(root, { recursive: true, force: true }),
    };
  });

  it('refuses a second open of a data directory in use, naming it, and reopens once closed', async () => {
    const { dataDir } = await freshDataDir();
    const first = await createDb({ dataDir });

    const second = createDb({ dataDir });

    await expect(second).rejects.toBeInstanceOf(UnavailableError);
    await expect(second).rejects.toThrow(`PGlite data directory ${dataDir} is already open in this process`);
    await first.close();
    await (await createDb({ dataDir })).close();
  });

  it('refuses a data directory another live process holds, naming that process', async () => {
    const { dataDir } = await freshDataDir();
    // Our parent is alive for as long as this test runs, as the management app would be.
    await writeFile(`${dataDir}.lock`, String(process.ppid));

    const open = createDb({ dataDir });

    await expect(open).rejects.toThrow(`PGlite data directory ${dataDir} is in use by process ${process.ppid}`);
    await expect(open).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('takes over the lock of a process that died without closing', async () => {
    const { dataDir } = await freshDataDir();
    // Above Linux's largest pid_max, so no live process can own it.
    await writeFile(`${dataDir}.lock`, '99999999');

    const handle = await createDb({ dataDir });

    expect(handle.dialect).toBe('pglite');
    await handle.close();
  });
});

const skipReason = "set FLOTILLA_TEST_DATABASE_URL (CI starts Debian's postgresql)";

describe.skipIf(!postgresUrl)(
  `cluster repository on PostgreSQL${postgresUrl ? '' : ` (skipped: ${skipReason})`}`,
  () => {
    // Each test gets a database of its own, created from the URL's database and dropped after,
    // so tests never see each other's rows and the URL's own database is left untouched.
    clusterRepositorySuite(async (): Promise<TestDatabase> => {
      const baseUrl = postgresUrl ?? '';
      const name = `flotilla_test_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
      await withAdminClient(baseUrl, (client) => client.query(`create database "${name}"`));
      const url = new URL(baseUrl);
      url.pathname = `/${name}`;
      return {
        open: () => createDb({ databaseUrl: url.toString() }),
        destroy: () => withAdminClient(baseUrl, (client) => client.query(`drop database if exists "${name}" with (force)`)),
      };
    });
  },
);

describe('createDb on PostgreSQL', () => {
  it('fails fast with a retryable error naming the server when nothing listens there', async () => {
    const open = createDb({ databaseUrl: 'postgres://flotilla:secret@127.0.0.1:1/flotilla' });

    await expect(open).rejects.toBeInstanceOf(UnavailableError);
    await expect(open).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    await expect(open).rejects.toThrow('cannot connect to PostgreSQL flotilla@127.0.0.1:1/flotilla: connect ECONNREFUSED');
    await expect(open).rejects.not.toThrow('secret');
  });
});

async function withAdminClient(url: string, action: (client: Client) => Promise<unknown>): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await action(client);
  } finally {
    await client.end();
  }
}
