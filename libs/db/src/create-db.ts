// Opens the control plane's database: embedded PGlite by default, PostgreSQL when given a URL.
// The caller chooses (the config layer reads DATABASE_URL); nothing here reads the environment
// or connects at import time, so every app and test owns the handles it opens and closes.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { UnavailableError } from '@flotilla/errors';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import { Pool } from 'pg';
import { rootMessage, toFlotillaError } from './database-error';
import { describeDatabase } from './describe-database';
import { lockPgliteDataDir } from './pglite-lock';
import * as schema from './schema';

export type Schema = typeof schema;

/** What repositories take: the query API both drivers share. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export type Dialect = 'pglite' | 'postgres';

export interface PgliteDbOptions {
  /** Data directory, created if missing (apps pass `.flotilla/db`); `memory://` for a throw-away database. */
  readonly dataDir: string;
}

export interface PostgresDbOptions {
  /** `postgres://user:password@host:port/database`; may carry libpq options such as `sslmode`. */
  readonly databaseUrl: string;
  /** Pool size per process; node-postgres' default of 10 when absent. */
  readonly maxConnections?: number;
  /**
   * Told when the server drops an idle pooled connection (restart, failover). The pool replaces
   * the connection by itself; without a listener node-postgres would crash the process instead.
   */
  readonly onIdleConnectionError?: (error: Error) => void;
}

export type CreateDbOptions = PgliteDbOptions | PostgresDbOptions;

interface HandleBase {
  /** Releases the pool or shuts the embedded database down; calling it again does nothing. */
  close(): Promise<void>;
}

export interface PgliteDbHandle extends HandleBase {
  readonly dialect: 'pglite';
  readonly db: PgliteDatabase<Schema>;
}

export interface PostgresDbHandle extends HandleBase {
  readonly dialect: 'postgres';
  readonly db: NodePgDatabase<Schema>;
}

export type DbHandle = PgliteDbHandle | PostgresDbHandle;

/** Opens the database and proves it answers, so a wrong URL or a locked directory fails here. */
export async function createDb(options: CreateDbOptions): Promise<DbHandle> {
  return 'databaseUrl' in options ? openPostgres(options) : openPglite(options);
}

async function openPglite(options: PgliteDbOptions): Promise<PgliteDbHandle> {
  if (options.dataDir.startsWith('memory://')) {
    return pgliteHandle(await startPglite(options.dataDir, options), async () => {});
  }
  const dataDir = resolve(options.dataDir);
  await mkdir(dataDir, { recursive: true });
  const release = await lockPgliteDataDir(dataDir);
  try {
    return pgliteHandle(await startPglite(dataDir, options), release);
  } catch (error: unknown) {
    await release();
    throw error;
  }
}

async function startPglite(dataDir: string, options: PgliteDbOptions): Promise<PGlite> {
  try {
    return await PGlite.create(dataDir);
  } catch (error: unknown) {
    throw new UnavailableError(`cannot open ${describeDatabase(options)}: ${rootMessage(error)}`, {
      cause: error,
      retryable: false,
    });
  }
}

function pgliteHandle(client: PGlite, release: () => Promise<void>): PgliteDbHandle {
  const close = once(async () => {
    try {
      await client.close();
    } finally {
      await release();
    }
  });
  return { dialect: 'pglite', db: drizzlePglite({ client, schema }), close };
}

async function openPostgres(options: PostgresDbOptions): Promise<PostgresDbHandle> {
  const pool = new Pool({
    connectionString: options.databaseUrl,
    ...(options.maxConnections === undefined ? {} : { max: options.maxConnections }),
  });
  pool.on('error', options.onIdleConnectionError ?? (() => {}));
  try {
    await pool.query('select 1');
  } catch (error: unknown) {
    await pool.end();
    // A server that is down or restarting is worth waiting for; a wrong password or a missing
    // database is not.
    throw new UnavailableError(`cannot connect to ${describeDatabase(options)}: ${rootMessage(error)}`, {
      cause: error,
      retryable: toFlotillaError(error).retryable,
    });
  }
  return { dialect: 'postgres', db: drizzleNodePg({ client: pool, schema }), close: once(() => pool.end()) };
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}
