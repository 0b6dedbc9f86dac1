// `npm run db:migrate`: brings the control-plane database to the latest schema. PostgreSQL when
// DATABASE_URL is set, otherwise the embedded PGlite store the apps use by default. As a CLI it
// is an edge: it reads the environment itself and turns any failure into one line and exit 1.
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { FlotillaError, ValidationError } from '@flotilla/errors';
import type { CreateDbOptions } from '../create-db';
import { createDb } from '../create-db';
import { rootMessage } from '../database-error';
import { describeDatabase } from '../describe-database';
import { defaultMigrationsFolder, migrate } from '../migrate';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** `npm start`'s database: `.flotilla/db`, or `.flotilla/run-N/db` for FLOTILLA_PORT_OFFSET=N. */
function platformDataDir(offset = process.env['FLOTILLA_PORT_OFFSET'] ?? ''): string {
  if (offset === '' || offset === '0') return join(repoRoot, '.flotilla', 'db');
  if (!/^\d+$/.test(offset)) throw new ValidationError(`FLOTILLA_PORT_OFFSET must be a whole number, got "${offset}"`, { field: 'FLOTILLA_PORT_OFFSET' });
  return join(repoRoot, '.flotilla', `run-${offset}`, 'db');
}

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  const options: CreateDbOptions = databaseUrl
    ? { databaseUrl }
    : { dataDir: platformDataDir() };

  console.log(`db:migrate: opening ${describeDatabase(options)}`);
  const handle = await createDb(options);
  try {
    console.log(`db:migrate: applying migrations from ${relative(repoRoot, defaultMigrationsFolder)}`);
    const report = await migrate(handle);
    const already = report.available - report.applied;
    console.log(
      report.applied === 0
        ? `db:migrate: already up to date (${report.available} of ${report.available} applied)`
        : `db:migrate: applied ${report.applied} new migration(s); ${already} were already applied`,
    );
  } finally {
    await handle.close();
  }
}

main().catch((error: unknown) => {
  const message = error instanceof FlotillaError ? error.message : rootMessage(error);
  console.error(`db:migrate failed: ${message.split('\n')[0]}`);
  process.exitCode = 1;
});
