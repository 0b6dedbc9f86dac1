// `npm run db:migrate`: brings the control-plane database to the latest schema. PostgreSQL when
// DATABASE_URL is set, otherwise the embedded PGlite store the apps use by default. As a CLI it
// is an edge: it reads the environment itself and turns any failure into one line and exit 1.
import { fileURLToPath } from 'node:url';
import { join, relative } from 'node:path';
import { FlotillaError } from '@flotilla/errors';
import type { CreateDbOptions } from '../create-db';
import { createDb } from '../create-db';
import { rootMessage } from '../database-error';
import { describeDatabase } from '../describe-database';
import { defaultMigrationsFolder, migrate } from '../migrate';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

async function main(): Promise<void> {
  const databaseUrl = process.env['DATABASE_URL'];
  const options: CreateDbOptions = databaseUrl
    ? { databaseUrl }
    : { dataDir: join(repoRoot, '.flotilla', 'db') };

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
