// A throw-away PostgreSQL database on an existing server, for tests and benchmarks that need a
// real server but must not see each other's rows: created from the URL's database, dropped after.
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';

export interface ScratchDatabase {
  /** The URL of the new database (the server URL with its path replaced). */
  readonly url: string;
  /** Drops it, closing any connection still open to it. */
  drop(): Promise<void>;
}

export async function createScratchDatabase(serverUrl: string, prefix = 'flotilla_scratch'): Promise<ScratchDatabase> {
  const name = `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  await onServer(serverUrl, `create database "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => onServer(serverUrl, `drop database if exists "${name}" with (force)`) };
}

async function onServer(url: string, statement: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
