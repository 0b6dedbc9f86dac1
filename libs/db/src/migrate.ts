// Applies the SQL migrations that drizzle-kit generated into libs/db/migrations. Drizzle records
// each applied migration in drizzle.__drizzle_migrations and applies only newer ones, so running
// this again is harmless; it is an explicit step (`npm run db:migrate`), never done on import.
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { SQL } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import type { DbHandle } from './create-db';
import { toFlotillaError } from './database-error';

export const defaultMigrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

export interface MigrateOptions {
  readonly migrationsFolder?: string;
}

export interface MigrationReport {
  /** Migrations in the folder. */
  readonly available: number;
  /** Migrations this run applied; 0 when the database was already current. */
  readonly applied: number;
}

export async function migrate(handle: DbHandle, options: MigrateOptions = {}): Promise<MigrationReport> {
  const migrationsFolder = options.migrationsFolder ?? defaultMigrationsFolder;
  const available = readMigrationFiles({ migrationsFolder }).length;
  try {
    const before = await countApplied(handle);
    if (handle.dialect === 'pglite') await migratePglite(handle.db, { migrationsFolder });
    else await migrateNodePg(handle.db, { migrationsFolder });
    return { available, applied: (await countApplied(handle)) - before };
  } catch (error: unknown) {
    throw toFlotillaError(error);
  }
}

async function countApplied(handle: DbHandle): Promise<number> {
  // A fresh database has no journal table yet; asking for its rows would fail.
  const journal = await firstRow(handle, sql`select to_regclass('drizzle.__drizzle_migrations') is not null as "present"`);
  if (journal?.['present'] !== true) return 0;
  const counted = await firstRow(handle, sql`select count(*)::int as "count" from drizzle.__drizzle_migrations`);
  return Number(counted?.['count'] ?? 0);
}

// The drivers' raw results are different types that both carry `rows`; narrowing on the dialect
// lets each call resolve against its own driver's types.
async function firstRow(handle: DbHandle, query: SQL): Promise<Record<string, unknown> | undefined> {
  const result = handle.dialect === 'pglite' ? await handle.db.execute(query) : await handle.db.execute(query);
  return result.rows[0];
}
