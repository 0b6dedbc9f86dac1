// Runs the cluster repository suite on PGlite always, and on PostgreSQL when
// FLOTILLA_TEST_DATABASE_URL points at one (CI runs tools/ci/postgres.sh to provide it), plus
// the PGlite data-directory lock, which only exists on that driver.
import { writeFile } from 'node:fs/promises';
import { UnavailableError } from '@flotilla/errors';
import { describe, expect, it } from 'vitest';
import { clusterRepositorySuite } from './cluster-repository.suite';
import { createDb } from './create-db';
import { describeOnEveryDatabase } from './test-support/database-drivers';
import type { PgliteTestDatabase } from './test-support/database-drivers';

describeOnEveryDatabase('cluster repository', (makeDb, driver) => {
  clusterRepositorySuite(makeDb);
  if (driver.dialect === 'pglite') pgliteLockTests(driver.makeDb);
});

function pgliteLockTests(makeDb: () => Promise<PgliteTestDatabase>): void {
  it('refuses a second open of a data directory in use, naming it, and reopens once closed', async () => {
    const { dataDir } = await makeDb();
    const first = await createDb({ dataDir });

    const second = createDb({ dataDir });

    await expect(second).rejects.toBeInstanceOf(UnavailableError);
    await expect(second).rejects.toThrow(`PGlite data directory ${dataDir} is already open in this process`);
    await first.close();
    await (await createDb({ dataDir })).close();
  });

  it('refuses a data directory another live process holds, naming that process', async () => {
    const { dataDir } = await makeDb();
    // Our parent is alive for as long as this test runs, as the management app would be.
    await writeFile(`${dataDir}.lock`, String(process.ppid));

    const open = createDb({ dataDir });

    await expect(open).rejects.toThrow(`PGlite data directory ${dataDir} is in use by process ${process.ppid}`);
    await expect(open).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('takes over the lock of a process that died without closing', async () => {
    const { dataDir } = await makeDb();
    // Above Linux's largest pid_max, so no live process can own it.
    await writeFile(`${dataDir}.lock`, '99999999');

    const handle = await createDb({ dataDir });

    expect(handle.dialect).toBe('pglite');
    await handle.close();
  });
}

describe('createDb on PostgreSQL', () => {
  it('fails fast with a retryable error naming the server when nothing listens there', async () => {
    const open = createDb({ databaseUrl: 'postgres://flotilla:secret@127.0.0.1:1/flotilla' });

    await expect(open).rejects.toBeInstanceOf(UnavailableError);
    await expect(open).rejects.toMatchObject({ code: 'UNAVAILABLE', retryable: true });
    await expect(open).rejects.toThrow('cannot connect to PostgreSQL flotilla@127.0.0.1:1/flotilla: connect ECONNREFUSED');
    await expect(open).rejects.not.toThrow('secret');
  });
});
